from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        # Celery's task signals count runs and failures for /metrics.
        from core import metrics  # noqa: F401
