"""A visitor browses the events calendar; a signed-in person registers, finds the
event in "My events" and downloads it as a valid .ics file."""

import datetime
import zoneinfo
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import expect

from events.models import Event, Registration
from tests.browser.conftest import PHONE
from tests.events.factories import EventFactory
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")


@pytest.fixture(autouse=True)
def _patient_navigation(page):
    """The shared machine is busy: give whole page loads more time."""
    page.set_default_navigation_timeout(45_000)


@pytest.fixture
def calendar_events(db):
    """A delegation visit in three days (10:00–18:00 Kyiv), a hackathon and an
    online meetup in the same month, and a draft nobody outside may see."""
    cluster = OrganizationFactory(
        slug="kharkiv-it-cluster",
        name_uk="Харківський ІТ-кластер",
        name_en="Kharkiv IT Cluster",
    )
    day = (datetime.datetime.now(KYIV) + datetime.timedelta(days=3)).date()
    start = datetime.datetime.combine(day, datetime.time(10), tzinfo=KYIV)
    visit = EventFactory(
        slug="albuquerque-delegation",
        kind=Event.Kind.DELEGATION_VISIT,
        organizer=cluster,
        title_uk="Візит делегації з Альбукерке",
        title_en="Albuquerque delegation visit",
        description_uk="Компанії з Нью-Мексико зустрічаються з харківськими командами.",
        description_en="New Mexico companies meet Kharkiv teams.",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=8),
        capacity=20,
    )
    EventFactory(
        slug="civic-hackathon",
        kind=Event.Kind.HACKATHON,
        organizer=cluster,
        title_uk="Хакатон «Місто, що відновлюється»",
        title_en="Rebuilding City hackathon",
        starts_at=start + datetime.timedelta(days=1),
        ends_at=start + datetime.timedelta(days=2),
        capacity=100,
    )
    EventFactory(
        slug="online-coffee",
        organizer=cluster,
        title_uk="Онлайн-кава Альбукерке — Харків",
        title_en="Albuquerque–Kharkiv online coffee",
        time_zone="America/Denver",
        venue_uk="",
        venue_en="",
        online_url="https://meet.example.org/coffee",
        starts_at=start - datetime.timedelta(hours=6),
        ends_at=start - datetime.timedelta(hours=5),
    )
    EventFactory(
        slug="secret-draft",
        organizer=cluster,
        title_uk="Чернетка",
        title_en="Secret draft",
        status=Event.Status.DRAFT,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    return visit


def month_url(live_server, language, event):
    local = event.starts_at.astimezone(KYIV)
    return f"{live_server.url}/{language}/events/month/{local.year}/{local.month}/"


def test_visitor_browses_and_a_member_registers_and_downloads_ics(
    page,
    live_server,
    page_errors,
    login,
    check_accessibility,
    calendar_events,
    user_menu,
):
    visit = calendar_events
    page.goto(month_url(live_server, "en", visit))
    expect(page.get_by_role("heading", level=1, name="Events")).to_be_visible()
    expect(
        page.get_by_role("link", name="Albuquerque delegation visit")
    ).to_be_visible()
    expect(page.get_by_text("Secret draft")).to_have_count(0)
    check_accessibility("events month")

    page.get_by_role("link", name="List", exact=True).click()
    expect(page.get_by_role("heading", name="3 upcoming events")).to_be_visible()
    page.get_by_label("Kind").select_option("delegation_visit")
    expect(page.get_by_role("heading", name="1 upcoming event")).to_be_visible()
    check_accessibility("events list")
    page.get_by_role("link", name="Albuquerque delegation visit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Albuquerque delegation visit"
    )
    expect(page.get_by_role("link", name="Sign in to register")).to_be_visible()

    UserFactory(
        email="maria@abq.example.com",
        full_name="Maria Lopez",
        time_zone="America/Denver",
        preferred_language="en",
    )
    login("maria@abq.example.com")
    page.goto(f"{live_server.url}/en/events/e/{visit.slug}/")
    expect(page.locator(".event-when")).to_contain_text("10:00–18:00 Kyiv time")
    expect(page.locator(".event-when")).to_contain_text("in Albuquerque, your time")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered.", exact=True)).to_be_visible()
    check_accessibility("event page")
    assert Registration.objects.get(event=visit).status == "confirmed"

    user_menu().get_by_role("link", name="My events").click()
    expect(page.get_by_role("heading", level=1, name="My events")).to_be_visible()
    expect(
        page.get_by_role("link", name="Albuquerque delegation visit")
    ).to_be_visible()
    feed_url = page.get_by_label("Feed address").input_value()
    assert "/en/events/calendar/" in feed_url

    page.get_by_role("link", name="Albuquerque delegation visit").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download .ics").click()
    body = Path(download_info.value.path()).read_bytes()
    calendar = icalendar.Calendar.from_ical(body)
    (component,) = calendar.walk("VEVENT")
    assert str(component["SUMMARY"]) == "Albuquerque delegation visit"
    assert component.decoded("DTSTART") == visit.starts_at
    assert component["DTSTART"].params["TZID"] == "Europe/Kyiv"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Kyiv"]
    assert page_errors == []


@pytest.mark.parametrize("language", ["uk", "en"])
@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_events_pages_look(
    page, live_server, page_errors, screenshot, calendar_events, language, screen
):
    visit = calendar_events
    if screen == "phone":
        page.set_viewport_size(PHONE)

    page.goto(month_url(live_server, language, visit))
    expect(page.locator(".cal")).to_be_visible()
    screenshot(f"events-month-{language}-{screen}")
    page.goto(f"{live_server.url}/{language}/events/")
    expect(page.locator(".event-card").first).to_be_visible()
    screenshot(f"events-list-{language}-{screen}")
    page.goto(f"{live_server.url}/{language}/events/e/{visit.slug}/")
    expect(page.locator(".event-when")).to_be_visible()
    screenshot(f"events-detail-{language}-{screen}")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    assert page_errors == []


def test_visitor_abroad_sees_their_own_time_too(browser, live_server, calendar_events):
    """Not signed in, the server knows no zone; the page adds the browser's."""
    visit = calendar_events
    context = browser.new_context(timezone_id="America/Denver", locale="en-US")
    page = context.new_page()
    page.set_default_navigation_timeout(45_000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{live_server.url}/en/events/e/{visit.slug}/")

    when = page.locator(".event-when")
    expect(when).to_contain_text("10:00–18:00 Kyiv time")
    expected = visit.starts_at.astimezone(zoneinfo.ZoneInfo("America/Denver"))
    expect(when).to_contain_text(f"{expected:%H:%M}–")
    expect(when).to_contain_text("in Albuquerque, your time)")
    assert errors == []
    context.close()
