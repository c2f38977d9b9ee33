"""Investment portfolio in a browser: an officer publishes a Smart City project, an
investor finds it with the catalogue's filters and expresses interest, the officer
moves it to "meeting" on the board, and the investor sees the new stage; then the
passport PDF (when the open-data helper's view exists) downloads and renders."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import Role
from investments.models import ExchangeRate, Interest, InvestmentProject
from tests.factories import OrganizationFactory, UserFactory
from tests.investments.factories import investor_user

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_out(page):
    page.get_by_role("button", name="My Mist").click()
    page.get_by_role("button", name="Sign out").click()


@pytest.fixture
def world(db):
    ExchangeRate.objects.create(
        currency="USD",
        rate_date=datetime.date(2026, 11, 1),
        uah_per_unit=Decimal("41.5"),
        source="NBU",
    )
    owner = OrganizationFactory(
        kind="city_body",
        name_uk="Департамент транспорту",
        name_en="Department of Transport",
    )
    officer = UserFactory(
        role=Role.CITY_OFFICER, email="officer@example.org", full_name="Ihor Bondar"
    )
    investor = investor_user(email="investor@example.org", full_name="David Chen")
    return {"owner": owner, "officer": officer, "investor": investor}


def test_officer_publishes_investor_expresses_interest(
    page, live_server, login, world, page_errors, screenshot
):
    page.set_viewport_size({"width": 1280, "height": 900})
    base = live_server.url

    # The officer creates the project and publishes it.
    login("officer@example.org")
    page.goto(f"{base}/en/investments/projects/new/")
    page.get_by_label("Code").fill("KH-SC-9001")
    page.get_by_label("Smart City strategy area").select_option("smart_mobility")
    page.get_by_label("Project type").select_option("construction")
    page.get_by_label("Title (Ukrainian)").fill(
        "Розумні зупинки громадського транспорту"
    )
    page.get_by_label("Title (English)").fill("Smart public transport stops")
    page.get_by_label("Summary (English)").fill("Stops with arrival displays and USB.")
    page.get_by_label("Sector (OC4IDS)").select_option("transport.urban")
    page.get_by_label("Sustainable Development Goals").select_option("11")
    page.get_by_label("Readiness").select_option("feasibility")
    page.get_by_label("Owner").select_option(str(world["owner"].pk))
    page.get_by_label("Total cost").fill("2000000")
    page.locator("#id_currency").select_option("USD")
    page.get_by_label("Financing sought").fill("1500000")
    page.locator("#id_financing_currency").select_option("USD")
    page.get_by_label("Loan").check()
    page.locator("#id_budget-0-category").select_option("equipment")
    page.locator("#id_budget-0-amount").fill("2000000")
    page.locator("#id_budget-0-currency").select_option("USD")
    page.get_by_role("button", name="Create draft").click()
    expect(
        page.get_by_role("heading", name="Smart public transport stops")
    ).to_be_visible()
    expect(page.get_by_text("data-quality warning")).to_be_visible()
    page.get_by_label("Move to").select_option("internal_review")
    page.get_by_role("button", name="Change status").click()
    page.get_by_label("Move to").select_option("published")
    page.get_by_role("button", name="Change status").click()
    expect(page.locator(".inv-status-published").first).to_be_visible()
    project = InvestmentProject.objects.get(code="KH-SC-9001")
    assert project.status == InvestmentProject.Status.PUBLISHED
    _sign_out(page)

    # The investor finds it in the English catalogue with three filters.
    login("investor@example.org")
    page.goto(f"{base}/en/investments/")
    page.get_by_label("Sector").select_option("transport.urban")
    page.get_by_label("Instrument").select_option("loan")
    page.get_by_label("Readiness").select_option("feasibility")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"readiness=feasibility"))
    expect(page.get_by_role("heading", name=re.compile("1 project"))).to_be_visible()
    page.get_by_role("link", name="Smart public transport stops").click()
    screenshot("investments-journey-project-investor")
    page.get_by_role("link", name="Express interest").click()
    page.get_by_label("Instrument").select_option("loan")
    page.get_by_label("Indicative amount").fill("750000")
    page.get_by_label("Message to the city").fill("We finance urban mobility.")
    page.get_by_role("button", name="Send to the city").click()
    page.get_by_label("I accept the confidentiality terms.").check()
    page.get_by_role("button", name="Confirm the terms").click()
    expect(page.locator(".inv-stage").first).to_have_text("New")
    _sign_out(page)

    # The officer moves it to "meeting" on the board.
    login("officer@example.org")
    page.goto(f"{base}/en/investments/pipeline/")
    interest = Interest.objects.get()
    page.locator(f"#stage-{interest.pk}").select_option("meeting")
    page.get_by_role("button", name="Move").click()
    expect(page.locator("#col-meeting").locator("xpath=..")).to_contain_text(
        "David Chen"
    )
    screenshot("investments-journey-board")
    _sign_out(page)

    # The investor sees the new stage.
    login("investor@example.org")
    page.goto(f"{base}/en/investments/interests/")
    expect(page.locator(".inv-stage").first).to_have_text("Meeting")
    assert page_errors == []

    # The passport, when the open-data helper's view is there.
    try:
        with translation.override("en"):
            passport = reverse(
                "investments:project-passport", kwargs={"slug": project.slug}
            )
    except NoReverseMatch:
        return
    response = page.request.get(f"{base}{passport}")
    assert response.ok
    assert response.headers["content-type"].startswith("application/pdf")
    from core.pdf import pdf_page_images

    images = pdf_page_images(response.body())
    assert 1 <= len(images) <= 2


@pytest.mark.parametrize("language", ["uk", "en"])
def test_investment_pages_look(
    page, live_server, login, language, screenshot, page_errors, check_accessibility
):
    from directory.demo import seed_demo as seed_directory
    from investments.demo import seed_demo

    seed_directory()
    seed_demo()
    base = f"{live_server.url}/{language}/investments"
    project = InvestmentProject.objects.get(code="KH-SC-2026-006")
    pages = [
        ("catalogue", f"{base}/?currency=USD"),
        ("project", f"{base}/projects/{project.slug}/"),
    ]
    city_pages = [("board", f"{base}/pipeline/"), ("dashboard", f"{base}/dashboard/")]
    for device, size in (("desktop", {"width": 1280, "height": 900}), ("phone", None)):
        page.set_viewport_size(size or {"width": 390, "height": 844})
        for name, url in pages:
            page.goto(url)
            if name == "catalogue":
                expect(page.locator("#catalogue-map.inv-map-loaded")).to_be_visible()
                expect(page.locator(".inv-card")).to_have_count(12)
            screenshot(f"investments-{name}-{language}-{device}")
            if device == "desktop":
                check_accessibility(f"{name} {language}")
    login("officer@mist.local", "mist-demo-2026")
    for device, size in (("desktop", {"width": 1280, "height": 900}), ("phone", None)):
        page.set_viewport_size(size or {"width": 390, "height": 844})
        for name, url in city_pages:
            page.goto(url)
            if name == "dashboard":
                expect(page.locator("canvas[data-chart]").first).to_be_visible()
            screenshot(f"investments-{name}-{language}-{device}")
            if device == "desktop":
                check_accessibility(f"{name} {language}")
    assert page_errors == []


@pytest.fixture(autouse=True)
def _short_timeouts(page):
    """The journey creates and renders a lot on a shared machine: 30 s per step."""
    page.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)
