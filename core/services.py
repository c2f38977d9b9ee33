"""Steps that the services of several apps share."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from translitua import translit


def unique_slug(text: str, taken: QuerySet, *, fallback: str) -> str:
    """A URL address from `text` (transliterated; `fallback` when nothing is left),
    with a random suffix while a row of `taken` already has it."""
    base = slugify(translit(text))[:100].strip("-") or fallback
    slug = base
    while taken.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(4, 'abcdefghijklmnopqrstuvwxyz0123456789')}"
    return slug


def required_reason(reason: str | None) -> str:
    """The reason for a refusal, trimmed; a `ValidationError` on "reason" when empty."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Write the reason: it is sent to the organization's editors."
                )
            },
            code="required",
        )
    return reason


def check_span(starts_at, ends_at) -> None:
    """A time span must end after it starts: a `ValidationError` on "ends_at"."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
