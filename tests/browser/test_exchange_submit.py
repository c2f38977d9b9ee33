"""A Kharkiv startup drafts a submission in Ukrainian, attaches a PDF, submits (the
first attempt lists what is missing) and finds it among its submissions."""

import io

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from exchange.models import Submission
from tests.browser.conftest import PHONE
from tests.exchange.factories import CallFactory, CriterionFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}


def _pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=300, height=300)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def world(db):
    committee = OrganizationFactory(
        kind="foreign_partner",
        country="US",
        name_uk="Комітет міст-побратимів Альбукерке — Харків",
        name_en="Albuquerque–Kharkiv Sister City Committee",
    )
    call = CallFactory(
        organizer=committee,
        slug="abq-2027",
        title_uk="Харків — Альбукерке 2027",
        title_en="Kharkiv–Albuquerque 2027",
        description_uk="Комітет шукає проєкти харківських команд.",
        description_en="The committee looks for projects of Kharkiv teams.",
    )
    for name_uk, name_en, weight in (
        ("Суспільна користь", "Public benefit", 2),
        ("Команда", "Team", 1),
    ):
        CriterionFactory(call=call, name_uk=name_uk, name_en=name_en, weight=weight)
    startup = OrganizationFactory(
        kind="startup", name_uk="Розумне місто", name_en="Smart City Lab"
    )
    founder = UserFactory(
        role=Role.EDITOR,
        email="founder@example.org",
        full_name="Оксана Коваль",
        time_zone="Europe/Kyiv",
    )
    MembershipFactory(user=founder, organization=startup)
    return call


def _shots(page, live_server, screenshot, path: str, name: str) -> None:
    for language in ("uk", "en"):
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.goto(f"{live_server.url}/{language}{path}")
            screenshot(f"exchange-{name}-{language}-{label}")


def test_startup_submits_in_ukrainian_with_a_pdf(
    page,
    live_server,
    page_errors,
    login,
    screenshot,
    check_accessibility,
    world,
    tmp_path,
):
    call = world
    # A loaded shared machine: the first pages may take longer than the default.
    page.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)
    login("founder@example.org")
    _shots(page, live_server, screenshot, f"/exchange/calls/{call.slug}/", "call")
    _shots(
        page, live_server, screenshot, f"/exchange/calls/{call.slug}/submit/", "form"
    )
    page.set_viewport_size(DESKTOP)

    page.goto(f"{live_server.url}/en/exchange/calls/{call.slug}/")
    expect(page.get_by_text("Public benefit")).to_be_visible()
    expect(page.get_by_text("Albuquerque time").first).to_be_visible()
    check_accessibility("call detail")
    page.get_by_role("link", name="Submit a project").click()
    page.get_by_label("Title in Ukrainian").fill("Розумні зупинки")
    page.get_by_label("Short summary in Ukrainian").fill(
        "Табло з часом прибуття автобусів."
    )
    page.get_by_label("Funding", exact=True).check()
    check_accessibility("submission form")
    page.get_by_role("button", name="Save and submit").click()

    missing = page.locator("[data-missing] li")
    expect(missing).to_have_count(6)
    expect(missing.nth(0)).to_have_text("The problem the project solves.")
    expect(page.get_by_text("The amount of funding you ask for.")).to_be_visible()
    page.get_by_role("link", name="Complete the submission").click()
    page.get_by_label("Problem in Ukrainian").fill(
        "Мешканці не знають, коли прийде автобус."
    )
    page.get_by_label("Solution in Ukrainian").fill("Табло та відкриті дані.")
    page.get_by_label("Team in Ukrainian").fill("Четверо інженерів.")
    page.get_by_label("Stage").select_option("prototype")
    page.get_by_label("Funding amount").fill("50000")
    page.get_by_label("Currency").select_option("USD")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your changes were saved.")).to_be_visible()

    pdf = tmp_path / "pitch.pdf"
    pdf.write_bytes(_pdf_bytes())
    page.get_by_label("PDF document").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("The document was attached.")).to_be_visible()
    expect(page.get_by_role("link", name="pitch.pdf", exact=True)).to_be_visible()
    page.get_by_role("link", name="Submit", exact=True).click()
    page.get_by_role("button", name="Submit now").click()
    expect(page.get_by_text("Your project was submitted.")).to_be_visible()
    check_accessibility("submission detail")
    screenshot("exchange-submission-detail-en-desktop")

    page.goto(f"{live_server.url}/en/exchange/submissions/mine/")
    row = page.get_by_role("row", name="Розумні зупинки")
    expect(row).to_contain_text("Submitted")
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.languages() == {"uk"}
    assert submission.attachments.count() == 1
    assert page_errors == []
