from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from django.views.static import serve

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("api.urls")),
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
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
if settings.DEBUG or settings.TASKS_MODE != "celery":
    # The embedded default serves uploaded logos itself; production uses the proxy.
    urlpatterns += [
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})
    ]

# Under /api/ these answer JSON (api.exceptions); elsewhere the site's pages.
handler400 = "api.exceptions.bad_request"
handler403 = "api.exceptions.permission_denied"
handler404 = "api.exceptions.page_not_found"
handler500 = "api.exceptions.server_error"
