"""Journeys through the directory: a visitor searching, an editor and a moderator."""

import json
import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from directory.models import Organization
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def directory_orgs(db):
    """A university, an agency whose text speaks of investment projects, a studio."""
    university = OrganizationFactory(
        slug="kharkiv-radio-university",
        name_uk="Харківський національний університет радіоелектроніки",
        name_en="Kharkiv National University of Radio Electronics",
        kind=Organization.Kind.EDUCATION,
        description_uk="Готує інженерів програмного забезпечення для міста.",
        description_en="Trains software engineers for the city and its partners.",
        website="https://nure.example.org",
    )
    agency = OrganizationFactory(
        slug="slobozhanshchyna-agency",
        name_uk="Агенція розвитку Слобожанщини",
        name_en="Slobozhanshchyna Development Agency",
        kind=Organization.Kind.NGO,
        description_uk="Супроводжуємо інвестиційний проєкт реконструкції школи.",
        description_en="We run a school reconstruction programme.",
    )
    studio = OrganizationFactory(
        slug="pixel-studio",
        name_uk="Студія Піксель",
        name_en="Pixel Studio",
        kind=Organization.Kind.IT_COMPANY,
        description_uk="Робимо застосунки для крамниць.",
        description_en="We build mobile applications for retailers.",
    )
    return university, agency, studio


def search(page, text):
    box = page.get_by_role("searchbox")
    box.fill(text)
    box.press("Enter")


def test_visitor_searches_in_both_languages_and_opens_an_organization(
    page, live_server, page_errors, directory_orgs
):
    university, agency, studio = directory_orgs
    page.goto(f"{live_server.url}/uk/directory/")
    expect(page.locator("html")).to_have_attribute("lang", "uk")

    search(page, "університету")

    expect(page).to_have_url(re.compile(r"/uk/directory/\?.*q=%D1%83"))
    expect(page.get_by_role("link", name=university.name_uk)).to_be_visible()
    expect(page.get_by_role("link", name=agency.name_uk)).to_have_count(0)
    expect(page.get_by_role("link", name=studio.name_uk)).to_have_count(0)

    search(page, "інвестиційних проєктів")

    expect(page.get_by_role("link", name=agency.name_uk)).to_be_visible()
    expect(page.get_by_role("link", name=university.name_uk)).to_have_count(0)

    page.goto(f"{live_server.url}/en/directory/")
    search(page, "mobile application")

    expect(page.get_by_role("heading", name="Found 1 organization")).to_be_visible()
    expect(page.get_by_role("link", name="Pixel Studio")).to_be_visible()

    search(page, "")
    expect(page.get_by_role("heading", name="Found 3 organizations")).to_be_visible()
    page.get_by_label("Kind").select_option(label="Education")

    expect(page.get_by_role("heading", name="Found 1 organization")).to_be_visible()
    expect(page).to_have_url(re.compile(r"kind=education"))
    page.get_by_role("link", name=university.name_en).click()

    expect(page).to_have_url(f"{live_server.url}/en/directory/o/{university.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(university.name_en)
    expect(page.get_by_text(university.description_en)).to_be_visible()
    expect(page.get_by_role("link", name="nure.example.org")).to_be_visible()
    jsonld = json.loads(
        page.locator('script[type="application/ld+json"]').text_content()
    )["mainEntity"]
    assert jsonld["@type"] == "EducationalOrganization"
    assert jsonld["name"] == university.name_en
    assert jsonld["alternateName"] == university.name_uk
    assert jsonld["url"] == "https://nure.example.org"

    page.get_by_role("link", name="UK", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/uk/directory/o/{university.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("heading", level=1)).to_have_text(university.name_uk)
    expect(page.get_by_text(university.description_uk)).to_be_visible()
    assert page_errors == []


def test_editor_change_waits_for_moderation_until_staff_approves(
    page, live_server, page_errors, login, user_menu
):
    organization = OrganizationFactory(
        slug="kharkiv-robotics",
        name_en="Kharkiv Robotics",
        description_en="Robots for warehouses.",
    )
    editor = UserFactory(role=Role.EDITOR, email="editor@example.org")
    MembershipFactory(user=editor, organization=organization)
    UserFactory(role=Role.STAFF, email="staff@example.org")
    public_url = f"{live_server.url}/en/directory/o/{organization.slug}/"

    login("editor@example.org")
    user_menu().get_by_role("link", name="My organizations").click()
    page.get_by_role("link", name="Edit Kharkiv Robotics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Kharkiv Robotics")
    page.get_by_label("Description in English").fill(
        "Robots and sensors for warehouses and ports."
    )
    page.get_by_role("button", name="Send changes for moderation").click()

    expect(page.get_by_text("waiting for moderation").first).to_be_visible()
    user_menu().get_by_role("button", name="Sign out").click()
    page.goto(public_url)
    expect(page.get_by_text("Robots for warehouses.", exact=True)).to_be_visible()
    expect(page.get_by_text("Robots and sensors for warehouses")).to_have_count(0)

    login("staff@example.org")
    user_menu().get_by_role("link", name="Moderation").click()
    page.get_by_role("link", name=re.compile("Profile changes")).click()
    expect(page.get_by_role("heading", name="Kharkiv Robotics")).to_be_visible()
    page.get_by_role("button", name="Approve Kharkiv Robotics").click()

    expect(page.get_by_text("Nothing to moderate")).to_be_visible()
    page.goto(public_url)
    expect(
        page.get_by_text("Robots and sensors for warehouses and ports.")
    ).to_be_visible()
    assert page_errors == []
