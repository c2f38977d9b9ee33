"""Every calendar feed read by two independent parsers (icalendar and vobject):
the same items at the same instants, ORGANIZER on every item (RFC 5546 PUBLISH),
NAME, SOURCE and REFRESH-INTERVAL on feeds (RFC 7986), no empty time zone blocks,
and meeting titles with the name in the right Ukrainian case."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.urls import reverse
from django.utils import translation

from events.models import Event, Registration
from events.services import calendar_token_of
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import OrganizationFactory, UserFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

ZONES = ("Europe/Kyiv", "America/Denver", "UTC", "Asia/Tokyo")


@pytest.fixture
def person():
    """Olena (Kyiv) registered for events in four zones (one on the waiting list,
    one cancelled) and meets Yulia Tkach, who asked for the meeting."""
    olena = UserFactory(
        full_name="Олена Коваль", time_zone="Europe/Kyiv", preferred_language="uk"
    )
    organizer = OrganizationFactory(email="")
    for index, zone in enumerate(ZONES):
        starts = datetime.datetime(2027, 3 + index * 2, 10, 10, tzinfo=ZoneInfo(zone))
        event = EventFactory(
            organizer=organizer,
            time_zone=zone,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3),
            status=Event.Status.CANCELLED if index == 3 else Event.Status.PUBLISHED,
        )
        status = Registration.Status.WAITLISTED if index == 1 else "confirmed"
        RegistrationFactory(event=event, user=olena, status=status)
    yulia = UserFactory(full_name="Юлія Ткач")
    start = datetime.datetime(2027, 5, 12, 12, tzinfo=datetime.UTC)
    MeetingFactory(
        request__requester=yulia,
        request__recipient=olena,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
    )
    return olena


def feed_urls(person) -> list[str]:
    token = calendar_token_of(person).token
    event = Event.objects.order_by("pk").first()
    urls = []
    for language in ("uk", "en"):
        with translation.override(language):
            urls += [
                reverse("events:feed"),
                reverse("events:personal-feed", kwargs={"token": token}),
                reverse("events:event-ics", kwargs={"slug": event.slug}),
            ]
    return urls


def both_parsers(body: bytes):
    return icalendar.Calendar.from_ical(body), vobject.readOne(body.decode())


def test_every_feed_reads_the_same_in_both_parsers(client, person):
    for url in feed_urls(person):
        body = client.get(url).content

        first, second = both_parsers(body)

        ours = {
            str(c["UID"]): c.decoded("DTSTART").astimezone(datetime.UTC)
            for c in first.walk("VEVENT")
        }
        theirs = {
            item.uid.value: item.dtstart.value.astimezone(datetime.UTC)
            for item in second.vevent_list
        }
        assert ours == theirs, url
        assert ours, url
        assert str(first["METHOD"]) == second.method.value == "PUBLISH"
        for item in second.vevent_list:
            assert item.organizer.value.startswith("mailto:"), url
            assert item.organizer.params["CN"][0], url


def test_feeds_say_where_and_how_often_to_refresh(client, person):
    for url in feed_urls(person):
        response = client.get(url)
        calendar = icalendar.Calendar.from_ical(response.content)
        is_feed = not url.endswith("/event.ics")

        assert ("REFRESH-INTERVAL" in calendar) == is_feed
        if is_feed:
            assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
            assert calendar.decoded("REFRESH-INTERVAL") == datetime.timedelta(hours=1)
            assert calendar["SOURCE"].params["VALUE"] == "URI"
            assert str(calendar["SOURCE"]) == f"http://testserver{url}"
            assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"])


def test_no_time_zone_block_is_empty(client, person):
    for url in feed_urls(person):
        calendar = icalendar.Calendar.from_ical(client.get(url).content)

        for vtimezone in calendar.walk("VTIMEZONE"):
            assert vtimezone.subcomponents, vtimezone["TZID"]
            for block in vtimezone.subcomponents:
                assert "DTSTART" in block
                before = block.decoded("TZOFFSETFROM")
                after = block.decoded("TZOFFSETTO")
                if block.name == "DAYLIGHT":
                    assert before != after, (url, str(vtimezone["TZID"]))


def test_meeting_title_puts_the_name_in_the_instrumental_case(client, person):
    token = calendar_token_of(person).token
    with translation.override("uk"):
        url = reverse("events:personal-feed", kwargs={"token": token})

    calendar = icalendar.Calendar.from_ical(client.get(url).content)

    (meeting,) = [
        c for c in calendar.walk("VEVENT") if str(c["UID"]).startswith("meeting-")
    ]
    assert str(meeting["SUMMARY"]) == "Зустріч з Юлією Ткач"
    assert meeting["ORGANIZER"].params["CN"] == "Юлія Ткач"
    assert "yulia" not in str(meeting["ORGANIZER"]).lower()


@pytest.mark.parametrize(
    ("name", "instrumental"),
    [
        ("Юлія Ткач", "Юлією Ткач"),
        ("Іван Петренко", "Іваном Петренком"),
        ("Андрій Шевчук", "Андрієм Шевчуком"),
        ("Ткач Юлія", "Ткач Юлією"),
        ("Maria Lopez", "Maria Lopez"),
        ("", ""),
    ],
)
def test_names_inflect_by_the_first_name_gender(name, instrumental):
    from core.inflection import inflect_name

    assert inflect_name(name, "instrumental") == instrumental
