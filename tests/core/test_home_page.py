"""The landing page tells the truth: live figures from every app, checked against
counts made here independently, the next event and the open call (issue 13)."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone, translation

from events.models import Event
from exchange.models import Call
from investments.models import InvestmentProject
from meetings.models import Meeting, MeetingRequest
from tests.events.factories import EventFactory
from tests.exchange.factories import CallFactory
from tests.investments.factories import ProjectFactory, RateFactory
from tests.meetings.factories import MeetingFactory, MeetingRequestFactory


def _world():
    now = timezone.now()
    CallFactory(title_en="Open call A", closes_at=now + dt.timedelta(days=3))
    CallFactory(title_en="Open call B", closes_at=now + dt.timedelta(days=9))
    CallFactory(phase=Call.Phase.DRAFT)
    CallFactory(closes_at=now - dt.timedelta(days=1))  # closed by time
    CallFactory(phase=Call.Phase.REVIEW)
    RateFactory(currency="USD", uah_per_unit=Decimal("40"))
    RateFactory(currency="EUR", uah_per_unit=Decimal("44"))
    ProjectFactory(financing_sought=Decimal("1000000"), financing_currency="USD")
    ProjectFactory(financing_sought=Decimal("500000"), financing_currency="EUR")
    ProjectFactory(status=InvestmentProject.Status.DRAFT)
    EventFactory(
        title_en="Forum",
        starts_at=now + dt.timedelta(days=2),
        ends_at=now + dt.timedelta(days=2, hours=3),
    )
    EventFactory(
        starts_at=now + dt.timedelta(days=20),
        ends_at=now + dt.timedelta(days=20, hours=3),
    )
    EventFactory(
        starts_at=now - dt.timedelta(days=20),
        ends_at=now - dt.timedelta(days=20, hours=-3),
    )
    EventFactory(
        status=Event.Status.DRAFT,
        starts_at=now + dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=1, hours=2),
    )
    past = now - dt.timedelta(days=1)
    for _ in range(2):
        MeetingFactory(
            request=MeetingRequestFactory(status=MeetingRequest.Status.ACCEPTED),
            starts_at=past,
            ends_at=past + dt.timedelta(minutes=30),
        )
    MeetingFactory()  # upcoming
    MeetingFactory(
        status=Meeting.Status.CANCELLED,
        starts_at=past,
        ends_at=past + dt.timedelta(minutes=30),
    )


def test_home_figures_match_independent_counts(client, db):
    _world()
    now = timezone.now()

    with translation.override("en"):
        response = client.get(reverse("core:home"))

    figures = response.context["figures"]
    assert (
        figures["open_calls"]
        == Call.objects.filter(
            phase=Call.Phase.SUBMISSION, opens_at__lte=now, closes_at__gt=now
        ).count()
        == 2
    )
    public = InvestmentProject.objects.filter(
        status__in=InvestmentProject.PUBLIC_STATUSES
    )
    assert figures["published_projects"] == public.count() == 2
    # 1 000 000 USD + 500 000 EUR at 44/40 UAH per unit = 1 550 000 USD.
    assert figures["financing_sought"] == Decimal("1550000.00")
    assert figures["financing_currency"] == "USD"
    assert (
        figures["upcoming_events"]
        == Event.objects.filter(
            is_public=True, status=Event.Status.PUBLISHED, ends_at__gte=now
        ).count()
        == 2
    )
    assert (
        figures["meetings_held"]
        == Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED, ends_at__lte=now
        ).count()
        == 2
    )


def test_home_shows_the_next_event_the_open_call_and_links(client, db):
    _world()

    with translation.override("en"):
        response = client.get(reverse("core:home"))
        links = {
            reverse("exchange:call-list"),
            reverse("investments:project-list"),
            reverse("events:event-list"),
            reverse("matching:needoffer-list"),
            reverse("insights:journey-list"),
            reverse("api:docs"),
        }

    body = response.content.decode()
    assert response.context["highlights"]["next_event"].title_en == "Forum"
    assert response.context["highlights"]["open_call"].title_en == "Open call A"
    assert "Forum" in body
    assert "Open call A" in body
    assert "Coming soon" not in body
    for link in links:
        assert f'href="{link}"' in body
    assert "investment projects seeking USD 1.6 M" in " ".join(body.split())


def test_home_without_anything_says_zero(client, db):
    with translation.override("en"):
        response = client.get(reverse("core:home"))

    figures = response.context["figures"]
    assert (figures["open_calls"], figures["published_projects"]) == (0, 0)
    assert (figures["upcoming_events"], figures["meetings_held"]) == (0, 0)
    assert response.context["highlights"] == {"next_event": None, "open_call": None}
