"""Talent return, end to end: a developer now in Kraków creates a profile (return
within six months; a shelter near the office and housing matter), a Kharkiv
company posts a remote-first role with relocation support, staff publish it, the
developer sees it with reasons, the company invites, the developer accepts and
both see each other's contacts; the public figures show "fewer than 5".
Screenshots on desktop and phone, in both languages."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from tests.browser.conftest import PHONE
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}


def make_world():
    developer = UserFactory(
        email="olena@example.pl", full_name="Olena Koval", preferred_language="uk"
    )
    company = OrganizationFactory(
        name_uk="Харків Софт",
        name_en="Kharkiv Soft",
        slug="kharkiv-soft",
        email="jobs@kharkiv-soft.example",
        phone="+380 57 700 00 00",
    )
    hirer = UserFactory(email="hanna@kharkiv-soft.example", full_name="Hanna Bondar")
    MembershipFactory(user=hirer, organization=company)
    UserFactory(email="staff@example.org", role=Role.STAFF)
    return developer, hirer


def shots(page, live_server, screenshot, path: str, name: str) -> None:
    """Desktop and phone screenshots of `path` in both languages."""
    for language in ("uk", "en"):
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.goto(f"{live_server.url}/{language}{path}")
            screenshot(f"talent-{name}-{language}-{label}")
    page.set_viewport_size(DESKTOP)


def test_developer_in_krakow_returns_through_a_remote_first_role(
    page, live_server, page_errors, login, screenshot
):
    make_world()
    page.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)
    page.set_viewport_size(DESKTOP)

    # The developer creates a private profile.
    login("olena@example.pl")
    page.goto(f"{live_server.url}/en/talent/profile/")
    page.get_by_label("Return to the city").check()
    page.get_by_label("Within 6 months").check()
    page.get_by_label("Other skills").fill("Python, PostgreSQL")
    page.get_by_label("Country where you live now").select_option("PL")
    page.get_by_label("City where you live now").fill("Kraków")
    page.get_by_label("Safety and a shelter near the office").check()
    page.get_by_label("Housing", exact=True).check()
    page.get_by_label("Visible to verified local organizations").check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Agree to how Mist uses your profile")).to_be_visible()
    page.get_by_label(re.compile("I agree that Mist keeps this profile")).check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("heading", name="Roles for you")).to_be_visible()
    shots(page, live_server, screenshot, "/talent/profile/", "profile")

    # The company posts a remote-first role with relocation support.
    page.context.clear_cookies()
    login("hanna@kharkiv-soft.example")
    page.goto(f"{live_server.url}/en/talent/roles/new/")
    page.get_by_label("Title (Ukrainian)").fill("Backend-розробник Python")
    page.get_by_label("Title (English)").fill("Python backend developer")
    page.get_by_label("Description (Ukrainian)").fill(
        "Сервіси на Python і PostgreSQL. Віддалено, з підтримкою переїзду."
    )
    page.get_by_label("Description (English)").fill(
        "Services in Python and PostgreSQL. Remote first, relocation support."
    )
    page.get_by_label("Remote", exact=True).check()
    page.get_by_label("Relocation support").check()
    page.get_by_label("Shelter at the office").check()
    until = timezone.localdate() + timezone.timedelta(days=45)
    page.get_by_label("Valid until").fill(until.isoformat())
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Sent for review")).to_be_visible()
    role_url = page.url

    # Cluster staff publish it.
    page.context.clear_cookies()
    login("staff@example.org")
    page.goto(f"{live_server.url}/en/talent/roles/moderation/")
    page.get_by_role("link", name="Python backend developer").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published.")).to_be_visible()

    # The developer sees it, with reasons.
    page.context.clear_cookies()
    login("olena@example.pl")
    page.goto(f"{live_server.url}/en/talent/matches/")
    card = page.get_by_role("listitem").filter(has_text="Python backend developer")
    expect(card.get_by_text("Matches your skills: Python, PostgreSQL")).to_be_visible()
    expect(card.get_by_text("Remote allowed")).to_be_visible()
    expect(
        card.get_by_text("Offers shelter at the office, which you marked as important")
    ).to_be_visible()
    shots(page, live_server, screenshot, "/talent/matches/", "matches")

    # The company finds her among the specialists who fit, and invites her.
    page.context.clear_cookies()
    login("hanna@kharkiv-soft.example")
    page.goto(role_url)
    expect(page.locator('script[type="application/ld+json"]')).to_have_count(1)
    page.get_by_role("link", name="Specialists who fit").click()
    expect(page.get_by_text("Olena Koval")).to_be_visible()
    expect(page.get_by_text("olena@example.pl")).to_have_count(0)
    page.get_by_role("link", name="Invite").first.click()
    page.get_by_label("Message").fill("We would love to talk about coming back.")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent.")).to_be_visible()

    # The developer accepts; contacts appear on both sides.
    page.context.clear_cookies()
    login("olena@example.pl")
    page.goto(f"{live_server.url}/en/talent/invitations/")
    page.get_by_role("link", name="Kharkiv Soft").click()
    expect(page.get_by_text("jobs@kharkiv-soft.example")).to_have_count(0)
    page.get_by_role("button", name="Accept and share contacts").click()
    expect(page.get_by_role("link", name="jobs@kharkiv-soft.example")).to_be_visible()
    invitation_path = page.url.split("/en", 1)[1]
    shots(page, live_server, screenshot, invitation_path, "invitation-specialist")

    page.context.clear_cookies()
    login("hanna@kharkiv-soft.example")
    page.goto(f"{live_server.url}/en{invitation_path}")
    expect(page.get_by_role("link", name="olena@example.pl")).to_be_visible()
    shots(page, live_server, screenshot, invitation_path, "invitation-company")

    # The public figures: one person returning within six months is "fewer than 5".
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/en/talent/figures/")
    timeframe = page.get_by_role("region", name="By timeframe")
    expect(
        timeframe.get_by_role("row", name=re.compile("Within 6 months"))
    ).to_contain_text("fewer than 5")
    expect(page.get_by_text("Olena")).to_have_count(0)
    shots(page, live_server, screenshot, "/talent/figures/", "figures")
    page.goto(f"{live_server.url}/uk/talent/figures/")
    expect(page.get_by_text("менше ніж 5").first).to_be_visible()
    assert page_errors == []
