from django.urls import path

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
    path("invitations/", views.invitation_list, name="invitation-list"),
    path("invitations/<int:pk>/", views.invitation_detail, name="invitation-detail"),
    path(
        "invitations/<int:pk>/respond/",
        views.invitation_respond,
        name="invitation-respond",
    ),
    path("roles/", views.role_list, name="role-list"),
    path("roles/new/", views.role_create, name="role-create"),
    path("roles/mine/", views.role_mine, name="role-mine"),
    path("roles/moderation/", views.moderation_queue, name="moderation-queue"),
    path("roles/feed/rss/", views.RoleFeed(), name="role-feed"),
    path("roles/feed/atom/", views.RoleAtomFeed(), name="role-feed-atom"),
    path("roles/<int:pk>/", views.role_detail, name="role-detail"),
    path("roles/<int:pk>/edit/", views.role_edit, name="role-edit"),
    path("roles/<int:pk>/submit/", views.role_submit, name="role-submit"),
    path("roles/<int:pk>/renew/", views.role_renew, name="role-renew"),
    path("roles/<int:pk>/filled/", views.role_fill, name="role-fill"),
    path("roles/<int:pk>/moderate/", views.role_moderate, name="role-moderate"),
    path(
        "roles/<int:pk>/specialists/",
        views.role_specialists,
        name="role-specialists",
    ),
    path("figures/", views.figures, name="figures"),
    path("figures/staff/", views.figures_staff, name="figures-staff"),
    path("figures/csv/", views.figures_csv, name="figures-csv"),
    path("survey/", views.survey_import, name="survey-import"),
]
