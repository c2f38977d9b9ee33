"""A visitor opens an event page in each language: the page carries schema.org
Event JSON-LD in that language, read the way a crawler's browser reads it."""

import datetime
import json
import zoneinfo

import pytest
from playwright.sync_api import expect

from tests.events.factories import EventFactory
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db(transaction=True)

KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")


def page_jsonld(page) -> list[dict]:
    return [
        json.loads(text)
        for text in page.locator(
            'script[type="application/ld+json"]'
        ).all_text_contents()
    ]


def test_event_page_json_ld_follows_the_page_language(page, live_server, screenshot):
    page.set_default_navigation_timeout(45_000)
    cluster = OrganizationFactory(name_uk="Кластер", name_en="The Cluster")
    start = datetime.datetime.combine(
        datetime.datetime.now(KYIV).date() + datetime.timedelta(days=5),
        datetime.time(10),
        tzinfo=KYIV,
    )
    event = EventFactory(
        slug="forum",
        organizer=cluster,
        title_uk="Інвестиційний форум",
        title_en="Investment forum",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        online_url="https://meet.example.org/forum",
        capacity=50,
    )

    page.goto(f"{live_server.url}/en/events/e/{event.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Investment forum")
    screenshot("event-jsonld-en")
    (english,) = page_jsonld(page)

    page.get_by_role("link", name="UK", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Інвестиційний форум")
    (ukrainian,) = page_jsonld(page)

    assert english["@type"] == ukrainian["@type"] == "Event"
    assert (english["inLanguage"], english["name"]) == ("en", "Investment forum")
    assert (ukrainian["inLanguage"], ukrainian["name"]) == ("uk", "Інвестиційний форум")
    assert english["startDate"] == start.isoformat()
    assert english["eventAttendanceMode"].endswith("MixedEventAttendanceMode")
    place, online = english["location"]
    assert place["@type"] == "Place"
    assert place["address"]["streetAddress"] == event.venue_en
    assert online == {"@type": "VirtualLocation", "url": event.online_url}
    assert english["organizer"]["name"] == "The Cluster"
    assert ukrainian["organizer"]["name"] == "Кластер"
    assert english["offers"]["url"] == page.url.replace("/uk/", "/en/") + (
        "#registration-heading"
    )
