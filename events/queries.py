"""Reads of events, with the visibility rules pages, feeds and the API share."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from accounts.permissions import is_cluster_staff
from accounts.queries import edited_organization_ids
from core.timezones import zone_city
from events.models import Event, Registration

LISTED = Q(is_public=True) & ~Q(status=Event.Status.DRAFT)
ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)


def events_visible_to(user) -> QuerySet[Event]:
    """Events `user` may see: listed ones for everyone; drafts and private ones for
    staff and the organizer's editors; private ones also for the people registered."""
    events = Event.objects.select_related("organizer")
    if is_cluster_staff(user):
        return events
    if user is None or not user.is_authenticated:
        return events.filter(LISTED)
    registered = Registration.objects.filter(user=user, status__in=ACTIVE).values(
        "event_id"
    )
    return events.filter(
        LISTED
        | Q(organizer_id__in=edited_organization_ids(user))
        | (Q(pk__in=registered) & ~Q(status=Event.Status.DRAFT))
    )


def public_events() -> QuerySet[Event]:
    """What the public feed carries: listed events only, whoever asks."""
    return Event.objects.select_related("organizer").filter(LISTED)


def with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate `confirmed_count`, `waitlist_count` and `places_left` (None when
    unlimited)."""
    return events.annotate(
        confirmed_count=Count(
            "registrations",
            filter=Q(registrations__status=Registration.Status.CONFIRMED),
            distinct=True,
        ),
        waitlist_count=Count(
            "registrations",
            filter=Q(registrations__status=Registration.Status.WAITLISTED),
            distinct=True,
        ),
    ).annotate(
        places_left=ExpressionWrapper(
            F("capacity") - F("confirmed_count"), output_field=IntegerField()
        )
    )


def with_own_registration(events: QuerySet[Event], user) -> QuerySet[Event]:
    """Annotate `is_registered`: `user` holds a place or a waiting-list place."""
    if user is None or not user.is_authenticated:
        return events
    return events.annotate(
        is_registered=Exists(
            Registration.objects.filter(
                event=OuterRef("pk"), user=user, status__in=ACTIVE
            )
        )
    )


def filter_events(
    events: QuerySet[Event],
    *,
    when: str = "upcoming",
    kind: str = "",
    q: str = "",
    now: datetime.datetime | None = None,
) -> QuerySet[Event]:
    """The list view's filters: upcoming (soonest first) or past (latest first),
    kind, and words in the title, description or venue in either language."""
    now = now or timezone.now()
    if kind in Event.Kind.values:
        events = events.filter(kind=kind)
    for word in q.split()[:8]:
        events = events.filter(
            Q(title_uk__icontains=word)
            | Q(title_en__icontains=word)
            | Q(description_uk__icontains=word)
            | Q(description_en__icontains=word)
            | Q(venue_uk__icontains=word)
            | Q(venue_en__icontains=word)
        )
    if when == "past":
        return events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    return events.filter(ends_at__gte=now).order_by("starts_at", "pk")


def events_between(
    events: QuerySet[Event],
    first: datetime.date,
    last: datetime.date,
    zone: zoneinfo.ZoneInfo,
) -> QuerySet[Event]:
    """Events overlapping the days `first`..`last` of the viewer's calendar (a
    month grid with the days of its first and last weeks)."""
    start = datetime.datetime.combine(first, datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time(), tzinfo=zone
    )
    return events.filter(starts_at__lt=end, ends_at__gte=start).order_by(
        "starts_at", "pk"
    )


def registrations_of(user) -> QuerySet[Registration]:
    """A person's own registrations (cancelled ones too), soonest event first."""
    if user is None or not user.is_authenticated:
        return Registration.objects.none()
    return (
        Registration.objects.filter(user=user)
        .exclude(event__status=Event.Status.DRAFT)
        .select_related("event", "event__organizer", "organization")
        .order_by("event__starts_at", "pk")
    )


def registration_of(user, event: Event) -> Registration | None:
    if user is None or not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(user=user, event=event)
        .select_related("event")
        .first()
    )


def participants_of(event: Event) -> QuerySet[Registration]:
    """Everyone registered, confirmed first, then the waiting list in its order."""
    return event.registrations.select_related("user", "organization").order_by(
        "status", "created_at", "pk"
    )


def waitlist_position(registration: Registration) -> int | None:
    """1 for the next person to move up; None when not on the waiting list."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=Registration.Status.WAITLISTED,
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


# Showing times in the event's zone and the viewer's.


@dataclass(frozen=True)
class TimeRange:
    """An event's start and end, read in one zone."""

    starts: datetime.datetime
    ends: datetime.datetime
    zone_name: str

    @property
    def same_day(self) -> bool:
        return self.starts.date() == self.ends.date()

    @property
    def city(self) -> str:
        return zone_city(self.zone_name)


@dataclass(frozen=True)
class EventTimes:
    """What an event page shows: the event's local times, and the viewer's when
    their zone differs."""

    local: TimeRange
    viewer: TimeRange | None


def times_of(event: Event, viewer_zone: str | None) -> EventTimes:
    local = TimeRange(
        event.starts_at.astimezone(event.zone),
        event.ends_at.astimezone(event.zone),
        event.time_zone,
    )
    viewer = None
    if viewer_zone and viewer_zone != event.time_zone:
        try:
            zone = zoneinfo.ZoneInfo(viewer_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None
        if zone is not None:
            starts = event.starts_at.astimezone(zone)
            # Two names for one zone (Kyiv, Kiev) need no second line.
            if starts.utcoffset() != local.starts.utcoffset() or (
                event.ends_at.astimezone(zone).utcoffset() != local.ends.utcoffset()
            ):
                viewer = TimeRange(starts, event.ends_at.astimezone(zone), viewer_zone)
    return EventTimes(local, viewer)


# The landing page (settings.MIST_HOME_FIGURES and MIST_HOME_HIGHLIGHTS).


def upcoming_events(now: datetime.datetime | None = None) -> QuerySet[Event]:
    """Listed, published events not over yet, the soonest first."""
    return (
        public_events()
        .filter(status=Event.Status.PUBLISHED, ends_at__gte=now or timezone.now())
        .order_by("starts_at", "pk")
    )


def event_figures() -> dict[str, int]:
    """For the landing page: how many events are coming."""
    return {"upcoming_events": upcoming_events().count()}


def home_next_event() -> dict:
    """For the landing page: the next event (or None)."""
    return {"next_event": upcoming_events().first()}
