from django.urls import path

from accounts import views
from accounts.personal_data import views as personal_data_views
from accounts.two_factor import views as two_factor_views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("me/", views.me, name="me"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path(
        "password-change/", views.PasswordChangeView.as_view(), name="password-change"
    ),
    path(
        "password-change/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path("invitations/", views.invitation_list, name="invitation-list"),
    path("invitations/new/", views.invitation_create, name="invitation-create"),
    path(
        "invitations/<int:pk>/resend/",
        views.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path(
        "invitations/<str:token>/",
        views.invitation_accept,
        name="invitation-accept",
    ),
    path("two-factor/", two_factor_views.overview, name="two-factor"),
    path("two-factor/verify/", two_factor_views.verify, name="two-factor-verify"),
    path("two-factor/setup/", two_factor_views.setup, name="two-factor-setup"),
    path("two-factor/setup/qr.svg", two_factor_views.qr_code, name="two-factor-qr"),
    path(
        "two-factor/recovery-codes/",
        two_factor_views.recovery_codes,
        name="two-factor-recovery-codes",
    ),
    path("two-factor/disable/", two_factor_views.disable, name="two-factor-disable"),
    path("users/", views.user_list, name="user-list"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user-deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user-reactivate"),
    # A person's own data (accounts.personal_data).
    path("me/data/", personal_data_views.my_data, name="my-data"),
    path(
        "me/data/download/",
        personal_data_views.my_data_download,
        name="my-data-download",
    ),
    path("me/delete/", personal_data_views.account_delete, name="account-delete"),
    path("users/<int:pk>/delete/", personal_data_views.user_delete, name="user-delete"),
    path(
        "users/<int:pk>/two-factor-reset/",
        views.user_two_factor_reset,
        name="user-two-factor-reset",
    ),
]
