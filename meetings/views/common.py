"""What every meetings page shares: errors as messages, times in a zone."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def report_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def in_zone(value, zone):
    """Wall-clock time in `zone`, naive so templates do not convert it again."""
    return value.astimezone(zone).replace(tzinfo=None) if value else None
