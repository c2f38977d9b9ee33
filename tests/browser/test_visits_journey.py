"""The issue's journey: a Silicon Valley delegation of three visits the city.

The host (cluster staff) creates the visit and its delegation of three (all in
America/Los_Angeles) and adds the forum and lunch; Mist proposes local companies
with reasons; the host invites two of them; one accepts and its company visit joins
the programme. A member sees the programme in Kyiv time and her own, downloads the
PDF programme and finds the visit in her calendar feed at her local times. An
air-raid alert moves the afternoon; her feed follows (SEQUENCE rises). After the
visit both sides record what came of the company visit and the report shows them.
Screenshots on a desktop and a phone, in both languages.
"""

import datetime as dt
import io
import re
import zoneinfo

import icalendar
import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Role
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    TagFactory,
    UserFactory,
)
from visits.models import ItemOutcome, ProgrammeItem, Visit

SITE = zoneinfo.ZoneInfo(settings.TIME_ZONE)
VALLEY = zoneinfo.ZoneInfo("America/Los_Angeles")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    robotics = TagFactory(slug="robotics", name_uk="Робототехніка", name_en="Robotics")
    TagFactory(slug="ai", name_uk="Штучний інтелект", name_en="Artificial intelligence")
    host = UserFactory(
        email="host@example.org",
        full_name="Олена Шевченко",
        role=Role.STAFF,
        time_zone=settings.TIME_ZONE,
        preferred_language="uk",
    )
    partner = OrganizationFactory(
        name_uk="Веллі Роботікс",
        name_en="Valley Robotics",
        country="US",
        kind="foreign_partner",
        slug="valley-robotics",
    )
    members = [
        UserFactory(
            email=f"{first.lower()}@valley.example",
            full_name=f"{first} {last}",
            role=Role.INVESTOR,
            time_zone="America/Los_Angeles",
            preferred_language="en",
        )
        for first, last in (("Ann", "Lee"), ("Raj", "Patel"), ("Maria", "Gonzalez"))
    ]
    companies, editors = [], []
    for slug, uk, en, person in (
        ("kharkiv-robotics", "Харків Роботікс", "Kharkiv Robotics", "Іван Коваль"),
        (
            "sloboda-automation",
            "Слобода Автоматика",
            "Sloboda Automation",
            "Петро Бойко",
        ),
    ):
        company = OrganizationFactory(
            name_uk=uk, name_en=en, country="UA", slug=slug, address="вул. Сумська, 1"
        )
        company.tags.add(robotics)
        editor = UserFactory(
            email=f"{slug}@example.org",
            full_name=person,
            time_zone=settings.TIME_ZONE,
            preferred_language="uk",
        )
        MembershipFactory(user=editor, organization=company)
        companies.append(company)
        editors.append(editor)
    university = OrganizationFactory(
        name_uk="Політехнічний університет",
        name_en="Polytechnic University",
        country="UA",
        kind="education",
        slug="polytechnic",
    )
    university.tags.add(robotics)
    first_day = timezone.localdate() + dt.timedelta(days=10)
    return {
        "host": host,
        "partner": partner,
        "members": members,
        "companies": companies,
        "editors": editors,
        "first_day": first_day,
    }


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SITE)


def shoot(page, live_server, screenshot, path, name):
    """The page in both languages, on a desktop and a phone."""
    for language in ("uk", "en"):
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.goto(f"{live_server.url}/{language}{path}")
            screenshot(f"visits-{name}-{language}-{label}")
    page.set_viewport_size(DESKTOP)


def sign_out(page):
    page.context.clear_cookies()


def feed_items(page, live_server, visit):
    """The visit's VEVENTs in the signed-in person's personal feed."""
    page.goto(f"{live_server.url}/en/visits/{visit.pk}/")
    url = page.locator("#feed-url").input_value()
    calendar = icalendar.Calendar.from_ical(page.request.get(url).body())
    return {
        str(c["summary"]): c
        for c in calendar.walk("VEVENT")
        if str(c["uid"]).startswith("visit-item-")
    }


def test_silicon_valley_delegation_visits_the_city(
    page, live_server, login, screenshot, world, page_errors, check_accessibility
):
    host, members, editors = world["host"], world["members"], world["editors"]
    ann = members[0]
    day = world["first_day"]
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/en/", timeout=90_000)
    page.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)

    # The host creates the visit and its delegation of three.
    login(host.email)
    page.goto(f"{live_server.url}/en/visits/new/")
    page.get_by_label("Partner organization abroad").select_option(
        label="Valley Robotics"
    )
    page.get_by_label("Title (Ukrainian)").fill("Делегація з Кремнієвої долини")
    page.get_by_label("Title (English)").fill("Silicon Valley delegation")
    page.get_by_label("First day").fill(day.isoformat())
    page.get_by_label("Last day").fill((day + dt.timedelta(days=2)).isoformat())
    page.get_by_label("Tags").select_option(label="Robotics")
    page.get_by_label("What the delegation looks for").fill(
        "Robotics teams for warehouse and demining products."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The visit is created.")).to_be_visible()
    for person in members:
        page.get_by_label("Member's e-mail").fill(person.email)
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.get_by_text("The member is added.")).to_be_visible()
    visit = Visit.objects.get(title_en="Silicon Valley delegation")
    assert visit.members.count() == 3

    # The forum and lunch, typed in Kyiv time.
    for kind, title, start, end in (
        ("Forum", "Форум ІТ-кластера", "10:00", "12:00"),
        ("Meal", "Обід", "13:00", "14:00"),
    ):
        page.goto(f"{live_server.url}/en/visits/{visit.pk}/items/new/")
        page.get_by_label("Kind").select_option(label=kind)
        page.get_by_label("Title (Ukrainian)").fill(title)
        page.get_by_label("Starts").fill(f"{day.isoformat()}T{start}")
        page.get_by_label("Ends").fill(f"{day.isoformat()}T{end}")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("The item is added to the programme.")).to_be_visible()
    page.get_by_role("button", name="Mark as Planned").click()
    expect(page.get_by_text("The visit's status is changed.")).to_be_visible()

    # Mist proposes local companies with reasons; the host invites two.
    page.goto(f"{live_server.url}/en/visits/{visit.pk}/proposal/")
    expect(page.get_by_role("heading", name="For Ann Lee")).to_be_visible()
    sites = page.get_by_role("region", name="Sites to visit")
    expect(sites.get_by_role("link", name="Polytechnic University")).to_be_visible()
    expect(page.get_by_text(re.compile("Robotics")).first).to_be_visible()
    check_accessibility("the proposal")
    shoot(page, live_server, screenshot, f"/visits/{visit.pk}/proposal/", "proposal")
    page.goto(f"{live_server.url}/en/visits/{visit.pk}/proposal/")
    page.get_by_role("link", name="Invite Kharkiv Robotics").first.click()
    expect(page.get_by_label("Organization")).to_have_value(
        str(world["companies"][0].pk)
    )
    for company, start, end in (
        (world["companies"][0], "15:00", "16:30"),
        (world["companies"][1], "17:00", "18:00"),
    ):
        page.get_by_label("Organization").select_option(str(company.pk))
        page.get_by_label("Proposed start").fill(f"{day.isoformat()}T{start}")
        page.get_by_label("Proposed end").fill(f"{day.isoformat()}T{end}")
        page.get_by_role("button", name="Send the invitation").click()
        expect(
            page.get_by_text("The invitation is sent to the organization's editors.")
        ).to_be_visible()

    # Kharkiv Robotics accepts; Sloboda Automation does not answer.
    sign_out(page)
    login(editors[0].email)
    page.goto(f"{live_server.url}/en/visits/mine/")
    page.get_by_role("link", name="Silicon Valley delegation").click()
    expect(page.get_by_text("Valley Robotics would like to meet you")).to_be_visible()
    expect(page.get_by_text("Sloboda Automation")).to_have_count(0)
    check_accessibility("the invitation")
    shoot(
        page, live_server, screenshot, f"/visits/{visit.pk}/invitations/", "invitation"
    )
    page.goto(f"{live_server.url}/en/visits/{visit.pk}/invitations/")
    page.get_by_role("button", name="Accept").click()
    expect(
        page.get_by_text("Thank you: the meeting is in the programme.")
    ).to_be_visible()
    company_visit = ProgrammeItem.objects.get(visit=visit, kind="company_visit")

    # Ann sees the programme in Kyiv time and her own, the PDF and her feed.
    sign_out(page)
    login(ann.email)
    page.goto(f"{live_server.url}/en/visits/mine/")
    page.get_by_role("link", name="Silicon Valley delegation").click()
    start = at(day, 15)
    row = page.get_by_role("row", name=re.compile("Kharkiv Robotics"))
    expect(row).to_contain_text("15:00–16:30")
    expect(row).to_contain_text(f"{start.astimezone(VALLEY):%H:%M}–")
    check_accessibility("the programme")
    shoot(page, live_server, screenshot, f"/visits/{visit.pk}/", "programme")
    page.goto(f"{live_server.url}/en/visits/{visit.pk}/")
    href = page.get_by_role("link", name="Programme (PDF)").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Visit programme" in text
    assert "Програма візиту" in text
    assert "Харків Роботікс" in text
    assert f"{start.astimezone(VALLEY):%H:%M}–" in text
    before = feed_items(page, live_server, visit)
    tour = before["Kharkiv Robotics"]
    assert tour["dtstart"].params["TZID"] == "America/Los_Angeles"
    assert tour.decoded("dtstart") == start
    assert tour.decoded("dtstart").hour == start.astimezone(VALLEY).hour
    assert "Форум ІТ-кластера" in before  # no English title: the Ukrainian one

    # An air-raid alert from 14:30 to 16:00 moves the afternoon.
    sign_out(page)
    login(host.email)
    page.goto(f"{live_server.url}/en/visits/{visit.pk}/disruption/")
    page.get_by_label("Lost from").fill(f"{day.isoformat()}T14:30")
    page.get_by_label("Until").fill(f"{day.isoformat()}T16:00")
    page.get_by_label("Why").select_option(label="Air-raid alert")
    page.get_by_role("button", name="Show what it changes").click()
    expect(page.get_by_role("status")).to_contain_text("Kharkiv Robotics → 16:00")
    screenshot("visits-disruption-preview-en-desktop")
    page.get_by_label(
        "Yes, change the programme of this day and tell everyone."
    ).check()
    page.get_by_role("button", name="Change the programme now").click()
    expect(page.get_by_text("The day's programme is changed")).to_be_visible()
    company_visit.refresh_from_db()
    assert company_visit.starts_at == at(day, 16)
    assert company_visit.ends_at == at(day, 17, 30)
    assert ProgrammeItem.objects.get(visit=visit, kind="meal").starts_at == at(day, 13)

    sign_out(page)
    login(ann.email)
    after = feed_items(page, live_server, visit)["Kharkiv Robotics"]
    assert after.decoded("dtstart") == at(day, 16)
    assert int(after["sequence"]) == int(tour["sequence"]) + 1

    # After the visit (time moves on: the visit is now two weeks back) both sides
    # say what came of the company visit; the host adds a follow-up.
    back = dt.timedelta(days=14)
    Visit.objects.filter(pk=visit.pk).update(
        starts_on=day - back, ends_on=day - back + dt.timedelta(days=2)
    )
    for item in visit.items.all():
        item.starts_at -= back
        item.ends_at -= back
        item.save()
    page.goto(f"{live_server.url}/en/visits/{visit.pk}/")
    page.get_by_role("row", name=re.compile("Kharkiv Robotics")).get_by_role(
        "link", name="Outcome"
    ).click()
    page.get_by_label("Partnership").check()
    page.get_by_label("What was agreed").fill("A pilot of warehouse robots in May.")
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.get_by_text("Thank you: the outcome is recorded.")).to_be_visible()

    sign_out(page)
    login(editors[0].email)
    page.goto(
        f"{live_server.url}/en/visits/{visit.pk}/items/{company_visit.pk}/outcome/"
    )
    page.get_by_label("Follow-up agreed").check()
    page.get_by_label("What was agreed").fill("We send a quote for the pilot.")
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.get_by_text("Thank you: the outcome is recorded.")).to_be_visible()
    assert set(company_visit.outcomes.values_list("side", flat=True)) == {
        ItemOutcome.Side.DELEGATION,
        ItemOutcome.Side.HOST,
    }

    sign_out(page)
    login(host.email)
    page.goto(f"{live_server.url}/en/visits/{visit.pk}/report/")
    page.get_by_role("textbox", name="What follows").fill("Send the pilot contract")
    page.get_by_label("Owner").select_option(label="Ann Lee")
    page.get_by_label("Due").fill(
        (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    )
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("The follow-up is added.")).to_be_visible()
    report = page.get_by_role("table")
    expect(report).to_contain_text("A pilot of warehouse robots in May.")
    expect(report).to_contain_text("We send a quote for the pilot.")
    expect(report).to_contain_text("Partnership")
    expect(report).to_contain_text("Follow-up agreed")
    expect(page.get_by_text("Send the pilot contract")).to_be_visible()
    check_accessibility("the report")
    shoot(page, live_server, screenshot, f"/visits/{visit.pk}/report/", "report")
    response = page.request.get(f"{live_server.url}/uk/visits/{visit.pk}/report.pdf")
    text = " ".join(
        PdfReader(io.BytesIO(response.body())).pages[0].extract_text().split()
    )
    assert "Звіт про візит" in text
    assert "A pilot of warehouse robots in May." in text
    assert page_errors == []
