"""Permission-matrix rows of the `meetings` app (see tests/matrix/__init__.py).

The world's organization runs an event with a B2B session (one slot, one table, a
scheduled meeting between two outsiders). The Role.EDITOR subject edits that
organization, so it organizes the session; it also received its own meeting request
and takes part in the session. Other people's requests and meetings are 404 for
everyone else, staff included.
"""

import datetime as dt

from accounts.models import Role
from meetings.models import MeetingRequest, SessionParticipant, Slot, Table
from tests.events.factories import EventFactory
from tests.factories import UserFactory
from tests.matrix.base import (
    ANONYMOUS,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    STAFF,
    UNAUTHORIZED,
    Row,
    only,
    signed_in,
)
from tests.meetings.factories import (
    B2BSessionFactory,
    MeetingFactory,
    MeetingRequestFactory,
)

RUNNERS = (*STAFF, Role.EDITOR)


def build(world) -> None:
    event = EventFactory(organizer=world.organization, slug="matrix-b2b")
    session = B2BSessionFactory(event=event)
    slot = Slot.objects.create(
        session=session,
        starts_at=event.starts_at,
        ends_at=event.starts_at + dt.timedelta(minutes=20),
    )
    table = Table.objects.create(session=session, name="1")
    outsider = UserFactory(email="matrix-outsider@example.org")
    others = MeetingRequestFactory(
        requester=world.other_user,
        recipient=outsider,
        event=event,
        status=MeetingRequest.Status.ACCEPTED,
    )
    proposed = others.proposed_times.create(
        proposed_by=world.other_user,
        starts_at=event.starts_at,
        ends_at=event.starts_at + dt.timedelta(minutes=30),
    )
    participant = SessionParticipant.objects.create(session=session, user=outsider)
    world.extra.update(
        b2b=session,
        others_request=others,
        others_proposed=proposed,
        others_meeting=MeetingFactory(
            request=others,
            session=session,
            slot=slot,
            table=table,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
        ),
        b2b_participant=participant,
    )


def setup_actor(role, world, user) -> None:
    if role == Role.EDITOR:
        world.extra["own_request"] = MeetingRequestFactory(
            requester=world.other_user, recipient=user
        )
        SessionParticipant.objects.create(session=world.extra["b2b"], user=user)


def session(world) -> dict:
    return {"pk": world.extra["b2b"].pk}


def others_request(world) -> dict:
    return {"pk": world.extra["others_request"].pk}


def own_request(world) -> dict:
    request = world.extra.get("own_request")
    if request is None:  # only the Role.EDITOR subject has one
        request = MeetingRequestFactory(requester=world.other_user)
    return {"pk": request.pk}


def others_meeting(world) -> dict:
    return {"pk": world.extra["others_meeting"].pk}


def others_proposed(world) -> dict:
    return {"pk": world.extra["others_proposed"].pk}


def pin(world) -> dict:
    return {"pk": world.extra["b2b"].pk, "meeting_pk": world.extra["others_meeting"].pk}


def participant(world) -> dict:
    return {
        "pk": world.extra["b2b"].pk,
        "participant_pk": world.extra["b2b_participant"].pk,
    }


def runners(outcome) -> dict:
    return only(RUNNERS, outcome)


def own_only(outcome) -> dict:
    return only((Role.EDITOR,), outcome, others=NOT_FOUND)


HIDDEN = signed_in(NOT_FOUND)
API_HIDDEN = {**HIDDEN, ANONYMOUS: UNAUTHORIZED}

ROWS: list[Row] = [
    Row("meetings:agenda", signed_in(OK)),
    Row("meetings:agenda-pdf", signed_in(OK)),
    Row("meetings:request-list", signed_in(OK)),
    Row("meetings:request-create", signed_in(OK)),
    Row("meetings:working-hours", signed_in(OK)),
    Row("meetings:working-hours", signed_in(REDIRECT), method="post"),
    Row("meetings:request-detail", HIDDEN, kwargs=others_request),
    Row("meetings:request-detail", own_only(OK), kwargs=own_request, note="own"),
    Row("meetings:request-accept", HIDDEN, kwargs=others_request, method="post"),
    Row(
        "meetings:request-accept",
        own_only(REDIRECT),
        kwargs=own_request,
        method="post",
        note="own",
    ),
    Row("meetings:request-accept", signed_in(NOT_ALLOWED), kwargs=own_request),
    Row("meetings:request-decline", HIDDEN, kwargs=others_request, method="post"),
    Row("meetings:request-cancel", HIDDEN, kwargs=others_request, method="post"),
    Row(
        "meetings:request-cancel",
        own_only(REDIRECT),
        kwargs=own_request,
        method="post",
        note="own",
    ),
    Row("meetings:time-accept", HIDDEN, kwargs=others_proposed, method="post"),
    Row("meetings:meeting-outcome", HIDDEN, kwargs=others_meeting),
    Row("meetings:session-list", runners(OK)),
    Row("meetings:session-create", signed_in(NOT_FOUND), note="no-event"),
    Row("meetings:session-detail", runners(OK), kwargs=session),
    Row("meetings:session-slots", runners(REDIRECT), kwargs=session, method="post"),
    Row("meetings:session-tables", runners(REDIRECT), kwargs=session, method="post"),
    Row(
        "meetings:session-participants",
        runners(REDIRECT),
        kwargs=session,
        method="post",
    ),
    Row(
        "meetings:participant-group",
        runners(REDIRECT),
        kwargs=participant,
        method="post",
    ),
    Row("meetings:session-run", runners(REDIRECT), kwargs=session, method="post"),
    Row("meetings:session-run", signed_in(NOT_ALLOWED), kwargs=session),
    Row("meetings:session-progress", runners(OK), kwargs=session),
    Row("meetings:meeting-pin", runners(REDIRECT), kwargs=pin, method="post"),
    Row("meetings:session-disruption", runners(OK), kwargs=session),
    Row(
        "meetings:session-availability",
        own_only(OK),
        kwargs=session,
        note="participants",
    ),
    Row("api:meeting-list", {**signed_in(OK), ANONYMOUS: UNAUTHORIZED}),
    Row("api:meeting-detail", API_HIDDEN, kwargs=others_meeting),
    Row("api:meeting-request-list", {**signed_in(OK), ANONYMOUS: UNAUTHORIZED}),
    Row("api:meeting-request-detail", API_HIDDEN, kwargs=others_request),
]
