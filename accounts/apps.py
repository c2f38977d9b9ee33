from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True  # this module also holds the admin's config, below
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts import two_factor

        user_logged_in.connect(
            two_factor.note_sign_in, dispatch_uid="accounts.two_factor.note_sign_in"
        )


class MistAdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose default site asks for a two-factor-verified session."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "accounts.admin_site.MistAdminSite"
