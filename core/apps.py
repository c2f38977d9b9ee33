from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        # Celery's task signals count runs and failures for /metrics.
        from django.db.backends.signals import connection_created

        from core import metrics  # noqa: F401
        from core.pagecache import install

        # Every database write makes anonymous visitors' cached pages stale.
        connection_created.connect(install, dispatch_uid="mist.pagecache")
