import datetime
import zoneinfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import translation

from events import ical, services
from events.models import Event
from tests.events.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")
DENVER = zoneinfo.ZoneInfo("America/Denver")


def kyiv_event(organization, day: datetime.date, **fields) -> Event:
    starts = datetime.datetime.combine(day, datetime.time(10), tzinfo=KYIV)
    return EventFactory(
        organizer=organization,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=8),
        **fields,
    )


def feed(client, language: str = "uk", name: str = "events:feed", **kwargs):
    with translation.override(language):
        url = reverse(name, kwargs=kwargs or None)
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def vevent(calendar, event: Event):
    uid = ical.event_uid(event)
    return next(c for c in calendar.walk("VEVENT") if str(c["UID"]) == uid)


# (day, UTC hour of 10:00 Kyiv, Denver wall-clock hour then)
DST_CASES = [
    (datetime.date(2027, 3, 10), 8, 1),  # both on winter time
    (datetime.date(2027, 3, 20), 8, 2),  # US on summer time, Kyiv not yet
    (datetime.date(2027, 4, 5), 7, 1),  # both on summer time
    (datetime.date(2027, 11, 3), 8, 2),  # Kyiv back on winter time, US not yet
    (datetime.date(2027, 11, 10), 8, 1),  # both on winter time again
]


@pytest.mark.parametrize(("day", "utc_hour", "denver_hour"), DST_CASES)
def test_feed_keeps_the_instant_across_dst_changes(
    client, organization, day, utc_hour, denver_hour
):
    event = kyiv_event(organization, day)

    component = vevent(feed(client), event)

    start = component.decoded("DTSTART")
    assert component["DTSTART"].params["TZID"] == "Europe/Kyiv"
    assert (start.hour, start.minute) == (10, 0)
    assert start.astimezone(datetime.UTC).hour == utc_hour
    assert start.astimezone(DENVER).hour == denver_hour
    assert start.astimezone(DENVER).date() == day


@pytest.mark.parametrize(("day", "utc_hour", "denver_hour"), DST_CASES)
def test_vtimezone_alone_gives_the_right_offset(
    client, organization, day, utc_hour, denver_hour
):
    """A client without a zone database reads the offsets from VTIMEZONE."""
    event = kyiv_event(organization, day)
    calendar = feed(client)
    zones = {str(tz["TZID"]): tz.to_tz() for tz in calendar.walk("VTIMEZONE")}

    wall = vevent(calendar, event).decoded("DTSTART").replace(tzinfo=None)

    local = wall.replace(tzinfo=zones["Europe/Kyiv"])
    assert local.astimezone(datetime.UTC).hour == utc_hour


def test_vtimezone_onsets_are_in_the_offset_before_the_change(client, organization):
    kyiv_event(organization, datetime.date(2027, 3, 20))
    EventFactory(
        organizer=organization,
        time_zone="America/Denver",
        starts_at=datetime.datetime(2027, 3, 20, 9, tzinfo=DENVER),
        ends_at=datetime.datetime(2027, 3, 20, 17, tzinfo=DENVER),
    )
    calendar = feed(client)

    onsets = {}
    for tz in calendar.walk("VTIMEZONE"):
        for observance in tz.walk("DAYLIGHT"):
            dates = [observance.decoded("DTSTART")]
            rdates = observance.get("RDATE", [])
            for rdate in rdates if isinstance(rdates, list) else [rdates]:
                dates += [item.dt for item in rdate.dts]
            onsets[str(tz["TZID"])] = sorted(dates)

    # Kyiv moves at 03:00 EET on the last Sunday of March; Denver at 02:00 MST on
    # the second Sunday of March (RFC 5545 3.6.5: wall clock before the change).
    wall_clock = datetime.datetime.fromisoformat
    assert wall_clock("2027-03-28T03:00") in onsets["Europe/Kyiv"]
    assert wall_clock("2027-03-14T02:00") in onsets["America/Denver"]


def test_denver_event_reads_right_in_kyiv(client, organization):
    event = EventFactory(
        organizer=organization,
        time_zone="America/Denver",
        starts_at=datetime.datetime(2027, 3, 20, 9, tzinfo=DENVER),
        ends_at=datetime.datetime(2027, 3, 20, 17, tzinfo=DENVER),
    )

    component = vevent(feed(client), event)

    start = component.decoded("DTSTART")
    assert component["DTSTART"].params["TZID"] == "America/Denver"
    assert start.astimezone(KYIV).hour == 17  # MDT -6, EET +2: 8 hours apart


def test_feed_is_publish_with_name_and_language_of_the_url(client, organization):
    event = EventFactory(
        organizer=organization, title_uk="Хакатон", title_en="Hackathon"
    )

    uk = feed(client, "uk")
    en = feed(client, "en")

    assert str(uk["METHOD"]) == "PUBLISH"
    assert str(uk["VERSION"]) == "2.0"
    assert str(uk["X-WR-CALNAME"])
    assert str(vevent(uk, event)["SUMMARY"]) == "Хакатон"
    assert str(vevent(en, event)["SUMMARY"]) == "Hackathon"
    assert vevent(uk, event)["UID"] == vevent(en, event)["UID"]
    assert "DTSTAMP" in vevent(uk, event)
    assert set(uk.get_used_tzids()) <= {str(tz["TZID"]) for tz in uk.walk("VTIMEZONE")}


def test_changes_raise_sequence_and_cancelling_marks_cancelled(
    client, organization, editor
):
    event = EventFactory(organizer=organization)

    before = vevent(feed(client), event)
    services.update_event(event, by=editor, title_uk="Нова назва")
    services.cancel_event(event, by=editor)
    after = vevent(feed(client), event)

    assert before["SEQUENCE"] == 0
    assert after["SEQUENCE"] == 2
    assert str(before["STATUS"]) == "CONFIRMED"
    assert str(after["STATUS"]) == "CANCELLED"


def test_event_ics_is_one_valid_event(client, event):
    calendar = feed(client, name="events:event-ics", slug=event.slug)

    assert [str(c["UID"]) for c in calendar.walk("VEVENT")] == [ical.event_uid(event)]
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Kyiv"]


def test_public_feed_leaves_out_drafts_and_private_events(client, organization):
    listed = EventFactory(organizer=organization)
    draft = EventFactory(organizer=organization, status=Event.Status.DRAFT)
    private = EventFactory(organizer=organization, is_public=False)

    uids = {str(c["UID"]) for c in feed(client).walk("VEVENT")}

    assert uids == {ical.event_uid(listed)}
    assert ical.event_uid(draft) not in uids
    assert ical.event_uid(private) not in uids


def extra_items(user):
    """A stand-in for meetings.calendar.personal_items."""
    item = icalendar.Event()
    item.add("uid", f"meeting-1-{user.pk}@test")
    item.add("dtstamp", datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC))
    item.add("dtstart", datetime.datetime(2027, 3, 20, 9, tzinfo=DENVER))
    item.add("dtend", datetime.datetime(2027, 3, 20, 9, 30, tzinfo=DENVER))
    item.add("summary", "B2B meeting")
    return [item]


def test_personal_feed_has_registrations_and_calendar_sources(
    client, organization, settings
):
    settings.MIST_CALENDAR_SOURCES = ["tests.events.test_ical.extra_items"]
    person = UserFactory()
    full = EventFactory(organizer=organization, capacity=0)
    mine = EventFactory(organizer=organization)
    other = EventFactory(organizer=organization)
    services.register(mine, person)
    services.register(full, person)
    token = services.calendar_token_of(person).token

    calendar = feed(client, name="events:personal-feed", token=token)

    summaries = {str(c["UID"]): str(c["SUMMARY"]) for c in calendar.walk("VEVENT")}
    assert set(summaries) == {
        ical.event_uid(mine),
        ical.event_uid(full),
        f"meeting-1-{person.pk}@test",
    }
    assert ical.event_uid(other) not in summaries
    assert str(vevent(calendar, full)["STATUS"]) == "TENTATIVE"
    tzids = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert tzids == {"Europe/Kyiv", "America/Denver"}
