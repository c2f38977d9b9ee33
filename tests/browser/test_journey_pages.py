"""The home page and an initiative's journey page in both languages on desktop and
phone (screenshots under test-artifacts/screenshots/), axe-clean and without browser
errors; the Swagger UI reference loads from this site under the CSP (issue 13)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def journey(db):
    from directory.demo import seed_demo as seed_directory
    from events.demo import seed_demo as seed_events
    from exchange.demo import seed_demo as seed_exchange
    from insights.journey import queries
    from insights.journey.demo import seed_demo as seed_journey
    from investments.demo import seed_demo as seed_investments
    from reviews.demo import seed_demo as seed_reviews

    for seed in (
        seed_directory,
        seed_exchange,
        seed_reviews,
        seed_investments,
        seed_events,
        seed_journey,
    ):
        seed()
    return queries.initiatives().get()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["uk", "en"])
def test_home_and_journey_pages_look_finished(
    page,
    live_server,
    page_errors,
    screenshot,
    check_accessibility,
    journey,
    language,
    screen,
):
    page.set_viewport_size(DESKTOP if screen == "desktop" else PHONE)
    base = f"{live_server.url}/{language}"

    def look(name, path):
        response = page.goto(f"{base}{path}")
        assert response.status == 200, f"{name}: {response.status}"
        expect(page.locator("html")).to_have_attribute("lang", language)
        label = f"{name}-{language}-{screen}"
        screenshot(label)
        check_accessibility(label)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{label} scrolls sideways by {overflow}px"
        assert page_errors == [], f"{label}: {page_errors}"

    look("journey-home", "/")
    expect(page.get_by_text("Coming soon")).to_have_count(0)
    journey_link = {
        "uk": "Шляхи від конкурсу до фінансування",
        "en": "Journeys from a call to funding",
    }
    page.get_by_role("link", name=journey_link[language]).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    look("journey-list", "/insights/journey/")
    title = journey.title_en if language == "en" else journey.title_uk
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    look("journey-detail", f"/insights/journey/{journey.pk}/")
    body = page.locator("body").inner_text()
    assert "reviewer@mist.local" not in body
    assert "investor@mist.local" not in body


def test_swagger_ui_reference_loads_locally_under_the_csp(
    page, live_server, page_errors, screenshot
):
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_server.url)
            and not request.url.startswith("data:")
            else None
        ),
    )

    page.goto(f"{live_server.url}/api/v1/docs/reference/")

    expect(page.get_by_text("/api/v1/investment-projects/").first).to_be_visible(
        timeout=20000
    )
    screenshot("api-reference")
    assert outside == []
    assert page_errors == []
