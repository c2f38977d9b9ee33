"""Permission-matrix rows of the `events` app (see tests/matrix/__init__.py).

The world's organization organizes a published public event and a draft; the
Role.EDITOR subject edits that organization (so it runs both events) and holds a
place at the public one. EDITOR_ELSEWHERE edits another organization."""

from accounts.models import Role
from events.models import CalendarToken, Event, Registration
from tests.events.factories import EventFactory
from tests.matrix.base import (
    ANONYMOUS,
    CREATED,
    EDITOR_ELSEWHERE,
    FORBIDDEN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    STAFF,
    UNAUTHORIZED,
    Row,
    everyone,
    only,
    signed_in,
)

RUNNERS = (*STAFF, Role.EDITOR)  # staff, and editors of the organizer
CREATORS = (*RUNNERS, EDITOR_ELSEWHERE)  # anyone who edits some organization


def build(world) -> None:
    world.extra["event"] = EventFactory(
        organizer=world.organization, slug="matrix-event", capacity=10
    )
    world.extra["draft_event"] = EventFactory(
        organizer=world.organization,
        slug="matrix-draft",
        status=Event.Status.DRAFT,
    )
    world.extra["calendar_token"] = CalendarToken.objects.create(user=world.other_user)


def setup_actor(role, world, user) -> None:
    if role == Role.EDITOR:
        world.extra["event_registration"] = Registration.objects.create(
            event=world.extra["event"], user=user
        )


def event(world) -> dict:
    return {"slug": world.extra["event"].slug}


def draft(world) -> dict:
    return {"slug": world.extra["draft_event"].slug}


def token(world) -> dict:
    return {"token": world.extra["calendar_token"].token}


def no_token(world) -> dict:
    return {"token": "not-a-token"}


def own_registration(world) -> dict:
    registration = world.extra.get("event_registration")
    if registration is None:  # only the Role.EDITOR subject has one
        registration = Registration.objects.create(
            event=world.extra["event"], user=world.other_user
        )
    return {"pk": registration.pk}


def event_form(world) -> dict:
    return {
        "kind": Event.Kind.MEETUP,
        "organizer": world.organization.pk,
        "title_uk": "Нова зустріч",
        "title_en": "New meetup",
        "time_zone": "Europe/Kyiv",
        "starts_at": "2030-05-12T10:00",
        "ends_at": "2030-05-12T18:00",
        "venue_uk": "Харків",
        "is_public": "on",
    }


def api_new_event(world) -> dict:
    return {
        "kind": "meetup",
        "organizer": world.organization.slug,
        "title_uk": "Нова зустріч",
        "time_zone": "Europe/Kyiv",
        "starts_at": "2030-05-12T10:00",
        "ends_at": "2030-05-12T18:00",
        "venue_uk": "Харків",
    }


def api_change(world) -> dict:
    return {"title_en": "Changed through the API"}


def api_register(world) -> dict:
    return {"event": world.extra["event"].slug}


# Pages that need a signed-in organizer of the event.
def runners(outcome, *, others=FORBIDDEN) -> dict:
    return only(RUNNERS, outcome, others=others)


# A draft is missing (404) for whoever does not run it.
def draft_runners(outcome) -> dict:
    return only(RUNNERS, outcome, others=NOT_FOUND)


def api_only(roles, outcome, *, others=FORBIDDEN) -> dict:
    return only(roles, outcome, others=others, anonymous=UNAUTHORIZED)


ROWS: list[Row] = [
    # ---- events: calendar and pages ----
    Row("events:event-list", everyone(OK)),
    Row("events:event-month", everyone(OK)),
    Row("events:event-month", everyone(NOT_ALLOWED), method="post"),
    Row("events:my-events", signed_in(OK)),
    Row("events:feed", everyone(OK)),
    Row("events:personal-feed", everyone(OK), kwargs=token),
    Row("events:personal-feed", everyone(NOT_FOUND), kwargs=no_token, note="bad"),
    Row("events:calendar-token-regenerate", signed_in(REDIRECT), method="post"),
    Row("events:calendar-token-regenerate", signed_in(NOT_ALLOWED)),
    Row("events:event-detail", everyone(OK), kwargs=event),
    Row(
        "events:event-detail",
        {**draft_runners(OK), ANONYMOUS: NOT_FOUND},
        kwargs=draft,
        note="draft",
    ),
    Row("events:event-ics", everyone(OK), kwargs=event),
    Row(
        "events:event-ics",
        {**draft_runners(OK), ANONYMOUS: NOT_FOUND},
        kwargs=draft,
        note="draft",
    ),
    # ---- events: registration ----
    Row("events:event-register", signed_in(REDIRECT), kwargs=event, method="post"),
    Row("events:event-register", signed_in(NOT_ALLOWED), kwargs=event),
    Row(
        "events:event-register",
        only(RUNNERS, FORBIDDEN, others=NOT_FOUND),
        kwargs=draft,
        method="post",
        note="draft",
    ),
    Row(
        "events:registration-cancel",
        only((Role.EDITOR,), OK, others=NOT_FOUND),
        kwargs=event,
    ),
    Row(
        "events:registration-cancel",
        only((Role.EDITOR,), REDIRECT, others=NOT_FOUND),
        kwargs=event,
        method="post",
    ),
    # ---- events: organizing ----
    Row("events:event-create", only(CREATORS, OK)),
    Row(
        "events:event-create",
        {**only(RUNNERS, REDIRECT), EDITOR_ELSEWHERE: OK},
        method="post",
        data=event_form,
        note="organizer-not-theirs-rerenders",
    ),
    Row("events:event-edit", runners(OK), kwargs=event),
    Row("events:event-edit", draft_runners(OK), kwargs=draft, note="draft"),
    Row(
        "events:event-edit",
        runners(REDIRECT),
        kwargs=event,
        method="post",
        data=event_form,
    ),
    Row(
        "events:event-publish",
        draft_runners(REDIRECT),
        kwargs=draft,
        method="post",
    ),
    Row(
        "events:event-publish",
        runners(FORBIDDEN),
        kwargs=event,
        method="post",
        note="already-published",
    ),
    Row("events:event-publish", signed_in(NOT_ALLOWED), kwargs=draft),
    Row("events:event-cancel", runners(OK), kwargs=event),
    Row("events:event-cancel", runners(REDIRECT), kwargs=event, method="post"),
    Row("events:event-participants", runners(OK), kwargs=event),
    Row(
        "events:event-participants",
        draft_runners(OK),
        kwargs=draft,
        note="draft",
    ),
    Row("events:event-participants-csv", runners(OK), kwargs=event),
    # ---- api: events ----
    Row("api:event-list", everyone(OK)),
    Row(
        "api:event-list",
        api_only(RUNNERS, CREATED),
        method="post",
        data=api_new_event,
        json=True,
    ),
    Row("api:event-detail", everyone(OK), kwargs=event),
    Row(
        "api:event-detail",
        {**draft_runners(OK), ANONYMOUS: NOT_FOUND},
        kwargs=draft,
        note="draft",
    ),
    Row(
        "api:event-detail",
        api_only(RUNNERS, OK),
        kwargs=event,
        method="patch",
        data=api_change,
        json=True,
    ),
    Row(
        "api:event-detail",
        api_only(RUNNERS, OK, others=NOT_FOUND),
        kwargs=draft,
        method="patch",
        data=api_change,
        json=True,
        note="draft",
    ),
    Row(
        "api:event-detail",
        api_only((), OK, others=NOT_ALLOWED),
        kwargs=event,
        method="delete",
    ),
    Row(
        "api:event-publish",
        api_only(RUNNERS, OK, others=NOT_FOUND),
        kwargs=draft,
        method="post",
    ),
    Row(
        "api:event-cancel",
        api_only(RUNNERS, OK),
        kwargs=event,
        method="post",
    ),
    # ---- api: my registrations ----
    Row("api:my-registration-list", {**signed_in(OK), ANONYMOUS: UNAUTHORIZED}),
    Row(
        "api:my-registration-list",
        {**signed_in(CREATED), ANONYMOUS: UNAUTHORIZED},
        method="post",
        data=api_register,
        json=True,
    ),
    Row(
        "api:my-registration-detail",
        api_only((Role.EDITOR,), OK, others=NOT_FOUND),
        kwargs=own_registration,
    ),
    Row(
        "api:my-registration-cancel",
        api_only((Role.EDITOR,), OK, others=NOT_FOUND),
        kwargs=own_registration,
        method="post",
    ),
]
