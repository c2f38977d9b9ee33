"""The admin site behind the two-factor sign-in."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from accounts import two_factor


class MistAdminSite(admin.AdminSite):
    """Open only to sessions that passed the second factor; people sign in through
    Mist's own sign-in page (which asks for the code), never the admin's form."""

    def has_permission(self, request):
        return super().has_permission(request) and two_factor.is_verified(request)

    def login(self, request, extra_context=None):
        target = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
            target = reverse("admin:index")
        if self.has_permission(request):
            return redirect(target)
        if not request.user.is_authenticated:
            url = reverse("accounts:login")
        elif not two_factor.is_verified(request):
            url = reverse("accounts:two-factor-verify")
        else:
            # Signed in and verified, but without admin-site access.
            raise PermissionDenied
        return redirect(f"{url}?{urlencode({REDIRECT_FIELD_NAME: target})}")
