"""events.filters.EventFilter serves the events page and GET /api/v1/events/ alike."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from events import permissions
from events.models import Event, Registration
from tests.events.factories import EventFactory, RegistrationFactory, in_days
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_events(organization):
    return [
        EventFactory(organizer=organization, title_en="Python meetup"),
        EventFactory(
            organizer=organization,
            title_en="Python hackathon",
            kind=Event.Kind.HACKATHON,
        ),
        EventFactory(
            organizer=organization,
            title_en="Python meetup of last year",
            starts_at=in_days(-300),
        ),
    ]


@pytest.mark.parametrize(
    "params",
    [{}, {"kind": "hackathon"}, {"q": "meetup"}, {"when": "past", "q": "python"}],
)
def test_page_and_api_list_the_same_events(client, three_events, params):
    page = client.get(reverse("events:event-list"), params)
    api = APIClient().get("/api/v1/events/", params)

    assert [event.slug for event in page.context["events"]] == [
        row["slug"] for row in api.json()["results"]
    ]


def test_bad_value_is_400_in_the_api_and_left_out_on_the_page(client, three_events):
    api = APIClient().get(
        "/api/v1/events/", {"when": "someday"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    page = client.get(reverse("events:event-list"), {"when": "someday"})

    assert api.status_code == 400
    assert api.json()["errors"] == {"when": ['"someday" is not a valid choice.']}
    assert page.status_code == 200
    assert page.context["filters"]["when"] == "upcoming"
    assert len(page.context["events"]) == 2


@pytest.mark.parametrize(
    ("event_status", "registration_status", "days", "expected"),
    [
        (Event.Status.PUBLISHED, Registration.Status.CONFIRMED, 10, True),
        (Event.Status.PUBLISHED, Registration.Status.WAITLISTED, 10, True),
        (Event.Status.PUBLISHED, Registration.Status.CANCELLED, 10, False),
        (Event.Status.CANCELLED, Registration.Status.CONFIRMED, 10, False),
        (Event.Status.PUBLISHED, Registration.Status.CONFIRMED, -10, False),
    ],
)
def test_can_give_up_place(event_status, registration_status, days, expected):
    event = EventFactory(status=event_status, starts_at=in_days(days))
    registration = RegistrationFactory(event=event, status=registration_status)

    assert permissions.can_give_up_place(registration.user, registration) is expected


@pytest.mark.parametrize(
    ("signed_in", "event_status", "days", "expected"),
    [
        (False, Event.Status.PUBLISHED, 10, True),
        (True, Event.Status.PUBLISHED, 10, False),
        (False, Event.Status.CANCELLED, 10, False),
        (False, Event.Status.PUBLISHED, -10, False),
    ],
)
def test_may_register_after_sign_in(signed_in, event_status, days, expected):
    event = EventFactory(status=event_status, starts_at=in_days(days))
    user = UserFactory() if signed_in else AnonymousUser()

    assert permissions.may_register_after_sign_in(user, event) is expected


def test_event_that_ended_just_now_is_past():
    event = EventFactory(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(minutes=1),
    )

    assert not permissions.may_register_after_sign_in(AnonymousUser(), event)
