from django.urls import path

from accounts import views
from accounts.personal_data import views as personal_data_views
from accounts.two_factor import views as two_factor_views
from core.routing import routes

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("me/", views.me, name="me"),
    *routes(
        "password-reset/",
        ("", views.PasswordResetView.as_view(), "password-reset"),
        ("sent/", views.PasswordResetDoneView.as_view(), "password-reset-done"),
        (
            "<uidb64>/<token>/",
            views.PasswordResetConfirmView.as_view(),
            "password-reset-confirm",
        ),
        ("done/", views.PasswordResetCompleteView.as_view(), "password-reset-complete"),
    ),
    *routes(
        "password-change/",
        ("", views.PasswordChangeView.as_view(), "password-change"),
        ("done/", views.PasswordChangeDoneView.as_view(), "password-change-done"),
    ),
    *routes(
        "invitations/",
        ("", views.invitation_list, "invitation-list"),
        ("new/", views.invitation_create, "invitation-create"),
        ("<int:pk>/resend/", views.invitation_resend, "invitation-resend"),
        ("<int:pk>/revoke/", views.invitation_revoke, "invitation-revoke"),
        ("<str:token>/", views.invitation_accept, "invitation-accept"),
    ),
    *routes(
        "two-factor/",
        ("", two_factor_views.overview, "two-factor"),
        ("verify/", two_factor_views.verify, "two-factor-verify"),
        ("setup/", two_factor_views.setup, "two-factor-setup"),
        ("setup/qr.svg", two_factor_views.qr_code, "two-factor-qr"),
        (
            "recovery-codes/",
            two_factor_views.recovery_codes,
            "two-factor-recovery-codes",
        ),
        ("disable/", two_factor_views.disable, "two-factor-disable"),
    ),
    *routes(
        "users/",
        ("", views.user_list, "user-list"),
        ("<int:pk>/", views.user_detail, "user-detail"),
        ("<int:pk>/deactivate/", views.user_deactivate, "user-deactivate"),
        ("<int:pk>/reactivate/", views.user_reactivate, "user-reactivate"),
        ("<int:pk>/delete/", personal_data_views.user_delete, "user-delete"),
        (
            "<int:pk>/two-factor-reset/",
            views.user_two_factor_reset,
            "user-two-factor-reset",
        ),
    ),
    # A person's own data (accounts.personal_data).
    *routes(
        "me/",
        ("data/", personal_data_views.my_data, "my-data"),
        ("data/download/", personal_data_views.my_data_download, "my-data-download"),
        ("delete/", personal_data_views.account_delete, "account-delete"),
    ),
]
