from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from django.views.static import serve

from core import health, metrics
from insights.open_data import catalogue_view

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("api.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("open-data/catalog.jsonld", catalogue_view, name="open-data-catalogue"),
]
urlpatterns += i18n_patterns(
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("directory/", include("directory.urls")),
    path("exchange/", include("exchange.urls")),
    path("reviews/", include("reviews.urls")),
    path("investments/", include("investments.urls")),
    path("events/", include("events.urls")),
    path("partners/", include("matching.urls")),
    path("meetings/", include("meetings.urls")),
    path("visits/", include("visits.urls")),
    path("talent/", include("talent.urls")),
    path("insights/", include("insights.urls")),
    path("notifications/", include("notifications.urls")),
    path("translations/", include("translations.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
if settings.DEBUG:
    # Only the embedded default (`make run`, DEBUG on) serves public media (logos)
    # itself; in production the proxy does, whatever runs the tasks. Private files
    # (PRIVATE_MEDIA_ROOT) are never under MEDIA_ROOT: only their views hand them out.
    urlpatterns += [
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})
    ]

# Under /api/ these answer JSON (api.exceptions); elsewhere the site's pages.
handler400 = "api.exceptions.bad_request"
handler403 = "api.exceptions.permission_denied"
handler404 = "api.exceptions.page_not_found"
handler500 = "api.exceptions.server_error"
