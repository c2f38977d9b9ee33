"""Where a session stands in the two-factor sign-in.

A person with a confirmed authenticator signs in in two steps: the password step
(accounts.views.LoginView) only remembers who they are (`begin`), and the code step
(accounts.two_factor.views.verify) signs them in and marks the session verified. A
person who must use two factors (accounts.permissions.must_use_two_factor) but has
no authenticator yet is signed in after the password and then kept on the enrolment
page by accounts.middleware.TwoFactorMiddleware until they set one up.

The check made on every request (`owes_second_factor`) reads only the session and
the user already loaded: no query. Whether someone must use two factors beyond their
role (a hook: reviewing for a call) and whether they have an authenticator are asked
once, at sign-in (`note_sign_in`), and kept in the session.
"""

import time

from django.contrib.auth import get_user_model

from accounts import permissions
from accounts.two_factor import services as two_factor_services

# The user who passed the password step and owes a code (not signed in yet).
PENDING_KEY = "_mist_2fa_pending"
# The signed-in user's id once the session passed the second factor.
VERIFIED_KEY = "_mist_2fa_verified"
# Set at sign-in: this session owes a second factor (the full must_use_two_factor
# answer, or the person has an authenticator), so the middleware asks for it.
REQUIRED_KEY = "_mist_2fa_required"
# Recovery codes waiting to be shown once, after they were made.
NEW_CODES_KEY = "_mist_2fa_new_codes"

PENDING_SECONDS = 10 * 60


def begin(request, user) -> None:
    """Remember that `user` passed the password step and owes a code."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", None),
        "at": int(time.time()),
    }


def pending_user(request):
    """The user who passed the password step in this session in the last ten
    minutes and owes a code, or None."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is not None:
        user.backend = pending.get("backend")
    return user


def end_pending(request) -> None:
    request.session.pop(PENDING_KEY, None)


def is_verified(request) -> bool:
    """True when the signed-in user passed the second factor in this session."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return request.session.get(VERIFIED_KEY) == user.pk


def mark_verified(request, user) -> None:
    request.session[VERIFIED_KEY] = user.pk
    end_pending(request)


def owes_second_factor(request) -> bool:
    """True when the signed-in user must pass a second factor before anything else:
    their role requires it (checked on every request, so a role granted during a
    session counts at once) or the sign-in found it required."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or is_verified(request):
        return False
    return bool(
        request.session.get(REQUIRED_KEY)
        or permissions.two_factor_required_by_role(user)
    )


def note_sign_in(sender, request, user, **kwargs) -> None:
    """On every sign-in (user_logged_in): does this session owe a second factor?"""
    session = getattr(request, "session", None)
    if session is None or session.get(VERIFIED_KEY) == user.pk:
        return
    session[REQUIRED_KEY] = permissions.must_use_two_factor(
        user
    ) or two_factor_services.has_authenticator(user)
