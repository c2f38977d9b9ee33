from django.urls import path

from core.routing import routes
from talent import views

app_name = "talent"

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile_edit, name="profile-edit"),
    path("profile/download/", views.profile_download, name="profile-download"),
    path("profile/delete/", views.profile_delete, name="profile-delete"),
    path("matches/", views.my_matches, name="matches"),
    path("plan/", views.plan, name="plan"),
    path("specialists/<int:pk>/", views.profile_detail, name="profile-detail"),
    path("specialists/<int:pk>/invite/", views.invite, name="invite"),
    *routes(
        "invitations/",
        ("", views.invitation_list, "invitation-list"),
        ("<int:pk>/", views.invitation_detail, "invitation-detail"),
        ("<int:pk>/respond/", views.invitation_respond, "invitation-respond"),
    ),
    path("roles/", views.role_list, name="role-list"),
    path("roles/new/", views.role_create, name="role-create"),
    path("roles/mine/", views.role_mine, name="role-mine"),
    path("roles/moderation/", views.moderation_queue, name="moderation-queue"),
    path("roles/feed/rss/", views.RoleFeed(), name="role-feed"),
    path("roles/feed/atom/", views.RoleAtomFeed(), name="role-feed-atom"),
    *routes(
        "roles/<int:pk>/",
        ("", views.role_detail, "role-detail"),
        ("edit/", views.role_edit, "role-edit"),
        ("submit/", views.role_submit, "role-submit"),
        ("renew/", views.role_renew, "role-renew"),
        ("filled/", views.role_fill, "role-fill"),
        ("moderate/", views.role_moderate, "role-moderate"),
        ("specialists/", views.role_specialists, "role-specialists"),
    ),
    path("figures/", views.figures, name="figures"),
    path("figures/staff/", views.figures_staff, name="figures-staff"),
    path("figures/csv/", views.figures_csv, name="figures-csv"),
    path("survey/", views.survey_import, name="survey-import"),
]
