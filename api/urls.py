from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import (
    events,
    exchange,
    insights,
    investments,
    matching,
    meetings,
    reviews,
    talent,
    views,
)

# Each app's API module registers its viewsets and may add plain paths.
APP_MODULES = (
    exchange,
    reviews,
    investments,
    events,
    matching,
    meetings,
    talent,
    insights,
)

app_name = "api"


class Router(SimpleRouter):
    """Numeric ids match only digits, so /submissions/AAA/ is an unknown address
    (404) and never reaches a query; other identifiers match any text without a
    slash, a dot or a NUL byte."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        lookup_field = getattr(viewset, "lookup_field", "pk")
        lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
        value = getattr(viewset, "lookup_value_regex", None)
        if value is None:
            value = "[0-9]{1,18}" if lookup_field == "pk" else "[^/.\\x00]+"
        return f"(?P<{lookup_prefix}{lookup_url_kwarg}>{value})"


router = Router()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("sectors", views.SectorViewSet, basename="sector")
router.register("tags", views.TagViewSet, basename="tag")
router.register("places", views.PlaceViewSet, basename="place")
for module in APP_MODULES:
    module.register(router)

urlpatterns = [
    path("", views.api_root, name="root"),
    path("auth/token/", views.AuthTokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.ApiDocsView.as_view(), name="docs"),
    path("docs/reference/", views.ApiReferenceView.as_view(), name="docs-reference"),
    *(url for module in APP_MODULES for url in module.urlpatterns),
    path("", include(router.urls)),
    # Any other address, newlines and all, answers JSON 404.
    re_path(r"^[\s\S]*$", views.not_found),
]
