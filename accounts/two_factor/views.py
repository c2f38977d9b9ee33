"""Two-factor sign-in pages: the code step, setting up, recovery codes, turning off."""

import io
from base64 import b32encode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import forms, permissions, two_factor
from accounts.two_factor import services as two_factor_services


def _next_url(request) -> str:
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


def _locked_out(request, credentials):
    """Too many wrong passwords and codes: end the half-done sign-in."""
    two_factor.end_pending(request)
    if request.user.is_authenticated:
        logout(request)
    request.axes_locked_out = False  # answered here; the middleware need not
    return get_lockout_response(request, credentials=credentials)


@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in: a code from the authenticator app or one of
    the recovery codes. Wrong codes count as failed sign-ins (django-axes)."""
    next_url = _next_url(request)
    if request.user.is_authenticated:
        if two_factor.is_verified(request):
            return redirect(next_url)
        user = request.user
    else:
        user = two_factor.pending_user(request)
        if user is None:
            return redirect(_with_next("accounts:login", next_url))
    if not two_factor_services.has_authenticator(user):
        if request.user.is_authenticated:
            return redirect(_with_next("accounts:two-factor-setup", next_url))
        two_factor.end_pending(request)
        return redirect(_with_next("accounts:login", next_url))
    credentials = {"username": user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        return _locked_out(request, credentials)
    form = forms.TwoFactorCodeForm(request.POST or None)
    if form.is_valid():
        try:
            method = two_factor_services.check_code(user, form.cleaned_data["code"])
        except ValidationError as error:
            user_login_failed.send(
                sender=__name__, credentials=credentials, request=request
            )
            if getattr(request, "axes_locked_out", False):
                return _locked_out(request, credentials)
            form.add_error("code", error)
        else:
            if not request.user.is_authenticated:
                login(request, user, backend=user.backend)
            two_factor.mark_verified(request, user)
            if method == two_factor_services.RECOVERY:
                left = two_factor_services.remaining_recovery_codes(user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code; %(count)d is left. "
                        "Make new ones on the two-factor sign-in page.",
                        "You signed in with a recovery code; %(count)d are left. "
                        "Make new ones on the two-factor sign-in page.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
    context = {"form": form, "next": next_url, "email": user.email}
    return _no_store(render(request, "accounts/two_factor_verify.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Set up an authenticator app: scan the QR code, enter the code it shows."""
    user = request.user
    next_url = _next_url(request)
    if two_factor_services.has_authenticator(user):
        if not two_factor.is_verified(request):
            return redirect(_with_next("accounts:two-factor-verify", next_url))
        return redirect("accounts:two-factor")
    device = two_factor_services.start_enrolment(user)
    form = forms.TwoFactorCodeForm(request.POST or None, recovery_allowed=False)
    if form.is_valid():
        try:
            codes = two_factor_services.confirm_enrolment(
                user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            two_factor.mark_verified(request, user)
            request.session[two_factor.NEW_CODES_KEY] = codes
            messages.success(request, gettext("Two-factor sign-in is on."))
            return redirect(_with_next("accounts:two-factor-recovery-codes", next_url))
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "required": permissions.must_use_two_factor(user),
    }
    return _no_store(render(request, "accounts/two_factor_setup.html", context))


@login_required
@require_GET
def qr_code(request):
    """The QR code of the authenticator being set up, as an SVG image."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        raise Http404
    import segno  # only this image needs it; kept out of start-up (see core.pdf)

    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        buffer,
        kind="svg",
        scale=5,
        border=4,
        light="#ffffff",
        xmldecl=False,
        title=gettext("QR code for your authenticator app"),
    )
    return _no_store(HttpResponse(buffer.getvalue(), content_type="image/svg+xml"))


@login_required
@require_GET
def overview(request):
    """The "Two-factor sign-in" page: whether it is on, and what can be done."""
    user = request.user
    enabled = two_factor_services.has_authenticator(user)
    if enabled and not two_factor.is_verified(request):
        return redirect(_with_next("accounts:two-factor-verify", request.path))
    context = {
        "enabled": enabled,
        "required": permissions.must_use_two_factor(user),
        "remaining": two_factor_services.remaining_recovery_codes(user),
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """New recovery codes, shown once; POST makes a new set."""
    user = request.user
    if not two_factor_services.has_authenticator(user):
        return redirect("accounts:two-factor")
    if not two_factor.is_verified(request):
        return redirect(_with_next("accounts:two-factor-verify", request.path))
    if request.method == "POST":
        codes = two_factor_services.regenerate_recovery_codes(user)
        request.session[two_factor.NEW_CODES_KEY] = codes
        messages.success(
            request, gettext("New recovery codes are made; the old ones stop working.")
        )
        return redirect("accounts:two-factor-recovery-codes")
    context = {
        "codes": request.session.pop(two_factor.NEW_CODES_KEY, None),
        "remaining": two_factor_services.remaining_recovery_codes(user),
        "next": _next_url(request),
    }
    return _no_store(
        render(request, "accounts/two_factor_recovery_codes.html", context)
    )


@login_required
@require_http_methods(["GET", "POST"])
def disable(request):
    """Turn two-factor sign-in off with a last code; not for people who must use it."""
    user = request.user
    if not permissions.can_turn_off_two_factor(user):
        raise PermissionDenied
    if not two_factor_services.has_authenticator(user):
        return redirect("accounts:two-factor")
    if not two_factor.is_verified(request):
        return redirect(_with_next("accounts:two-factor-verify", request.path))
    form = forms.TwoFactorCodeForm(request.POST or None)
    if form.is_valid():
        try:
            two_factor_services.disable(user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            request.session[two_factor.REQUIRED_KEY] = False
            messages.success(request, gettext("Two-factor sign-in is off."))
            return redirect("accounts:two-factor")
    return render(request, "accounts/two_factor_disable.html", {"form": form})
