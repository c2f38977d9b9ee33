"""What deleting an account does in events (see accounts.personal_data)."""

from django.utils import timezone

from events import services
from events.models import Registration


def before_anonymising(person) -> None:
    """Give up the person's places at events that have not started, so the first
    person waiting moves up; attendance of past events stays as it was."""
    upcoming = (
        Registration.objects.filter(user=person, event__starts_at__gt=timezone.now())
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event")
        .order_by("pk")
    )
    for registration in upcoming:
        services.cancel_registration(registration, by=person)
