"""schema.org Event JSON-LD on an event's page."""

import datetime
import json
import re

import pytest
from django.conf import settings

from directory.models import Place
from events.models import Event
from tests.events.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def jsonld_of(response) -> dict:
    body = response.content.decode()
    match = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', body)
    assert match is not None, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_event_page_carries_event_jsonld_in_the_page_language(client, event):
    response = client.get(f"/uk/events/e/{event.slug}/")

    data = jsonld_of(response)
    zone = event.zone
    assert data["@type"] == "Event"
    assert data["inLanguage"] == "uk"
    assert data["name"] == event.title_uk
    assert data["description"] == event.description_uk
    assert data["startDate"] == event.starts_at.astimezone(zone).isoformat()
    assert data["endDate"] == event.ends_at.astimezone(zone).isoformat()
    assert datetime.datetime.fromisoformat(data["startDate"]).utcoffset() is not None
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert (
        data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    )
    assert data["organizer"]["name"] == event.organizer.name_uk
    assert data["offers"]["url"].startswith("http://testserver/uk/events/e/")
    assert data["offers"]["availability"] == "https://schema.org/InStock"
    assert data["remainingAttendeeCapacity"] == 2


def test_event_jsonld_location_is_a_place_with_the_home_city_address(client, event):
    city = Place.objects.get(code=settings.MIST_CITY_KATOTTG)

    data = jsonld_of(client.get(f"/en/events/e/{event.slug}/"))

    location = data["location"]
    assert location["@type"] == "Place"
    assert location["name"] == event.venue_en
    assert location["address"]["@type"] == "PostalAddress"
    assert location["address"]["streetAddress"] == event.venue_en
    assert location["address"]["addressLocality"] == city.name_en
    assert location["address"]["addressCountry"] == settings.MIST_HOME_COUNTRY
    assert "addressRegion" in location["address"]


def test_online_event_has_a_virtual_location(client, organization):
    event = EventFactory(
        organizer=organization,
        venue_uk="",
        venue_en="",
        online_url="https://meet.example.org/x",
    )

    data = jsonld_of(client.get(f"/en/events/e/{event.slug}/"))

    assert data["location"] == {
        "@type": "VirtualLocation",
        "url": "https://meet.example.org/x",
    }
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"


def test_cancelled_event_is_marked_cancelled_without_offers(client, organization):
    event = EventFactory(organizer=organization, status=Event.Status.CANCELLED)

    data = jsonld_of(client.get(f"/en/events/e/{event.slug}/"))

    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert "offers" not in data


def test_full_event_is_sold_out(client, event):
    RegistrationFactory.create_batch(2, event=event)

    data = jsonld_of(client.get(f"/en/events/e/{event.slug}/"))

    assert data["offers"]["availability"] == "https://schema.org/SoldOut"
    assert data["remainingAttendeeCapacity"] == 0


def test_draft_event_has_no_jsonld(client, organization, django_user_model):
    event = EventFactory(organizer=organization, status=Event.Status.DRAFT)
    staff = django_user_model.objects.create_superuser(
        email="staff@example.org", password="x-long-password-1"
    )
    client.force_login(staff)

    response = client.get(f"/en/events/e/{event.slug}/")

    assert response.status_code == 200
    assert "application/ld+json" not in response.content.decode()
