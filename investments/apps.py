from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentsConfig(AppConfig):
    name = "investments"
    verbose_name = _("Investment projects")

    def ready(self):
        from investments import checks, signals  # noqa: F401
