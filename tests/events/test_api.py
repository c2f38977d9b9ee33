import datetime

import pytest
from django.utils import translation
from rest_framework.serializers import ModelSerializer
from rest_framework.test import APIClient

from api.events import EventSerializer
from events import queries, services
from events.models import Event, Registration
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_anyone_lists_listed_events_only(api, organization):
    listed = EventFactory(organizer=organization)
    EventFactory(organizer=organization, status=Event.Status.DRAFT)
    EventFactory(organizer=organization, is_public=False)

    response = api.get("/api/v1/events/")

    assert [e["slug"] for e in response.json()["results"]] == [listed.slug]


def test_private_event_is_404_for_strangers_and_visible_to_organizers(
    api, organization, editor
):
    private = EventFactory(organizer=organization, is_public=False)

    stranger = api.get(f"/api/v1/events/{private.slug}/")
    api.force_authenticate(editor)
    organizer = api.get(f"/api/v1/events/{private.slug}/")

    assert stranger.status_code == 404
    assert organizer.json()["slug"] == private.slug


def test_event_shows_local_times_and_counts(api, event):
    RegistrationFactory(event=event)

    data = api.get(f"/api/v1/events/{event.slug}/").json()

    assert data["time_zone"] == "Europe/Kyiv"
    assert data["local_starts_at"].startswith(
        event.starts_at.astimezone(event.zone).strftime("%Y-%m-%dT%H:%M")
    )
    assert (data["confirmed_count"], data["capacity"]) == (1, 2)


def test_organizer_creates_with_local_time_and_publishes(api, organization, editor):
    api.force_authenticate(editor)
    body = {
        "kind": "investment_forum",
        "organizer": organization.slug,
        "title_uk": "Інвестиційний форум",
        "title_en": "Investment forum",
        "time_zone": "America/Denver",
        "starts_at": "2027-11-03T09:00",  # MDT, the US changes on 7 November
        "ends_at": "2027-11-03T17:00",
        "online_url": "https://meet.example.org/forum",
    }

    created = api.post("/api/v1/events/", body, format="json")
    slug = created.json()["slug"]
    published = api.post(f"/api/v1/events/{slug}/publish/")

    assert created.status_code == 201
    assert created.json()["starts_at"] == "2027-11-03T15:00:00Z"
    assert published.json()["status"] == "published"


def test_strangers_may_not_write_events(api, event, organization):
    api.force_authenticate(UserFactory())

    change = api.patch(
        f"/api/v1/events/{event.slug}/", {"title_en": "Mine"}, format="json"
    )
    cancel = api.post(f"/api/v1/events/{event.slug}/cancel/")
    create = api.post(
        "/api/v1/events/",
        {
            "kind": "meetup",
            "organizer": organization.slug,
            "title_uk": "Х",
            "time_zone": "Europe/Kyiv",
            "starts_at": "2027-01-01T10:00",
            "ends_at": "2027-01-01T12:00",
        },
        format="json",
    )

    assert (change.status_code, cancel.status_code, create.status_code) == (
        403,
        403,
        403,
    )


def test_register_and_cancel_through_my_registrations(api, event):
    person = UserFactory()
    api.force_authenticate(person)

    created = api.post(
        "/api/v1/event-registrations/", {"event": event.slug}, format="json"
    )
    pk = created.json()["id"]
    cancelled = api.post(f"/api/v1/event-registrations/{pk}/cancel/")

    assert created.status_code == 201
    assert created.json()["status"] == "confirmed"
    assert cancelled.json()["status"] == "cancelled"


def test_my_registrations_are_my_own(api, event):
    theirs = RegistrationFactory(event=event)
    mine = RegistrationFactory(event=event)
    api.force_authenticate(mine.user)

    listing = api.get("/api/v1/event-registrations/")
    other = api.get(f"/api/v1/event-registrations/{theirs.pk}/")
    cancel_other = api.post(f"/api/v1/event-registrations/{theirs.pk}/cancel/")

    assert [r["id"] for r in listing.json()["results"]] == [mine.pk]
    assert (other.status_code, cancel_other.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert theirs.status == Registration.Status.CONFIRMED


def test_registering_for_a_draft_is_400_as_for_no_event(api, organization):
    draft = EventFactory(organizer=organization, status=Event.Status.DRAFT)
    api.force_authenticate(UserFactory())

    response = api.post(
        "/api/v1/event-registrations/",
        {"event": draft.slug},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "event": ["There is no event with this address that you may see."]
    }
    assert not draft.registrations.exists()


def test_waitlisted_registration_shows_position(api, event):
    for person in UserFactory.create_batch(3):
        services.register(event, person)
    person = UserFactory()
    api.force_authenticate(person)

    data = api.post(
        "/api/v1/event-registrations/", {"event": event.slug}, format="json"
    ).json()

    assert (data["status"], data["waitlist_position"]) == ("waitlisted", 2)


@pytest.mark.parametrize("count", [1, 5])
def test_event_list_query_count(
    api, organization, count, django_assert_max_num_queries
):
    EventFactory.create_batch(count, organizer=organization)

    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/events/")

    assert response.json()["count"] == count


@pytest.mark.parametrize("count", [1, 5])
def test_my_registrations_query_count(
    api, organization, count, django_assert_max_num_queries
):
    person = UserFactory()
    for event in EventFactory.create_batch(count, organizer=organization):
        RegistrationFactory(
            event=event,
            user=person,
            status=Registration.Status.CONFIRMED,
            created_at=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
        )
    api.force_authenticate(person)

    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/event-registrations/")

    assert response.json()["count"] == count


@pytest.mark.parametrize("language", ["uk", "en"])
def test_event_representation_is_model_serializers_own(rf, organization, language):
    """EventSerializer builds its rows by hand for speed: the same keys in the same
    order with the same values as ModelSerializer's field machinery."""
    online = EventFactory(
        organizer=organization,
        online_url="https://meet.example/x",
        capacity=None,
        title_en="",
        time_zone="America/Denver",
    )
    venue = EventFactory(organizer=organization, capacity=3)
    RegistrationFactory(event=venue)
    request = rf.get("/", HTTP_ACCEPT_LANGUAGE=language)

    with translation.override(language):
        serializer = EventSerializer(context={"request": request})
        counted = list(queries.with_counts(Event.objects.filter(pk=venue.pk)))
        for event in (online, venue, *counted):
            expected = ModelSerializer.to_representation(serializer, event)
            expected["online_url"] = expected["online_url"] or None

            assert list(serializer.to_representation(event).items()) == list(
                expected.items()
            )
