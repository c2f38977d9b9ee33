"""Changes to events and registrations: one function per use case, atomic, audited."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.services import unique_slug
from core.tasks import enqueue
from events import permissions
from events.models import CalendarToken, Event, Registration

EVENT_FIELDS = (
    "kind",
    "title_uk",
    "title_en",
    "description_uk",
    "description_en",
    "starts_at",
    "ends_at",
    "time_zone",
    "venue_uk",
    "venue_en",
    "online_url",
    "organizer",
    "capacity",
    "is_public",
)
REMINDER_AHEAD = datetime.timedelta(hours=24)


def _check_organizer(user, organization) -> None:
    probe = Event(organizer=organization)
    if not permissions.can_edit_event(user, probe):
        raise PermissionDenied(_("You do not edit the organizer of this event."))


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def create_event(*, by, **fields) -> Event:
    """Create a draft event organized by an organization `by` edits (or any, for
    staff)."""
    if not permissions.can_create_event(by):
        raise PermissionDenied
    _check_organizer(by, fields.get("organizer"))
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown event fields: {sorted(unknown)}")
    event = Event(
        slug=unique_slug(
            fields.get("title_en") or fields.get("title_uk") or "",
            Event.objects.all(),
            fallback="event",
        ),
        status=Event.Status.DRAFT,
        created_by=by,
        **fields,
    )
    event.full_clean()
    event.save()
    audit.record("event.created", event, actor=by)
    return event


@transaction.atomic
def update_event(event: Event, *, by, **fields) -> Event:
    """Change an event; a change raises its iCalendar SEQUENCE, and more capacity
    moves people up from the waiting list."""
    if not permissions.can_edit_event(by, event):
        raise PermissionDenied
    if "organizer" in fields and fields["organizer"] != event.organizer:
        _check_organizer(by, fields["organizer"])
    event = _lock(event)
    changed = [
        name
        for name, value in fields.items()
        if name in EVENT_FIELDS and getattr(event, name) != value
    ]
    if not changed:
        return event
    for name in changed:
        setattr(event, name, fields[name])
    event.sequence += 1
    event.full_clean(exclude=["slug"])
    event.save()
    audit.record("event.updated", event, actor=by, fields=changed)
    if "capacity" in changed and event.status == Event.Status.PUBLISHED:
        _promote_waitlisted(event)
    return event


@transaction.atomic
def publish_event(event: Event, *, by) -> Event:
    """Make a draft visible (in the public calendar when it is public)."""
    if not permissions.can_publish_event(by, event):
        raise PermissionDenied
    event = _lock(event)
    event.status = Event.Status.PUBLISHED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    audit.record("event.published", event, actor=by)
    return event


@transaction.atomic
def cancel_event(event: Event, *, by) -> Event:
    """Cancel an event and tell everyone registered, each in their language.

    Registrations stay as they are so personal calendars show the cancellation."""
    if not permissions.can_cancel_event(by, event):
        raise PermissionDenied
    event = _lock(event)
    was_published = event.status == Event.Status.PUBLISHED
    event.status = Event.Status.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    audit.record("event.cancelled", event, actor=by)
    if was_published:
        from events.tasks import send_event_cancelled_task

        for registration_id in event.registrations.filter(
            status__in=(Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
        ).values_list("pk", flat=True):
            enqueue(send_event_cancelled_task, registration_id)
    return event


def _confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


def _has_room(event: Event) -> bool:
    return event.capacity is None or _confirmed_count(event) < event.capacity


@transaction.atomic
def register(event: Event, user, *, organization=None) -> Registration:
    """Give `user` a place, or a place on the waiting list when the event is full.

    The event row is locked, so two people never take the last place together."""
    if not permissions.can_register(user, event):
        raise PermissionDenied(_("Registration for this event is closed."))
    if (
        organization is not None
        and not user.memberships.filter(organization=organization).exists()
    ):
        raise ValidationError({"organization": _("You are not a member of it.")})
    event = _lock(event)
    registration = (
        Registration.objects.select_for_update().filter(event=event, user=user).first()
    )
    if registration is not None and registration.status != (
        Registration.Status.CANCELLED
    ):
        return registration
    status = (
        Registration.Status.CONFIRMED
        if _has_room(event)
        else Registration.Status.WAITLISTED
    )
    now = timezone.now()
    if registration is None:
        registration = Registration.objects.create(
            event=event, user=user, organization=organization, status=status
        )
    else:
        # Coming back puts a person at the end of the waiting list.
        registration.status = status
        registration.organization = organization
        registration.created_at = now
        registration.cancelled_at = None
        registration.promoted_at = None
        registration.reminded_at = None
        registration.save()
    audit.record(
        "event.registered",
        event,
        actor=user,
        registration=registration.pk,
        status=status,
    )
    return registration


@transaction.atomic
def cancel_registration(registration: Registration, *, by) -> Registration:
    """Give up a place (or a waiting-list place); the first person waiting moves up."""
    if not permissions.can_cancel_registration(by, registration):
        raise PermissionDenied
    event = _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit.record(
        "event.registration_cancelled", event, actor=by, registration=registration.pk
    )
    if was_confirmed and event.status == Event.Status.PUBLISHED:
        _promote_waitlisted(event)
    return registration


def _promote_waitlisted(event: Event) -> list[Registration]:
    """Move people up from the waiting list, in order, while there is room; the
    caller holds the event's lock."""
    from events.tasks import send_promoted_task

    promoted = []
    while _has_room(event):
        registration = (
            Registration.objects.select_for_update()
            .filter(event=event, status=Registration.Status.WAITLISTED)
            .order_by("created_at", "pk")
            .first()
        )
        if registration is None:
            break
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = timezone.now()
        registration.save(update_fields=["status", "promoted_at", "updated_at"])
        audit.record("event.promoted", event, registration=registration.pk)
        enqueue(send_promoted_task, registration.pk)
        promoted.append(registration)
    return promoted


def send_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """E-mail everyone confirmed for an event starting within 24 hours, once per
    registration; returns how many reminders were queued."""
    from events.tasks import send_reminder_task

    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        reminded_at__isnull=True,
        event__status=Event.Status.PUBLISHED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + REMINDER_AHEAD,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            # The conditional update claims the reminder: two runs never both send.
            claimed = Registration.objects.filter(
                pk=pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if claimed:
                enqueue(send_reminder_task, pk)
                sent += 1
    return sent


def calendar_token_of(user) -> CalendarToken:
    """The person's calendar token, made on first use."""
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def regenerate_calendar_token(user) -> CalendarToken:
    """A new secret: the old feed address stops working."""
    CalendarToken.objects.filter(user=user).delete()
    token = CalendarToken.objects.create(user=user)
    audit.record("event.calendar_token_regenerated", token, actor=user)
    return token
