import pytest
from playwright.sync_api import expect


@pytest.mark.django_db(transaction=True)
def test_home_page_renders_in_both_languages(page, live_server, page_errors):
    page.goto(f"{live_server.url}/uk/")
    expect(page.locator("html")).to_have_attribute("lang", "uk")

    page.get_by_role("link", name="EN", exact=True).click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page_errors == []
