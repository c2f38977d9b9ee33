from django.urls import path

from core.routing import routes
from talent.views import figures, roles, specialists

app_name = "talent"

urlpatterns = [
    path("", specialists.home, name="home"),
    path("profile/", specialists.profile_edit, name="profile-edit"),
    path("profile/download/", specialists.profile_download, name="profile-download"),
    path("profile/delete/", specialists.profile_delete, name="profile-delete"),
    path("matches/", specialists.my_matches, name="matches"),
    path("plan/", specialists.plan, name="plan"),
    path("specialists/<int:pk>/", specialists.profile_detail, name="profile-detail"),
    path("specialists/<int:pk>/invite/", specialists.invite, name="invite"),
    *routes(
        "invitations/",
        ("", specialists.invitation_list, "invitation-list"),
        ("<int:pk>/", specialists.invitation_detail, "invitation-detail"),
        ("<int:pk>/respond/", specialists.invitation_respond, "invitation-respond"),
    ),
    path("roles/feed/rss/", roles.RoleFeed(), name="role-feed"),
    path("roles/feed/atom/", roles.RoleAtomFeed(), name="role-feed-atom"),
    *roles.PAGES.urls(
        "roles/",
        detail=roles.role_detail,
        more=(
            ("filled/", roles.role_fill, "role-fill"),
            ("specialists/", roles.role_specialists, "role-specialists"),
        ),
    ),
    path("figures/", figures.figures, name="figures"),
    path("figures/staff/", figures.figures_staff, name="figures-staff"),
    path("figures/csv/", figures.figures_csv, name="figures-csv"),
    path("survey/", figures.survey_import, name="survey-import"),
]
