"""Two-factor sign-in: the authenticator (a django-otp TOTP device) and recovery codes.

An authenticator starts unconfirmed (`start_enrolment`) and counts once a code from it
was accepted (`confirm_enrolment`). Recovery codes are random, shown once and kept as
salted SHA-256 hashes: they carry 60 random bits, so a slow password hash would only
make ten checks per sign-in slow without making them safer.
"""

import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import permissions
from accounts.models import RecoveryCode, User
from core import audit

RECOVERY_CODE_COUNT = 10
# No 0/O or 1/I: people copy these from paper.
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RECOVERY_CODE_LENGTH = 12
DEVICE_NAME = "Mist"

TOTP = "totp"
RECOVERY = "recovery"


def authenticator_of(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_authenticator(user: User) -> bool:
    """True when the person turned two-factor sign-in on."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def remaining_recovery_codes(user: User) -> int:
    """How many of the person's recovery codes are still unused."""
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def hash_recovery_code(code: str, *, salt: str | None = None) -> str:
    """`salt$sha256(salt + code)` of a normalized code."""
    salt = salt if salt is not None else secrets.token_hex(16)
    digest = hashlib.sha256(f"{salt}{normalize_code(code)}".encode()).hexdigest()
    return f"{salt}${digest}"


def normalize_code(code: str) -> str:
    """Codes are accepted with spaces, dashes and in any case."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _new_recovery_code() -> str:
    raw = "".join(
        secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH)
    )
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4))


def start_enrolment(user: User) -> TOTPDevice:
    """The unconfirmed authenticator the person is setting up (made on first call)."""
    if has_authenticator(user):
        raise ValidationError(gettext("Two-factor sign-in is already on."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _wrong_code() -> ValidationError:
    return ValidationError(
        gettext(
            "This code is not correct. Enter the six-digit code your authenticator "
            "app shows now, or one of your recovery codes."
        ),
        code="wrong_code",
    )


def _too_soon() -> ValidationError:
    return ValidationError(
        gettext("Too many wrong codes in a row: wait a few seconds and try again."),
        code="throttled",
    )


def confirm_enrolment(user: User, *, code: str) -> list[str]:
    """Turn two-factor sign-in on with the authenticator being set up, once it
    shows a correct code; return the new recovery codes (to show once)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationError(gettext("Start the set-up again: it has expired."))
    allowed, _data = device.verify_is_allowed()
    if not allowed:
        raise _too_soon()
    if not device.verify_token(normalize_code(code)):
        raise ValidationError(
            gettext(
                "This code is not correct. Enter the six-digit code your "
                "authenticator app shows now."
            ),
            code="wrong_code",
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _replace_recovery_codes(user)
        audit.record("two_factor.enabled", user, actor=user)
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=hash_recovery_code(code)) for code in codes
    )
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    """New recovery codes for the person; the old ones stop working."""
    if not has_authenticator(user):
        raise ValidationError(gettext("Two-factor sign-in is off."))
    with transaction.atomic():
        codes = _replace_recovery_codes(user)
        audit.record("two_factor.recovery_codes_regenerated", user, actor=user)
    return codes


def _use_recovery_code(user: User, code: str) -> bool:
    wanted = normalize_code(code)
    if len(wanted) != RECOVERY_CODE_LENGTH:
        return False
    with transaction.atomic():
        for row in RecoveryCode.objects.select_for_update().filter(
            user=user, used_at__isnull=True
        ):
            salt, _sep, _digest = row.code_hash.partition("$")
            if hmac.compare_digest(
                hash_recovery_code(wanted, salt=salt), row.code_hash
            ):
                row.used_at = timezone.now()
                row.save(update_fields=["used_at"])
                audit.record(
                    "two_factor.recovery_code_used",
                    user,
                    actor=user,
                    remaining=remaining_recovery_codes(user),
                )
                return True
    return False


def check_code(user: User, code: str) -> str:
    """Accept a code from the person's authenticator or one unused recovery code;
    return which it was (TOTP or RECOVERY). Raise ValidationError when it is wrong
    or when wrong codes came too fast (the authenticator's own throttle)."""
    device = authenticator_of(user)
    if device is None:
        raise ValidationError(gettext("Two-factor sign-in is off."))
    allowed, _data = device.verify_is_allowed()
    if not allowed:
        raise _too_soon()
    normalized = normalize_code(code)
    if normalized.isdigit() and len(normalized) == device.digits:
        if device.verify_token(normalized):
            return TOTP
        raise _wrong_code()
    if _use_recovery_code(user, normalized):
        device.throttle_reset()
        return RECOVERY
    device.throttle_increment()
    raise _wrong_code()


def disable(user: User, *, code: str) -> None:
    """Turn two-factor sign-in off after a last correct code; never for people
    who must use it."""
    if permissions.must_use_two_factor(user):
        raise PermissionDenied
    check_code(user, code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        audit.record("two_factor.disabled", user, actor=user)


def reset(user: User, *, by: User) -> None:
    """A platform admin removes someone's authenticator and recovery codes (a lost
    phone); the person sets up a new one at the next sign-in if they must."""
    if not permissions.can_change_user(by, user):
        raise PermissionDenied
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        audit.record("two_factor.reset", user, actor=by)
