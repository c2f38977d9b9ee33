"""The API's addresses: one convention for every path.

Resources are plural nouns with hyphens, flat under /api/v1/ (an app's name goes
into the noun when it is needed to tell resources apart: `talent-roles`,
`review-assignments`), then the object's identifier, then an action as a verb:
`GET /calls/{slug}/`, `POST /submissions/{id}/withdraw/`. The apps' API modules
register their viewsets and paths; the names they registered before this
convention are mapped here (MOVED_PREFIXES, MOVED_PATHS; MOVED_ACTIONS lists the
actions renamed in their modules), and every old address answers with a permanent
redirect to the new one (301 for GET and HEAD, 308 for the rest, which keeps the
method and body) for one release.
"""

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

# Viewset prefixes as the apps register them -> their path in the convention.
MOVED_PREFIXES = {
    "exchange/calls": "calls",
    "exchange/submissions": "submissions",
    "reviews/assignments": "review-assignments",
    "reviews/reviews": "reviews",
    "reviews/decisions": "decisions",
    "talent/roles": "talent-roles",
    "talent/invitations": "talent-invitations",
    "my-registrations": "event-registrations",
}
# Plain paths as the apps register them -> their path in the convention.
MOVED_PATHS = {
    "auth/token/": "auth-tokens/",
    "investments/oc4ids/": "investment-projects/oc4ids/",
    "reviews/calls/<slug:slug>/dashboard/": "calls/<slug:slug>/review-dashboard/",
    "reviews/submissions/<int:pk>/reviews/": "submissions/<int:pk>/reviews/",
    "talent/profile/": "talent-profiles/me/",
    "talent/matches/": "talent-matches/",
    "talent/aggregates/": "talent-aggregates/",
}
# Actions renamed in the apps' modules (url_path): (resource, old) -> new.
MOVED_ACTIONS = {
    ("investment-interests", "confirm_terms"): "confirm-terms",
    ("investment-projects", "status"): "transition",
}


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

    def register(self, prefix, viewset, basename=None):
        super().register(MOVED_PREFIXES.get(prefix, prefix), viewset, basename)


def _conventional(pattern):
    """An app's plain path under its name in the convention."""
    route = str(pattern.pattern)
    if route not in MOVED_PATHS:
        return pattern
    return path(
        MOVED_PATHS[route], pattern.callback, pattern.default_args, name=pattern.name
    )


def _redirects() -> list:
    """Every old address -> its new one (the old prefix and anything below it)."""
    found = []
    for old, new in MOVED_PREFIXES.items():
        found.append(path(f"{old}/", views.moved, {"to": f"{new}/"}))
        found.append(path(f"{old}/<path:rest>", views.moved, {"to": new + "/{rest}"}))
    for old, new in MOVED_PATHS.items():
        to = new.replace("<slug:slug>", "{slug}").replace("<int:pk>", "{pk}")
        found.append(path(old, views.moved, {"to": to}))
    for (prefix, action), verb in MOVED_ACTIONS.items():
        found.append(
            path(
                f"{prefix}/<str:key>/{action}/",
                views.moved,
                {"to": prefix + "/{key}/" + verb + "/"},
            )
        )
    return found


router = Router()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("sectors", views.SectorViewSet, basename="sector")
router.register("tags", views.TagViewSet, basename="tag")
router.register("places", views.PlaceViewSet, basename="place")
for module in APP_MODULES:
    module.register(router)

urlpatterns = [
    path("", views.api_root, name="root"),
    path("auth-tokens/", views.AuthTokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.ApiDocsView.as_view(), name="docs"),
    path("docs/reference/", views.ApiReferenceView.as_view(), name="docs-reference"),
    *(_conventional(url) for module in APP_MODULES for url in module.urlpatterns),
    path("", include(router.urls)),
    # The addresses before the convention, for one release.
    *_redirects(),
    # Any other address, newlines and all, answers JSON 404.
    re_path(r"^[\s\S]*$", views.not_found),
]
