"""The profile form on a phone: sectors ticked inside KVED sections, tags filtered."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from directory.models import Sector
from tests.browser.conftest import PHONE
from tests.factories import OrganizationFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_ticks_a_division_and_filters_tags_on_a_phone(
    page, live_server, page_errors, login
):
    organization = OrganizationFactory(slug="kharkiv-robotics", name_en="Robotics")
    organization.sectors.add(Sector.objects.get(code="62"))
    TagFactory(slug="cloud", name_en="Cloud computing")
    TagFactory(slug="robotics", name_en="Robotics")
    UserFactory(role=Role.STAFF, email="staff@example.org")
    page.set_viewport_size(PHONE)
    login("staff@example.org")
    page.goto(f"{live_server.url}/en/directory/o/{organization.slug}/edit/")
    sectors = page.get_by_role("group", name="Sectors", exact=True)
    chips = sectors.get_by_role("list", name="Selected:")

    # The section of the ticked division is open; the others are closed.
    expect(page.locator("details[data-sector-section][open]")).to_have_count(1)
    expect(page.get_by_label("62 · Computer programming", exact=False)).to_be_checked()
    summary = page.locator("summary", has_text="M Professional, scientific")
    summary.click()
    page.get_by_label("72 · Scientific research", exact=False).check()
    expect(chips.get_by_text("72 · Scientific research")).to_be_visible()
    expect(summary.locator("[data-count-number]")).to_have_text("1")

    tag_filter = page.get_by_label("Filter technologies")
    tag_filter.fill("clo")
    expect(page.get_by_label("Cloud computing")).to_be_visible()
    expect(page.get_by_label("Robotics", exact=True)).to_be_hidden()
    tag_filter.press("Enter")  # must not submit the form
    page.get_by_label("Cloud computing").check()
    tag_filter.fill("zzz")
    expect(page.get_by_text("No technology matches the filter.")).to_be_visible()
    tag_filter.fill("")
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_text("The profile was saved.")).to_be_visible()
    assert set(organization.sectors.values_list("code", flat=True)) == {"62", "72"}
    assert list(organization.tags.values_list("slug", flat=True)) == ["cloud"]
    assert page_errors == []
