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
        from django.db.models.signals import post_delete, post_save

        from accounts.models import Membership

        for signal in (post_save, post_delete):
            signal.connect(
                _forget_cached_memberships,
                sender=Membership,
                dispatch_uid=f"accounts.forget_memberships.{signal is post_save}",
            )


def _forget_cached_memberships(sender, instance, **kwargs):
    """A membership changed: the user object that carries it (when loaded)
    must read its edited organizations afresh."""
    from accounts.queries import forget_edited_organizations

    forget_edited_organizations(instance._state.fields_cache.get("user"))


class MistAdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose default site asks for a two-factor-verified session."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "accounts.admin_site.MistAdminSite"
