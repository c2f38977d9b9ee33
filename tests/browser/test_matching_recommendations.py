"""A US company sets its interests and sees recommended Kharkiv companies, with
reasons; screenshots of recommendations and of the needs and offers list."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from directory.models import Place, Tag
from directory.reference import KHARKIV_CITY
from tests.browser.conftest import PHONE
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.matching.factories import NeedOfferFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}


def make_world():
    kharkiv = Place.objects.get(code=KHARKIV_CITY)
    energy = Tag.objects.get(slug="energy-efficiency")
    iot = Tag.objects.get(slug="iot")
    user = UserFactory(role=Role.EDITOR, email="grid@example.com", full_name="Ann Ray")
    company = OrganizationFactory(
        name_uk="Ріо Гранде Грід",
        name_en="Rio Grande Grid",
        slug="rio-grande-grid",
        country="US",
        locality="Albuquerque",
        description_en="Smart grid software for utilities in New Mexico.",
        description_uk="Програми для розумних електромереж у Нью-Мексико.",
    )
    MembershipFactory(user=user, organization=company)
    names = [
        ("ЕнергоСофт", "EnergoSoft", "Енергомоніторинг шкіл і лікарень Харкова."),
        ("ТеплоЛаб", "TeploLab", "Розумні теплові пункти та датчики."),
        ("Сонячна Мережа", "Sun Grid Kharkiv", "Сонячні станції для громад."),
    ]
    locals_ = []
    for index, (uk, en, text) in enumerate(names):
        org = OrganizationFactory(
            name_uk=uk,
            name_en=en,
            slug=f"kh-energy-{index}",
            place=kharkiv,
            description_uk=text,
            description_en="Energy efficiency for Kharkiv buildings.",
        )
        org.tags.add(energy, iot)
        locals_.append(org)
    OrganizationFactory(
        name_en="Pixel Forge",
        slug="pixel-forge",
        place=kharkiv,
        description_uk="Мобільні ігри.",
        description_en="Mobile games.",
    )
    for index, org in enumerate(locals_):
        NeedOfferFactory(
            organization=org,
            kind="need" if index % 2 else "offer",
            category="pilot_partner",
            title_uk=f"Пілот енергоефективності {index + 1}",
            title_en=f"Energy efficiency pilot {index + 1}",
        ).tags.add(energy)
    return user


def test_us_company_sets_interests_and_sees_kharkiv_companies(
    page, live_server, page_errors, login, screenshot
):
    make_world()
    # The first request builds the recommendation index and loads the Ukrainian
    # dictionary; a shared machine may need longer than the default.
    page.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)
    page.set_viewport_size(DESKTOP)
    login("grid@example.com")

    page.goto(f"{live_server.url}/en/partners/interests/")
    page.get_by_label("Partnering").check()
    page.get_by_label("Filter technologies").fill("energy")
    page.get_by_label("Energy efficiency").check()
    page.get_by_label("Countries of interest").select_option("UA")
    page.get_by_label("What you look for (English)").fill(
        "Kharkiv pilot partners for energy efficiency in schools"
    )
    page.get_by_role("button", name="Save and see recommendations").click()

    expect(page.get_by_role("heading", name="Recommended for you")).to_be_visible()
    cards = page.get_by_role("list", name="Recommendations").get_by_role("listitem")
    expect(cards.filter(has_text="EnergoSoft")).to_have_count(1)
    expect(cards.filter(has_text="Pixel Forge")).to_have_count(0)
    first = cards.filter(has_text="EnergoSoft")
    expect(first.get_by_text("Shares: Energy efficiency")).to_be_visible()
    expect(
        first.get_by_text("Kharkiv company for a partner from United States")
    ).to_be_visible()
    expect(first.get_by_role("link", name="Request a meeting")).to_have_attribute(
        "href", __import__("re").compile(r"organization=\d+")
    )
    screenshot("matching-recommendations-en-desktop")
    tabs = page.get_by_role("list", name="Kinds of recommendations")
    tabs.get_by_role("link", name="Needs & offers").click()
    expect(
        page.get_by_role("heading", name="Energy efficiency pilot 1")
    ).to_be_visible()
    expect(page.get_by_text("Looks for partners, as you do").first).to_be_visible()
    screenshot("matching-recommendations-needs-tab-en-desktop")

    for language in ("uk", "en"):
        page.set_viewport_size(PHONE)
        page.goto(f"{live_server.url}/{language}/partners/")
        screenshot(f"matching-recommendations-{language}-phone")
        page.set_viewport_size(DESKTOP)
        page.goto(f"{live_server.url}/{language}/partners/")
        if language == "uk":
            screenshot("matching-recommendations-uk-desktop")
        for size, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
            page.set_viewport_size(size)
            page.goto(f"{live_server.url}/{language}/partners/needs-offers/")
            expect(page.get_by_text("Energy efficiency pilot", exact=False).first)
            screenshot(f"matching-needs-offers-{language}-{name}")
    assert page_errors == []
