"""The project's addresses plus one that crashes, under /api/ and outside it."""

from django.urls import path

from config.urls import (  # noqa: F401 (Django reads the handlers from here)
    handler400,
    handler403,
    handler404,
    handler500,
)
from config.urls import urlpatterns as project_urlpatterns


def crash(request):
    raise RuntimeError("Deliberate crash for the test.")


urlpatterns = [
    path("api/v1/crash/", crash),
    path("crash/", crash),
    *project_urlpatterns,
]
