"""iCalendar (RFC 5545) for events: one event, the public feed, personal feeds.

`event_component` and `calendar_of` are reused by other apps (meetings) for their
own items; every zone a component uses gets its VTIMEZONE. The icalendar library
is imported where a calendar is written, not when Django starts.

Every VEVENT has an ORGANIZER, which RFC 5546 requires with METHOD:PUBLISH: the
organizing organization's address, else the platform's own (DEFAULT_FROM_EMAIL)
under the organizer's name, so no person's address is published. Feeds (not single
.ics files) carry RFC 7986's NAME, SOURCE and REFRESH-INTERVAL (and Outlook's
X-PUBLISHED-TTL), so calendar apps know where to refresh them and how often."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from email.utils import parseaddr
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.mail import absolute_url
from events.models import Event, Registration

if TYPE_CHECKING:
    import icalendar

PRODID = "-//Mist//Events//EN"
REFRESH_INTERVAL = datetime.timedelta(hours=1)
STATUSES = {
    Event.Status.DRAFT: "TENTATIVE",
    Event.Status.PUBLISHED: "CONFIRMED",
    Event.Status.CANCELLED: "CANCELLED",
}


def site_host() -> str:
    """The site's host name: the domain part of iCalendar UIDs."""
    return urlparse(settings.SITE_URL).hostname or "mist.local"


def platform_address() -> str:
    """The platform's own e-mail address (DEFAULT_FROM_EMAIL without its name)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or f"noreply@{site_host()}"


def organizer_property(name: str, email: str = "") -> icalendar.vCalAddress:
    """ORGANIZER: `email`, or the platform's address, with `name` as its CN."""
    import icalendar

    organizer = icalendar.vCalAddress(f"mailto:{email or platform_address()}")
    organizer.params["cn"] = icalendar.vText(name)
    return organizer


def event_uid(event: Event) -> str:
    """Stable across edits and languages, so calendar apps update the one entry."""
    return f"event-{event.pk}@{site_host()}"


def event_component(event: Event) -> icalendar.Event:
    """One VEVENT in the active language, its times in the event's own zone."""
    import icalendar

    zone = event.zone
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    # With METHOD:PUBLISH, DTSTAMP is when this copy was made (RFC 5545 3.8.7.2);
    # LAST-MODIFIED and SEQUENCE carry the event's own revision.
    component.add("dtstamp", timezone.now().replace(microsecond=0))
    component.add("created", event.created_at.astimezone(datetime.UTC))
    component.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    component.add("sequence", event.sequence)
    component.add("dtstart", event.starts_at.astimezone(zone))
    component.add("dtend", event.ends_at.astimezone(zone))
    component.add("summary", str(event.title))
    url = absolute_url(event.get_absolute_url())
    description = str(event.description)
    component.add("description", f"{description}\n\n{url}".strip())
    location = str(event.venue) or event.online_url
    if location:
        component.add("location", location)
    component.add("url", url)
    component.add("status", STATUSES[event.status])
    component.add("categories", [event.get_kind_display()])
    component.add("class", "PUBLIC" if event.is_public else "PRIVATE")
    component.add(
        "organizer", organizer_property(str(event.organizer), event.organizer.email)
    )
    return component


def _date_span(components: list) -> tuple[datetime.date, datetime.date]:
    starts = [
        c.decoded("dtstart")
        for c in components
        if "dtstart" in c and isinstance(c.decoded("dtstart"), datetime.datetime)
    ]
    if not starts:
        today = timezone.now().date()
        return today, today + datetime.timedelta(days=366)
    first = min(starts).date() - datetime.timedelta(days=366)
    last = max(starts).date() + datetime.timedelta(days=366)
    return first, last


def _true_onset(
    zone: zoneinfo.ZoneInfo,
    written: datetime.datetime,
    before: datetime.timedelta,
    after: datetime.timedelta,
) -> datetime.datetime:
    """The transition's wall-clock time in the offset before it (RFC 5545 3.6.5)."""
    second = datetime.timedelta(seconds=1)
    for offset in (after, before):
        instant = (written - offset).replace(tzinfo=datetime.UTC)
        if (instant - second).astimezone(zone).utcoffset() == before and (
            instant.astimezone(zone).utcoffset() == after
        ):
            return (instant + before).replace(tzinfo=None)
    return written


def _fix_onsets(vtimezone: icalendar.Timezone) -> None:
    """icalendar 7.3 writes a DAYLIGHT onset in the new offset (04:00 for Kyiv's
    03:00 EET change); a client without the zone database would then switch an
    hour late. Rewrite each onset in the offset before the change."""
    try:
        zone = zoneinfo.ZoneInfo(str(vtimezone["TZID"]))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return
    for observance in vtimezone.subcomponents:
        before = observance.decoded("tzoffsetfrom")
        after = observance.decoded("tzoffsetto")
        if before == after:
            continue
        start = observance.decoded("dtstart")
        rdates = observance.get("rdate", [])
        if not isinstance(rdates, list):
            rdates = [rdates]
        onsets = [item.dt for rdate in rdates for item in rdate.dts]
        del observance["dtstart"]
        observance.add("dtstart", _true_onset(zone, start, before, after))
        if onsets:
            del observance["rdate"]
            for onset in onsets:
                observance.add("rdate", _true_onset(zone, onset, before, after))


def _drop_empty_observances(vtimezone: icalendar.Timezone) -> None:
    """A STANDARD or DAYLIGHT block without its onset or offsets says nothing, and
    a DAYLIGHT one whose offset does not change is no daylight saving time; strict
    readers reject both (RFC 5545 3.6.5)."""
    kept = []
    for observance in vtimezone.subcomponents:
        complete = all(
            key in observance for key in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO")
        )
        if complete and observance.name == "DAYLIGHT":
            complete = observance.decoded("tzoffsetfrom") != observance.decoded(
                "tzoffsetto"
            )
        if complete:
            kept.append(observance)
    vtimezone.subcomponents = kept


def calendar_of(
    components: Iterable[icalendar.Component], name: str, *, source: str = ""
) -> bytes:
    """A whole VCALENDAR (METHOD:PUBLISH) with a VTIMEZONE for every zone used; a
    feed (with its `source` URL) also says where and how often to refresh it."""
    components = list(components)
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if source:
        calendar.add("name", name)
        calendar.add("source", icalendar.vUri(source), parameters={"VALUE": "URI"})
        calendar.add(
            "refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"}
        )
        calendar.add("x-published-ttl", REFRESH_INTERVAL)
    for component in components:
        calendar.add_component(component)
    first, last = _date_span(components)
    # A zone's rules are written out for a year either side of the items, enough
    # for every DST change they cross, and the feed stays small.
    calendar.add_missing_timezones(first_date=first, last_date=last)
    for vtimezone in calendar.walk("VTIMEZONE"):
        _fix_onsets(vtimezone)
        _drop_empty_observances(vtimezone)
    return calendar.to_ical()


def event_calendar(event: Event) -> bytes:
    return calendar_of([event_component(event)], str(event.title))


def public_calendar(events: Iterable[Event], *, source: str = "") -> bytes:
    return calendar_of(
        (event_component(event) for event in events),
        _("Mist: ecosystem events"),
        source=source,
    )


def personal_components(user, registrations: Iterable[Registration]) -> list:
    """The person's events (waiting-list places as tentative), then every item the
    MIST_CALENDAR_SOURCES callables return for them."""
    import icalendar

    components = []
    for registration in registrations:
        component = event_component(registration.event)
        if (
            registration.status == Registration.Status.WAITLISTED
            and registration.event.status == Event.Status.PUBLISHED
        ):
            component["status"] = icalendar.vText("TENTATIVE")
            component["summary"] = icalendar.vText(
                _("%(title)s (waiting list)") % {"title": registration.event.title}
            )
        components.append(component)
    for path in getattr(settings, "MIST_CALENDAR_SOURCES", []):
        components.extend(import_string(path)(user))
    return components


def personal_calendar(
    user, registrations: Iterable[Registration], *, source: str = ""
) -> bytes:
    name = _("Mist: %(name)s") % {"name": user.get_full_name()}
    return calendar_of(personal_components(user, registrations), name, source=source)
