"""Reads of the meetings app: a person only ever sees their own requests, meetings."""

import datetime as dt

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
            "request__investment_project",
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


def meeting_recipients(user, *, organization=None, recipient_id=None):
    """Whom `user` may ask for a meeting: the active people of `organization`, or
    the one person `recipient_id` if they belong to an organization `user` may see
    (never a listing of accounts)."""
    from accounts.models import User
    from directory.queries import organizations_visible_to

    if organization is not None:
        people = User.objects.filter(
            memberships__organization=organization, is_active=True
        )
    elif recipient_id is not None:
        people = User.objects.filter(
            pk=recipient_id,
            is_active=True,
            memberships__organization__in=organizations_visible_to(user),
        )
    else:
        people = User.objects.none()
    return people.exclude(pk=user.pk).distinct().order_by("full_name", "pk")


def own_organizations(user):
    """The organizations `user` belongs to (and may see): whom they ask for."""
    from directory.queries import organizations_visible_to

    return organizations_visible_to(user).filter(memberships__user=user).distinct()


def home_organization_of(person):
    """The organization a person speaks for: the first they edit, else the first
    they belong to; None for nobody's."""
    membership = (
        person.memberships.select_related("organization")
        .order_by("-is_editor", "pk")
        .first()
    )
    return membership.organization if membership else None


def events_for_new_sessions(user) -> list:
    """Events not yet over to which `user` may add a B2B session (of the next 50)."""
    from django.utils import timezone

    from events.models import Event
    from meetings.permissions import can_create_session

    events = Event.objects.filter(ends_at__gte=timezone.now()).select_related(
        "organizer"
    )[:50]
    return [event for event in events if can_create_session(user, event)]


def participant_rows(session: B2BSession) -> list[dict]:
    """The session's participants by group and name, each with how many slots
    they can meet in."""
    participants = session.participants.select_related("user", "organization").order_by(
        "group", "user__full_name"
    )
    available = Count("availabilities__slot", distinct=True)
    counts = dict(session.participants.annotate(n=available).values_list("pk", "n"))
    return [{"participant": p, "count": counts.get(p.pk, 0)} for p in participants]


# Outcomes and the journey ------------------------------------------------------------

# Meetings ended longer ago than this get no outcome reminder any more.
OUTCOME_REMINDER_WINDOW = dt.timedelta(days=14)


def meetings_due_outcome_reminder(*, now: dt.datetime) -> QuerySet[Meeting]:
    """Meetings that ended at least a day ago (within the reminder window), where a
    side has not given its outcome, never reminded about yet."""
    return (
        Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED,
            ends_at__lte=now - dt.timedelta(days=1),
            ends_at__gt=now - OUTCOME_REMINDER_WINDOW,
            outcome_reminded_at__isnull=True,
        )
        .filter(
            Q(requester_outcome_at__isnull=True) | Q(recipient_outcome_at__isnull=True)
        )
        .select_related("request")
        .order_by("pk")
    )


def held_meetings(*, now: dt.datetime | None = None) -> QuerySet[Meeting]:
    """Meetings that took place: scheduled (not postponed or cancelled) and over."""
    from django.utils import timezone

    return Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED, ends_at__lte=now or timezone.now()
    )


def outcome_counts(meetings: QuerySet[Meeting] | None = None) -> dict:
    """How many meetings each outcome was given for, by either side (a meeting both
    sides call a partnership counts once), with how many got any answer."""
    meetings = held_meetings() if meetings is None else meetings
    either = {
        value: Q(requester_outcome=value) | Q(recipient_outcome=value)
        for value in Meeting.Outcome.values
    }
    figures = meetings.aggregate(
        held=Count("pk"),
        answered=Count(
            "pk",
            filter=Q(requester_outcome_at__isnull=False)
            | Q(recipient_outcome_at__isnull=False),
        ),
        **{value: Count("pk", filter=condition) for value, condition in either.items()},
    )
    figures["rows"] = [
        {"value": value, "label": label, "count": figures[value]}
        for value, label in Meeting.Outcome.choices
    ]
    return figures


def interests_for_outcome(user, meeting: Meeting):
    """The expressions of interest `user` may link to the meeting's outcome: the ones
    they may see, of the meeting's investment project when it is about one."""
    from investments.models import Interest
    from investments.queries import interests_visible_to

    interests = interests_visible_to(user)
    if meeting.request.investment_project_id:
        interests = interests.filter(project_id=meeting.request.investment_project_id)
    return interests.exclude(stage=Interest.Stage.DECLINED).order_by("-created_at")


def meeting_figures() -> dict[str, int]:
    """For the landing page: meetings held on the platform."""
    return {"meetings_held": held_meetings().count()}


def may_meet_about_submission(user, submission) -> bool:
    """A meeting may be about a submission only for someone who may see it: its
    own readers, or anyone once it is accepted (its public journey page)."""
    from exchange.queries import submissions_visible_to
    from reviews.queries import accepted_submissions

    return (
        submissions_visible_to(user).filter(pk=submission.pk).exists()
        or accepted_submissions().filter(pk=submission.pk).exists()
    )


def may_meet_about_project(user, project) -> bool:
    """A meeting may be about an investment project only for someone who sees it."""
    from investments.queries import projects_visible_to

    return projects_visible_to(user).filter(pk=project.pk).exists()
