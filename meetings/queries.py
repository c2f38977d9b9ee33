"""Reads of the meetings app: a person only ever sees their own requests, meetings."""

from django.db.models import Count, Q, QuerySet

from accounts.permissions import is_cluster_staff, is_signed_in
from accounts.queries import edited_organization_ids
from meetings.models import (
    B2BSession,
    Meeting,
    MeetingRequest,
    SessionParticipant,
)


def requests_of(user) -> QuerySet[MeetingRequest]:
    """Requests the user sent or received, with both sides preloaded."""
    if not is_signed_in(user):
        return MeetingRequest.objects.none()
    return MeetingRequest.objects.filter(
        Q(requester=user) | Q(recipient=user)
    ).select_related(
        "requester",
        "recipient",
        "requester_organization",
        "recipient_organization",
        "event",
    )


def incoming_requests(user) -> QuerySet[MeetingRequest]:
    return requests_of(user).filter(recipient=user)


def outgoing_requests(user) -> QuerySet[MeetingRequest]:
    return requests_of(user).filter(requester=user)


def meetings_of(user) -> QuerySet[Meeting]:
    """The user's meetings (either side), ordered by time, with what cards show."""
    if not is_signed_in(user):
        return Meeting.objects.none()
    return (
        Meeting.objects.filter(Q(request__requester=user) | Q(request__recipient=user))
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related(
            "request",
            "request__requester",
            "request__recipient",
            "request__requester_organization",
            "request__recipient_organization",
            "request__event",
            "slot",
            "table",
            "session",
        )
        .order_by("starts_at", "pk")
    )


def sessions_organized_by(user) -> QuerySet[B2BSession]:
    """Sessions of events the user runs (all of them for cluster staff)."""
    if not is_signed_in(user):
        return B2BSession.objects.none()
    sessions = B2BSession.objects.select_related("event").annotate(
        n_participants=Count("participants", distinct=True),
        n_meetings=Count(
            "meetings",
            filter=Q(meetings__status=Meeting.Status.SCHEDULED),
            distinct=True,
        ),
    )
    if is_cluster_staff(user):
        return sessions
    return sessions.filter(event__organizer_id__in=edited_organization_ids(user))


def session_requests(session: B2BSession) -> QuerySet[MeetingRequest]:
    """Accepted requests of the session's event between two of its participants."""
    people = SessionParticipant.objects.filter(session=session).values("user_id")
    return MeetingRequest.objects.filter(
        event_id=session.event_id,
        status=MeetingRequest.Status.ACCEPTED,
        requester_id__in=people,
        recipient_id__in=people,
    ).select_related("requester", "recipient")
