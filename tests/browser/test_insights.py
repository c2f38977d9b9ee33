"""Insights in a browser: the ecosystem page on a desktop and a phone, switching the
period, and downloading one chart's numbers as CSV."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from insights import services
from insights.signals import muted
from tests.insights.world import build_ecosystem

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def figures(transactional_db):
    with muted():
        data = build_ecosystem()
    services.recompute_all()
    return data


def test_insights_on_desktop_and_phone(
    page, live_server, figures, page_errors, screenshot, check_accessibility
):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{base}/en/insights/")
    expect(page.get_by_role("heading", name="Ecosystem in figures")).to_be_visible()
    kinds = page.get_by_role("table", name="Organizations by kind")
    expect(kinds).to_be_visible()
    expect(kinds.get_by_role("row", name=re.compile("IT company"))).to_be_visible()
    expect(page.get_by_text("fewer than 5").first).to_be_visible()
    check_accessibility("insights, desktop")
    screenshot("insights-desktop-all-time")

    page.get_by_label("Period").select_option(label="Q3 2026")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"period=2026-Q3"))
    funnel = page.get_by_role("table", name="Project exchange: from call to decision")
    expect(funnel.get_by_role("row", name=re.compile("Submissions 6"))).to_be_visible()
    screenshot("insights-desktop-q3")

    with page.expect_download() as download:
        page.get_by_role(
            "link",
            name="Download the data (CSV): Project exchange: from call to decision",
        ).click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Stage", "Count"]
    assert ["Submissions", "6"] in rows
    assert download.value.suggested_filename.endswith("2026-Q3.csv")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/uk/insights/?period=2026-Q3")
    expect(page.get_by_role("heading", name="Екосистема в цифрах")).to_be_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    check_accessibility("insights, phone")
    screenshot("insights-phone-q3")
    assert page_errors == []
