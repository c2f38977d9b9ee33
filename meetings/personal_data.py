"""What deleting an account does in meetings (see accounts.personal_data)."""

from django.db.models import Q
from django.utils import timezone

from meetings import services
from meetings.models import MeetingRequest


def before_anonymising(person) -> None:
    """Call off the person's open requests whose meetings have not begun, so the
    other side is told and not left waiting; past meetings and outcomes stay."""
    open_requests = (
        MeetingRequest.objects.filter(Q(requester=person) | Q(recipient=person))
        .filter(
            status__in=(MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED)
        )
        .exclude(meetings__starts_at__lte=timezone.now())
        .select_related("requester", "recipient")
        .order_by("pk")
    )
    for request in open_requests:
        services.cancel_request(request, by=person)
