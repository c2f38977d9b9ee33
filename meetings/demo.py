"""Demo data of this app, loaded by `manage.py seed_demo` (MIST_DEMO_SEEDERS).

A B2B session at the upcoming demo delegation visit (found by kind), with slots, tables,
the demo users as participants (the English-speaking visitors as the delegation), a few
accepted requests and a schedule; working hours for the demo users. Idempotent.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, User
from core import demo

# Demo users who take part (the delegation: the visitors), their accepted meeting
# requests, the session's title.
DATA = demo.load(__file__)


def _org(user):
    membership = Membership.objects.filter(user=user).select_related("organization")
    first = membership.first()
    return first.organization if first else None


def _working_hours(users) -> int:
    """Nine to six on weekdays for every demo user without working hours."""
    from meetings.models import WorkingHours

    made = 0
    for user in users:
        if not WorkingHours.objects.filter(user=user).exists():
            WorkingHours.objects.bulk_create(
                WorkingHours(user=user, weekday=d, start=dt.time(9), end=dt.time(18))
                for d in range(5)
            )
            made += 1
    return made


def _session(event, users: dict):
    """The B2B session at `event`: slots, tables, everyone available in every slot,
    and the accepted meeting requests."""
    from meetings.models import (
        Availability,
        B2BSession,
        MeetingRequest,
        SessionParticipant,
        Slot,
        Table,
    )

    spec = DATA["session"]
    session = B2BSession.objects.create(
        event=event, **spec, created_by=users.get("staff@mist.local")
    )
    start, minutes = event.starts_at + dt.timedelta(hours=2), spec["slot_minutes"]
    slots = Slot.objects.bulk_create(
        Slot(
            session=session,
            starts_at=start + dt.timedelta(minutes=minutes * i),
            ends_at=start + dt.timedelta(minutes=minutes * (i + 1)),
        )
        for i in range(DATA["slots"])
    )
    Table.objects.bulk_create(
        Table(session=session, name=str(i + 1)) for i in range(DATA["tables"])
    )
    Group = SessionParticipant.Group
    participants = [
        SessionParticipant.objects.create(
            session=session,
            user=user,
            organization=_org(user),
            group=Group.DELEGATION if email in DATA["delegation"] else Group.LOCAL,
        )
        for email, user in users.items()
    ]
    Availability.objects.bulk_create(
        Availability(participant=p, slot=s) for p in participants for s in slots
    )
    for request in DATA["requests"]:
        requester, recipient = request["requester"], request["recipient"]
        if requester in users and recipient in users:
            MeetingRequest.objects.create(
                requester=users[requester],
                requester_organization=_org(users[requester]),
                recipient=users[recipient],
                recipient_organization=_org(users[recipient]),
                event=event,
                message=DATA["request_message"],
                status=MeetingRequest.Status.ACCEPTED,
                priority=request["priority"],
                responded_at=timezone.now(),
            )
    return session


def seed_demo() -> str:
    """Create the app's demo data once; return a one-line summary for the console."""
    from events.models import Event
    from meetings.models import B2BSession
    from meetings.services import schedule_session

    users = {u.email: u for u in User.objects.filter(email__in=DATA["users"])}
    hours = _working_hours(users.values())
    event = (
        Event.objects.filter(
            kind=Event.Kind.DELEGATION_VISIT,
            ends_at__gte=timezone.now(),
            status=Event.Status.PUBLISHED,
        )
        .order_by("starts_at")
        .first()
    )
    if event is None or len(users) < 4:
        return f"meetings: working hours for {hours} people; no delegation visit"
    if B2BSession.objects.filter(event=event).exists():
        return f"meetings: working hours for {hours} people; session already there"
    with transaction.atomic():
        session = _session(event, users)
    result = schedule_session(session, notify=False)
    return (
        f"meetings: working hours for {hours} people; B2B session with "
        f"{len(result.assignments)} meetings scheduled"
    )
