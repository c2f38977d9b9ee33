from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import events, exchange, investments, matching, meetings, reviews, views

# Each app's API module registers its viewsets and may add plain paths.
APP_MODULES = (exchange, reviews, investments, events, matching, meetings)

app_name = "api"

router = SimpleRouter()
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
    *(url for module in APP_MODULES for url in module.urlpatterns),
    path("", include(router.urls)),
    re_path(r"^.*$", views.not_found),
]
