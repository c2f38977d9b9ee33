"""Machine translations of a submission: shown side by side with the original, the
submitters approve them before the call closes, reviewers flag problems."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from exchange.models import Call, SubmissionVersion
from tests.exchange.factories import COMPLETE, CallFactory, SubmissionFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.reviews.factories import (
    AssignmentFactory,
    CallReviewerFactory,
    SubmittedSubmissionFactory,
)
from translations.models import TranslationFlag

pytestmark = pytest.mark.django_db

MARK = "Machine translation — original in Ukrainian"


def english(url: str) -> str:
    return url.replace("/uk/", "/en/", 1)


@pytest.fixture
def startup(db):
    return OrganizationFactory(kind="startup", name_uk="Стартап", name_en="Startup")


@pytest.fixture
def submitter(startup):
    user = UserFactory(role=Role.EDITOR, email="founder@example.org")
    MembershipFactory(user=user, organization=startup)
    return user


def translated_now(submission, capture):
    with capture(execute=True):
        submission.save()
    submission.refresh_from_db()
    return submission


def test_submitter_sees_the_machine_english_beside_the_original_and_approves_it(
    client, libretranslate, startup, submitter, django_capture_on_commit_callbacks
):
    call = CallFactory()
    draft = SubmissionFactory(call=call, organization=startup, created_by=submitter)
    translated_now(draft, django_capture_on_commit_callbacks)
    assert set(draft.machine_translations) == {
        "title_en",
        "summary_en",
        "problem_en",
        "solution_en",
        "team_en",
    }
    client.force_login(submitter)
    url = english(reverse("exchange:submission-detail", kwargs={"pk": draft.pk}))

    page = client.get(url).content.decode()

    assert f"[en] {COMPLETE['summary_uk']}" in page
    assert COMPLETE["summary_uk"] in page
    assert MARK in page
    assert (
        reverse("translations:submission-approve", kwargs={"pk": draft.pk})[4:] in page
    )

    response = client.post(
        english(reverse("translations:submission-approve", kwargs={"pk": draft.pk}))
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary_en == f"[en] {COMPLETE['summary_uk']}"
    assert draft.provenance["summary_en"]["origin"] == "approved_machine"
    assert draft.provenance["summary_en"]["engine"] == "libretranslate"
    assert draft.provenance["summary_en"]["by"] == submitter.pk
    assert draft.machine_translations == {}
    page = client.get(url).content.decode()
    assert "Machine translation approved by the submitters" in page
    assert MARK not in page


def test_approval_is_refused_once_the_call_has_closed(
    client, libretranslate, startup, submitter, django_capture_on_commit_callbacks
):
    call = CallFactory()
    draft = SubmissionFactory(call=call, organization=startup, created_by=submitter)
    translated_now(draft, django_capture_on_commit_callbacks)
    Call.objects.filter(pk=call.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(submitter)

    response = client.post(
        reverse("translations:submission-approve", kwargs={"pk": draft.pk})
    )

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.summary_en == ""
    assert "summary_en" in draft.machine_translations


def test_only_the_submitters_approve(
    client, libretranslate, startup, submitter, django_capture_on_commit_callbacks
):
    draft = SubmissionFactory(
        call=CallFactory(), organization=startup, created_by=submitter
    )
    translated_now(draft, django_capture_on_commit_callbacks)
    client.force_login(UserFactory(role=Role.EDITOR))

    response = client.post(
        reverse("translations:submission-approve", kwargs={"pk": draft.pk})
    )

    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.summary_en == ""


@pytest.fixture
def reviewed(startup, submitter, django_capture_on_commit_callbacks, libretranslate):
    call = CallFactory(phase=Call.Phase.REVIEW)
    submission = SubmittedSubmissionFactory(
        call=call,
        organization=startup,
        created_by=submitter,
        submitted_at=timezone.now(),
    )
    SubmissionVersion.objects.create(
        submission=submission, number=1, content=submission.snapshot()
    )
    translated_now(submission, django_capture_on_commit_callbacks)
    reviewer = UserFactory(role=Role.REVIEWER, preferred_language="en")
    AssignmentFactory(
        submission=submission,
        call_reviewer=CallReviewerFactory(call=call, user=reviewer),
    )
    return submission, reviewer


def test_reviewer_sees_both_languages_and_flags_a_problem_the_submitter_sees(
    client, reviewed, submitter
):
    submission, reviewer = reviewed
    client.force_login(reviewer)
    client.post(
        reverse("reviews:review-conflict", kwargs={"pk": submission.pk}),
        {"answer": "none"},
    )
    review_url = english(reverse("reviews:review-edit", kwargs={"pk": submission.pk}))

    page = client.get(review_url).content.decode()

    assert COMPLETE["problem_uk"] in page
    assert f"[en] {COMPLETE['problem_uk']}" in page
    assert MARK in page
    assert "Report a translation problem" in page

    response = client.post(
        english(reverse("translations:submission-flag", kwargs={"pk": submission.pk})),
        {"text": "problem_en", "note": "“Drivers” became “pilots”."},
    )

    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("reviews:review-edit", kwargs={"pk": submission.pk})[4:]
    )
    flag = TranslationFlag.objects.get()
    assert (flag.field, flag.language, flag.created_by) == ("problem", "en", reviewer)
    client.force_login(submitter)
    page = client.get(
        english(reverse("exchange:submission-detail", kwargs={"pk": submission.pk}))
    ).content.decode()
    assert "Translation problems reported by reviewers" in page
    assert "“Drivers” became “pilots”." in page


def test_a_flag_needs_a_note_and_a_machine_translated_text(client, reviewed):
    submission, reviewer = reviewed
    client.force_login(reviewer)
    url = reverse("translations:submission-flag", kwargs={"pk": submission.pk})

    client.post(url, {"text": "problem_en", "note": "  "})
    client.post(url, {"text": "problem_uk", "note": "Wrong."})
    client.post(url, {"text": "nonsense", "note": "Wrong."})

    assert not TranslationFlag.objects.exists()


def test_only_assigned_reviewers_flag(client, reviewed, submitter):
    submission, _reviewer = reviewed
    url = reverse("translations:submission-flag", kwargs={"pk": submission.pk})

    client.force_login(submitter)
    assert client.post(url, {"text": "problem_en", "note": "x"}).status_code == 403
    client.force_login(UserFactory(role=Role.REVIEWER))
    assert client.post(url, {"text": "problem_en", "note": "x"}).status_code == 404
    assert not TranslationFlag.objects.exists()


def test_the_machine_english_title_is_marked_in_both_page_headings(
    client, reviewed, submitter
):
    submission, reviewer = reviewed
    heading = (
        f' lang="en">[en] {COMPLETE["title_uk"]} <span class="fallback-mark">'
        "(machine translation — original in Ukrainian)</span></h1>"
    )
    client.force_login(reviewer)
    client.post(
        reverse("reviews:review-conflict", kwargs={"pk": submission.pk}),
        {"answer": "none"},
    )

    review_page = client.get(
        english(reverse("reviews:review-edit", kwargs={"pk": submission.pk}))
    ).content.decode()
    client.force_login(submitter)
    submission_page = client.get(
        english(reverse("exchange:submission-detail", kwargs={"pk": submission.pk}))
    ).content.decode()

    assert f'<h1 class="h2 review-title"{heading}' in review_page
    assert f'<h1 class="h2 mb-1"{heading}' in submission_page
