"""The issue's journey: a Denver company at a Kharkiv delegation visit meets locals.

Jim (America/Denver) registers for the visit, sees recommended Kharkiv companies with
their reasons, asks two of them for meetings; one accepts; the organizer adds the
registered people to the B2B session and runs the scheduler; both see the meeting in
their agendas and calendar feeds at their own local times.
"""

import datetime as dt
import re
import zoneinfo

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from directory.models import Organization
from meetings.models import B2BSession, Slot, Table
from tests.events.factories import EventFactory
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    TagFactory,
    UserFactory,
)

KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")
DENVER = zoneinfo.ZoneInfo("America/Denver")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def visit():
    """The delegation visit (Kyiv time), its B2B session, three local companies whose
    people registered, and Jim's US company with a match profile."""
    from events.models import Registration
    from matching.models import MatchProfile

    mobility = TagFactory(
        slug="smart-mobility", name_uk="Розумна мобільність", name_en="Smart mobility"
    )
    energy = TagFactory(
        slug="energy-efficiency",
        name_uk="Енергоефективність",
        name_en="Energy efficiency",
    )
    cluster = OrganizationFactory(name_uk="ІТ-кластер", name_en="IT Cluster")
    organizer = UserFactory(
        email="organizer@example.org", full_name="Олена Шевченко", role=Role.STAFF
    )
    day = timezone.localdate() + dt.timedelta(days=10)
    starts = dt.datetime.combine(day, dt.time(10), tzinfo=KYIV)
    event = EventFactory(
        organizer=cluster,
        kind="delegation_visit",
        slug="kharkiv-delegation-visit",
        title_uk="Візит делегації до Харкова",
        title_en="Kharkiv delegation visit",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=8),
        time_zone="Europe/Kyiv",
    )
    session = B2BSession.objects.create(
        event=event, title="B2B: Kharkiv × Albuquerque", slot_minutes=30
    )
    first = starts + dt.timedelta(hours=4)  # 14:00 Kyiv = 05:00 Denver
    for i in range(2):
        Slot.objects.create(
            session=session,
            starts_at=first + dt.timedelta(minutes=30 * i),
            ends_at=first + dt.timedelta(minutes=30 * (i + 1)),
        )
    for name in ("A", "B"):
        Table.objects.create(session=session, name=name)
    locals_ = []
    for i, (uk, en, person) in enumerate(
        [
            ("Мобіліті Лаб", "Mobility Lab", "Ірина Коваль"),
            ("Енерго Софт", "Energo Soft", "Петро Бойко"),
            ("Харків Дейта", "Kharkiv Data", "Марія Ткаченко"),
        ]
    ):
        company = OrganizationFactory(
            name_uk=uk, name_en=en, country="UA", slug=f"local-{i}"
        )
        company.tags.add(mobility, energy)
        user = UserFactory(
            email=f"local{i}@example.org",
            full_name=person,
            time_zone="Europe/Kyiv",
            preferred_language="uk",
        )
        MembershipFactory(user=user, organization=company)
        Registration.objects.create(event=event, user=user, organization=company)
        locals_.append(user)
    us_company = OrganizationFactory(
        name_uk="Сандія Роботікс",
        name_en="Sandia Robotics",
        country="US",
        slug="sandia-robotics",
    )
    us_company.tags.add(mobility)
    jim = UserFactory(
        email="jim@example.com",
        full_name="Jim Baca",
        time_zone="America/Denver",
        preferred_language="en",
    )
    MembershipFactory(user=jim, organization=us_company)
    profile = MatchProfile.objects.create(
        user=jim, organization=us_company, intents=["partnering"]
    )
    profile.tags.add(mobility, energy)
    return {
        "event": event,
        "session": session,
        "locals": locals_,
        "jim": jim,
        "organizer": organizer,
        "first": first,
    }


def shoot(page, live_server, screenshot, path, name):
    """The page in both languages, on a desktop and a phone."""
    for language in ("uk", "en"):
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.goto(f"{live_server.url}/{language}{path}")
            screenshot(f"meetings-{name}-{language}-{label}")
    page.set_viewport_size(DESKTOP)


def sign_out(page, live_server):
    page.context.clear_cookies()


def feed_starts(page, live_server):
    """DTSTART of the meetings in the signed-in person's personal feed."""
    page.goto(f"{live_server.url}/en/events/mine/")
    url = page.locator("#feed-url").input_value()
    body = page.request.get(url).body()
    calendar = icalendar.Calendar.from_ical(body)
    return [
        c.decoded("dtstart")
        for c in calendar.walk("VEVENT")
        if str(c["uid"]).startswith("meeting-")
    ]


def test_denver_company_meets_a_kharkiv_company(
    page, live_server, login, screenshot, visit, page_errors, check_accessibility
):
    event, session, jim = visit["event"], visit["session"], visit["jim"]
    first_local, second_local = visit["locals"][0], visit["locals"][1]
    page.set_viewport_size(DESKTOP)
    # The first request of a live server loads the dictionaries: give it time.
    page.goto(f"{live_server.url}/en/", timeout=90_000)
    # A long journey on a shared machine: wait longer than the default for each step.
    page.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)

    # Jim registers for the visit on behalf of his company.
    login(jim.email)
    page.goto(f"{live_server.url}/en/events/e/{event.slug}/")
    page.get_by_label("Coming for").select_option(label="Sandia Robotics")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered.", exact=True)).to_be_visible()

    # Recommended local companies at this event, each with its reasons.
    page.goto(f"{live_server.url}/en/partners/?event={event.pk}")
    expect(page.get_by_text("Smart mobility").first).to_be_visible()
    screenshot("meetings-journey-recommendations-en-desktop")
    for company, person in (
        ("Mobility Lab", first_local),
        ("Energo Soft", second_local),
    ):
        page.goto(f"{live_server.url}/en/partners/?event={event.pk}")
        page.get_by_role(
            "link", name=re.compile(f"Request a meeting.*{company}")
        ).click()
        expect(page.get_by_role("heading", name="Ask for a meeting")).to_be_visible()
        page.get_by_label("Person to meet").select_option(label=person.full_name)
        page.get_by_label("Message").fill(
            "Smart mobility pilot in Kharkiv and Albuquerque?"
        )
        page.get_by_role("button", name="Send the request").click()
        expect(
            page.get_by_text(f"Your request was sent to {person.full_name}.")
        ).to_be_visible()
    shoot(
        page,
        live_server,
        screenshot,
        "/meetings/requests/?box=outgoing",
        "requests-sent",
    )

    # Iryna (Kyiv) accepts from her requests; Petro never answers.
    sign_out(page, live_server)
    login(first_local.email)
    page.goto(f"{live_server.url}/en/meetings/requests/")
    expect(page.get_by_text("Jim Baca")).to_be_visible()
    shoot(page, live_server, screenshot, "/meetings/requests/", "requests-incoming")
    page.goto(f"{live_server.url}/en/meetings/requests/")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("You accepted the request.")).to_be_visible()

    # The organizer adds the registered people and runs the scheduler.
    sign_out(page, live_server)
    login(visit["organizer"].email)
    page.goto(f"{live_server.url}/en/meetings/sessions/{session.pk}/")
    page.get_by_role("button", name="Add everyone registered for the event").click()
    expect(page.get_by_text("4 participants added.")).to_be_visible()
    page.get_by_role("button", name="Run the scheduler").click()
    expect(
        page.get_by_text("Last run: 1 of 1 accepted requests scheduled")
    ).to_be_visible()
    grid = page.get_by_role("table", name="Meetings by slot and table")
    expect(grid.get_by_text("Jim Baca")).to_be_visible()
    shoot(
        page, live_server, screenshot, f"/meetings/sessions/{session.pk}/", "schedule"
    )
    page.goto(f"{live_server.url}/en/meetings/sessions/{session.pk}/")
    check_accessibility("the organizer's schedule")

    first = visit["first"]
    kyiv_time = first.astimezone(KYIV)
    denver_time = first.astimezone(DENVER)

    # Iryna's agenda and feed: Kyiv time.
    sign_out(page, live_server)
    login(first_local.email)
    page.goto(f"{live_server.url}/en/meetings/")
    card = page.locator(".meeting-card")
    expect(card).to_contain_text(kyiv_time.strftime("%H:%M"))
    expect(card).to_contain_text(f"{denver_time:%H:%M} for them (America/Denver)")
    shoot(page, live_server, screenshot, "/meetings/", "agenda-kyiv")
    (start,) = feed_starts(page, live_server)
    assert start.tzinfo.key == "Europe/Kyiv"
    assert start.replace(tzinfo=None) == kyiv_time.replace(tzinfo=None)

    # Jim's agenda and feed: Denver time.
    sign_out(page, live_server)
    login(jim.email)
    page.goto(f"{live_server.url}/en/meetings/")
    card = page.locator(".meeting-card")
    expect(card).to_contain_text(denver_time.strftime("%H:%M"))
    expect(card).to_contain_text(f"{kyiv_time:%H:%M} for them (Europe/Kyiv)")
    expect(card).to_contain_text("Table A")
    check_accessibility("the agenda")
    shoot(page, live_server, screenshot, "/meetings/", "agenda-denver")
    (start,) = feed_starts(page, live_server)
    assert start.tzinfo.key == "America/Denver"
    assert start.replace(tzinfo=None) == denver_time.replace(tzinfo=None)
    assert page_errors == []
    assert Organization.objects.filter(slug="sandia-robotics").exists()
