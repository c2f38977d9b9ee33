"""The review journey in a real browser: a Kharkiv startup's Ukrainian submission with
a PDF → automatic assignment by staff → an English-speaking reviewer in Albuquerque
(America/Denver) reviews → staff record, release and send the decision → the startup
reads the feedback. Screenshots of the review form, dashboard and feedback page in
both languages, on a desktop and a phone.

The submission itself is made through factories (the exchange's own browser test
drives its submission form); the automatic assignment runs through the assignment
helper's service.
"""

import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from accounts.models import Role
from exchange.models import Attachment, Call, Criterion, SubmissionVersion
from reviews.assignment.services import assign_automatically
from reviews.models import Decision, OutboxMessage, Review
from tests.exchange.factories import CallFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.reviews.factories import CallReviewerFactory, SubmittedSubmissionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _shots(page, screenshot, url, name):
    for language in ("uk", "en"):
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.goto(url.replace("/en/", f"/{language}/"))
            screenshot(f"reviews-{name}-{language}-{label}")
    page.set_viewport_size(DESKTOP)


@pytest.fixture
def journey(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    call = CallFactory(
        phase=Call.Phase.REVIEW,
        reviews_per_submission=1,
        is_blind=True,
        title_uk="Харків — Альбукерке 2026",
        title_en="Kharkiv — Albuquerque 2026",
    )
    Criterion.objects.create(
        call=call, name_uk="Проблема", name_en="Problem", position=1
    )
    Criterion.objects.create(
        call=call, name_uk="Команда", name_en="Team", position=2, scale_max=10
    )
    startup = OrganizationFactory(
        kind="startup", name_uk="Розумний Харків", name_en="Smart Kharkiv"
    )
    founder = UserFactory(
        role=Role.EDITOR, email="founder@smart.kharkiv.ua", full_name="Оксана Коваль"
    )
    MembershipFactory(user=founder, organization=startup)
    submission = SubmittedSubmissionFactory(
        call=call, organization=startup, created_by=founder
    )
    SubmissionVersion.objects.create(
        submission=submission, number=1, content=submission.snapshot()
    )
    attachment = Attachment(
        submission=submission, original_name="презентація.pdf", size=len(PDF)
    )
    attachment.file.save("pitch.pdf", ContentFile(PDF), save=False)
    attachment.save()
    staff = UserFactory(role=Role.STAFF, email="staff@example.org", full_name="Олена")
    reviewer = UserFactory(
        role=Role.REVIEWER,
        email="sarah@abq.example",
        full_name="Sarah Martinez",
        preferred_language="en",
        time_zone="America/Denver",
    )
    CallReviewerFactory(call=call, user=reviewer, languages=["uk", "en"])
    return {"call": call, "submission": submission, "staff": staff, "founder": founder}


def test_review_journey(page, live_server, login, screenshot, journey, page_errors):
    call, submission = journey["call"], journey["submission"]
    base = live_server.url
    page.set_default_timeout(45_000)  # two shared cores: pages may load slowly
    expect.set_options(timeout=45_000)

    report = assign_automatically(call, actor=journey["staff"])
    assert report.created == 1

    # The reviewer in Albuquerque reviews in English.
    login("sarah@abq.example")
    page.goto(f"{base}/en/reviews/")
    page.get_by_role("link", name=submission.title_uk).click()
    page.get_by_label("I have no conflict of interest").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text(submission.problem_uk)).to_be_visible()
    page.locator("label[for$='_3']").first.click()
    page.get_by_role("group", name="Team").get_by_text("8", exact=True).click()
    page.get_by_label("Comments to the submitters").fill(
        "A strong team; add a pilot plan with the city."
    )
    page.get_by_label("Confidential notes to the organizers").fill("Budget padded?")
    page.get_by_label("Recommendation").select_option("revise")
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("Your review is submitted")).to_be_visible()
    assert Review.objects.get().status == Review.Status.SUBMITTED
    _shots(page, screenshot, page.url, "review-form")
    page.context.clear_cookies()

    # Staff decide, release and send.
    login("staff@example.org")
    dashboard = f"{base}/en/reviews/calls/{call.slug}/"
    page.goto(dashboard)
    expect(page.get_by_role("link", name=submission.title_uk)).to_be_visible()
    _shots(page, screenshot, dashboard, "dashboard")
    page.goto(f"{base}/en/reviews/submissions/{submission.pk}/decision/")
    page.get_by_label("Revise and resubmit").check()
    page.get_by_label("Resubmit by").fill("2026-12-20T17:00")
    page.get_by_label("Note (English)").fill("Please add a pilot plan.")
    page.get_by_label("Note (Ukrainian)").fill("Додайте план пілоту.")
    page.get_by_role("button", name="Record decision").click()
    page.goto(f"{base}/en/reviews/calls/{call.slug}/release/")
    page.get_by_label("Yes, release these decisions").check()
    page.get_by_role("button", name="Release decisions").click()
    expect(page.get_by_text(journey["founder"].email)).to_be_visible()
    page.get_by_label("I have checked the e-mails").check()
    page.get_by_role("button", name="Send the outbox").click()
    expect(page.get_by_text("Sent").first).to_be_visible()
    assert Decision.objects.get().status == Decision.Status.RELEASED
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
    # The decision; and, as "revise and resubmit" opened round 2, the notice to the
    # startup and the reviewer's new assignment.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "founder@smart.kharkiv.ua",
        "founder@smart.kharkiv.ua",
        "sarah@abq.example",
    ]
    page.context.clear_cookies()

    # The startup reads the feedback, in Ukrainian.
    login("founder@smart.kharkiv.ua")
    feedback = f"{base}/uk/reviews/submissions/{submission.pk}/feedback/"
    page.goto(feedback)
    expect(page.get_by_text("A strong team; add a pilot plan")).to_be_visible()
    # "Рецензент 1" once the lead merges the catalogue.
    expect(page.get_by_text(re.compile("Рецензент 1|Reviewer 1"))).to_be_visible()
    body = page.content()
    assert "Budget padded" not in body
    assert "Sarah" not in body
    _shots(page, screenshot, feedback.replace("/uk/", "/en/"), "feedback")

    # Round 2: the startup revises beside the reviewers' comments.
    page.goto(feedback)
    page.get_by_role("link", name="Доопрацювати заявку").click()
    expect(page.get_by_text("A strong team; add a pilot plan")).to_be_visible()
    expect(page.get_by_text("Раунд рецензування 2")).to_be_visible()
    _shots(page, screenshot, page.url.replace("/uk/", "/en/"), "revise-form")
    page.goto(f"{base}/uk/exchange/submissions/{submission.pk}/edit/")
    solution = page.get_by_label("Рішення українською")
    solution.fill(solution.input_value() + " Пілот із містом — у другому кварталі.")
    page.get_by_role("button", name="Зберегти нову версію").click()
    expect(page.get_by_text("Ваші зміни збережено.")).to_be_visible()
    submission.refresh_from_db()
    assert (submission.review_round, submission.version) == (2, 2)
    page.context.clear_cookies()

    # The reviewer sees what changed since they reviewed, and scores round 2.
    login("sarah@abq.example")
    page.goto(f"{base}/en/reviews/submissions/{submission.pk}/")
    expect(
        page.get_by_text("What changed since you last reviewed (version 1 → 2)")
    ).to_be_visible()
    expect(page.get_by_text("Your review in round 1 (version 1)")).to_be_visible()
    _shots(page, screenshot, page.url, "round-two-review")
    page.locator("label[for$='_4']").first.click()
    page.get_by_role("group", name="Team").get_by_text("9", exact=True).click()
    page.get_by_label("Comments to the submitters").fill("The pilot plan is clear.")
    page.get_by_label("Recommendation").select_option("accept")
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("Your review is submitted")).to_be_visible()
    assert list(
        Review.objects.order_by("assignment__round").values_list(
            "assignment__round", "recommendation"
        )
    ) == [(1, "revise"), (2, "accept")]
    page.context.clear_cookies()

    # Staff see both rounds on the dashboard, and the final decision follows.
    login("staff@example.org")
    page.goto(f"{dashboard}?round=2")
    expect(page.get_by_role("link", name=submission.title_uk)).to_be_visible()
    _shots(page, screenshot, f"{dashboard}?round=2", "dashboard-round-two")
    page.goto(f"{base}/en/reviews/submissions/{submission.pk}/decision/")
    page.get_by_label("Accept").check()
    page.get_by_role("button", name="Record decision").click()
    page.goto(f"{base}/en/reviews/calls/{call.slug}/release/")
    page.get_by_label("Yes, release these decisions").check()
    page.get_by_role("button", name="Release decisions").click()
    decision = Decision.objects.get()
    assert (decision.round, decision.outcome, decision.status) == (
        2,
        "accept",
        Decision.Status.RELEASED,
    )
    page.context.clear_cookies()
    login("founder@smart.kharkiv.ua")
    page.goto(feedback)
    expect(page.get_by_text("The pilot plan is clear.")).to_be_visible()
    expect(page.get_by_text("A strong team; add a pilot plan")).to_be_visible()
    _shots(page, screenshot, feedback.replace("/uk/", "/en/"), "feedback-round-two")
    assert page_errors == []
