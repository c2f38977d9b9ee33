from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import views

app_name = "api"

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("sectors", views.SectorViewSet, basename="sector")
router.register("tags", views.TagViewSet, basename="tag")
router.register("places", views.PlaceViewSet, basename="place")

urlpatterns = [
    path("", views.api_root, name="root"),
    path("auth/token/", views.AuthTokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.ApiDocsView.as_view(), name="docs"),
    path("", include(router.urls)),
    re_path(r"^.*$", views.not_found),
]
