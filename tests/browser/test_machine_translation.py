"""Machine translation in a real browser: a Ukrainian submission is translated by a
stub LibreTranslate server; the reviewer in Albuquerque reads both languages side by
side, with the mark, and reports a translation problem; the founder sees it beside
the translation and approves the English. Screenshots in both languages, desktop and
phone."""

import threading
from http.server import ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from exchange.models import Call, SubmissionVersion
from tests.exchange.factories import COMPLETE, CallFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.reviews.factories import (
    AssignmentFactory,
    CallReviewerFactory,
    SubmittedSubmissionFactory,
)
from tests.translations.conftest import StubEngine, _handler
from translations.models import TranslationFlag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def engine_server(settings):
    stub = StubEngine()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.MIST_TRANSLATION_ENGINE = "libretranslate"
    settings.MIST_TRANSLATION_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.MIST_TRANSLATION_TIMEOUT = 5
    yield stub
    server.shutdown()
    server.server_close()


def _shots(page, screenshot, url, name):
    for language in ("uk", "en"):
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.goto(url.replace("/en/", f"/{language}/"))
            screenshot(f"translations-{name}-{language}-{label}")
    page.set_viewport_size(DESKTOP)


def test_machine_translation_journey(
    page,
    live_server,
    login,
    screenshot,
    engine_server,
    page_errors,
    check_accessibility,
    settings,
    tmp_path,
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    page.set_default_timeout(45_000)
    expect.set_options(timeout=45_000)
    call = CallFactory(phase=Call.Phase.REVIEW)
    startup = OrganizationFactory(kind="startup", name_uk="Стартап", name_en="Startup")
    founder = UserFactory(role=Role.EDITOR, email="founder@startup.ua")
    MembershipFactory(user=founder, organization=startup)
    submission = SubmittedSubmissionFactory(
        call=call, organization=startup, created_by=founder
    )  # saved outside a transaction: translated at once (tasks run eagerly)
    SubmissionVersion.objects.create(
        submission=submission, number=1, content=submission.snapshot()
    )
    reviewer = UserFactory(
        role=Role.REVIEWER, email="sarah@abq.example", preferred_language="en"
    )
    AssignmentFactory(
        submission=submission,
        call_reviewer=CallReviewerFactory(call=call, user=reviewer),
    )
    submission.refresh_from_db()
    assert "problem_en" in submission.machine_translations
    base = live_server.url

    login("sarah@abq.example")
    review = f"{base}/en/reviews/submissions/{submission.pk}/"
    page.goto(review)
    page.get_by_label("I have no conflict of interest").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text(f"[en] {COMPLETE['problem_uk']}")).to_be_visible()
    expect(
        page.get_by_text("Machine translation — original in Ukrainian").first
    ).to_be_visible()
    page.get_by_label("Text", exact=True).select_option("problem_en")
    page.get_by_label("What is wrong").fill("“Drivers” became “pilots”.")
    page.get_by_role("button", name="Send to the submitters").click()
    expect(
        page.get_by_text("The translation problem was sent to the submitters.")
    ).to_be_visible()
    assert TranslationFlag.objects.get().field == "problem"
    check_accessibility("the review page with machine translations")
    _shots(page, screenshot, review, "review")
    page.context.clear_cookies()

    login("founder@startup.ua")
    detail = f"{base}/en/exchange/submissions/{submission.pk}/"
    page.goto(detail)
    expect(page.get_by_text("“Drivers” became “pilots”.")).to_be_visible()
    check_accessibility("the submission page with machine translations")
    _shots(page, screenshot, detail, "submission")
    assert page_errors == []
