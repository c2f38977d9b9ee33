"""What every meetings page shares: paging, errors as messages, times in a zone."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator

PAGE_SIZE = 20


def page_of(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def report_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def in_zone(value, zone):
    """Wall-clock time in `zone`, naive so templates do not convert it again."""
    return value.astimezone(zone).replace(tzinfo=None) if value else None
