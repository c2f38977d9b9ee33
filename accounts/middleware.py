import zoneinfo

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext

from accounts import two_factor


class UserTimeZoneMiddleware:
    """Show times in the signed-in person's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        name = user.time_zone if user is not None and user.is_authenticated else ""
        try:
            zone = zoneinfo.ZoneInfo(name) if name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        return self.get_response(request)


class TwoFactorMiddleware:
    """The one place that keeps a session owing a second factor on the two-factor
    pages: every other page redirects there (the API answers 403 in JSON)."""

    OPEN_VIEWS = {
        "accounts:two-factor-verify",
        "accounts:two-factor-setup",
        "accounts:two-factor-qr",
        "accounts:logout",
        "set_language",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if two_factor.owes_second_factor(request) and not self._is_open(request):
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {
                        "detail": gettext(
                            "Finish signing in with your second factor first."
                        ),
                        "errors": {},
                    },
                    status=403,
                )
            url = reverse("accounts:two-factor-verify")
            query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
            return redirect(f"{url}?{query}")
        return self.get_response(request)

    def _is_open(self, request) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in self.OPEN_VIEWS
