"""Pages of the reviews app: the reviewer's journey, organizers, submitters."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.models import AuditEntry
from exchange.views.thread import THREAD_PREVIEW
from reviews import services
from reviews.models import Decision, Review
from tests.reviews.factories import (
    AssignmentFactory,
    CallReviewerFactory,
    ReviewFactory,
    ScoreFactory,
    SubmittedSubmissionFactory,
)

pytestmark = pytest.mark.django_db


def test_review_page_hides_confidential_fields_until_no_conflict(
    client, assignment, reviewer, submission
):
    client.force_login(reviewer)
    url = reverse("reviews:review-edit", kwargs={"pk": submission.pk})

    before = client.get(url).content.decode()
    client.post(
        reverse("reviews:review-conflict", kwargs={"pk": submission.pk}),
        {"answer": "none"},
    )
    after = client.get(url).content.decode()

    assert submission.summary_uk in before
    assert submission.problem_uk not in before
    assert "50000" not in before
    assert submission.problem_uk in after
    assert "50000" in after


def test_declaring_a_conflict_ends_the_assignment(client, assignment, reviewer):
    client.force_login(reviewer)

    response = client.post(
        reverse("reviews:review-conflict", kwargs={"pk": assignment.submission_id}),
        {"answer": "conflict", "detail": "I advise them."},
    )

    assert response.status_code == 302
    assert not type(assignment).objects.filter(pk=assignment.pk).exists()


def test_submit_review_through_the_page(client, assignment, reviewer, criteria):
    services.confirm_no_conflict(assignment, by=reviewer)
    client.force_login(reviewer)
    url = reverse("reviews:review-edit", kwargs={"pk": assignment.submission_id})
    data = {
        f"score_{criteria[0].pk}": "4",
        f"score_{criteria[1].pk}": "8",
        "comments_to_submitters": "Strong pilot plan.",
        "recommendation": "accept",
        "action": "submit",
    }

    response = client.post(url, data)

    assert response.status_code == 302
    review = Review.objects.get()
    assert review.status == Review.Status.SUBMITTED
    assert review.seen_version == assignment.submission.version


def test_submit_review_shows_missing_required_scores_and_keeps_input(
    client, assignment, reviewer, criteria
):
    services.confirm_no_conflict(assignment, by=reviewer)
    client.force_login(reviewer)
    url = reverse("reviews:review-edit", kwargs={"pk": assignment.submission_id})

    response = client.post(
        url, {"comments_to_submitters": "Kept text", "action": "submit"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "This criterion needs a score." in page or "потребує оцінки" in page
    assert "Kept text" in page


def test_review_page_shows_what_changed_since_last_look(
    client, assignment, reviewer, submission
):
    from exchange.models import SubmissionVersion

    services.confirm_no_conflict(assignment, by=reviewer)
    review = services.review_of(assignment)
    services.mark_seen(review, 1)
    submission.solution_uk = "Датчики, застосунок і карта."
    submission.version = 2
    submission.save()
    SubmissionVersion.objects.create(
        submission=submission, number=2, content=submission.snapshot()
    )
    client.force_login(reviewer)

    page = client.get(
        reverse("reviews:review-edit", kwargs={"pk": submission.pk})
    ).content.decode()

    assert "<ins" in page
    assert "карта" in page


def test_other_reviewers_cannot_open_the_review_page(client, assignment):
    other = CallReviewerFactory(call=assignment.submission.call)
    client.force_login(other.user)

    response = client.get(
        reverse("reviews:review-edit", kwargs={"pk": assignment.submission_id})
    )

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 4])
def test_my_reviews_query_count(
    client, reviewer, call, count, django_assert_max_num_queries
):
    call_reviewer = CallReviewerFactory(call=call, user=reviewer)
    for _ in range(count):
        AssignmentFactory(call_reviewer=call_reviewer, submission__call=call)
    client.force_login(reviewer)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("reviews:my-reviews"))

    assert len(response.context["rows"]) == count


def _reviewed_call(call, criteria, count):
    reviewers = [CallReviewerFactory(call=call) for _ in range(3)]
    for index in range(count):
        submission = SubmittedSubmissionFactory(call=call)
        for offset, reviewer in enumerate(reviewers[:2]):
            review = ReviewFactory(
                assignment__submission=submission, assignment__call_reviewer=reviewer
            )
            ScoreFactory(
                review=review, criterion=criteria[0], value=1 + (index + offset) % 5
            )
            ScoreFactory(review=review, criterion=criteria[1], value=1 + index % 10)


@pytest.mark.parametrize("count", [2, 12])
def test_dashboard_query_count_does_not_grow_with_rows(
    client, staff, call, criteria, count, django_assert_max_num_queries
):
    _reviewed_call(call, criteria, count)
    client.force_login(staff)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("reviews:dashboard", kwargs={"slug": call.slug}))

    assert response.context["total"] == count
    assert all(row.rank for row in response.context["rows"])


def test_dashboard_filters_sorts_and_exports(client, staff, call, criteria):
    _reviewed_call(call, criteria, 3)
    client.force_login(staff)
    url = reverse("reviews:dashboard", kwargs={"slug": call.slug})

    ranked = client.get(url, {"ordering": "rank"}).context["rows"]
    by_title = client.get(url, {"ordering": "title"}).context["rows"]
    csv_response = client.get(
        reverse("reviews:dashboard-export", kwargs={"slug": call.slug, "fmt": "csv"})
    )
    xlsx_response = client.get(
        reverse("reviews:dashboard-export", kwargs={"slug": call.slug, "fmt": "xlsx"})
    )

    assert [r.rank for r in ranked] == [1, 2, 3]
    assert len(by_title) == 3
    assert csv_response.getvalue().decode("utf-8-sig").count("\n") == 4
    assert xlsx_response.getvalue()[:2] == b"PK"


def test_dashboard_is_for_organizers(client, editor, call):
    client.force_login(editor)

    response = client.get(reverse("reviews:dashboard", kwargs={"slug": call.slug}))

    assert response.status_code == 404


def test_submission_reviews_page_audits_confidential_reads(client, staff, assignment):
    review = ReviewFactory(assignment=assignment)
    client.force_login(staff)

    page = client.get(
        reverse("reviews:submission-reviews", kwargs={"pk": assignment.submission_id})
    ).content.decode()

    assert review.confidential_notes in page
    assert (
        AuditEntry.objects.filter(
            action="reviews.confidential_read", object_id=str(review.pk)
        ).count()
        == 1
    )


def test_feedback_page_after_release_hides_notes_and_names_in_blind_call(
    client, staff, assignment, submitter, submission
):
    submission.call.is_blind = True
    submission.call.save()
    ReviewFactory(assignment=assignment)
    services.record_decision(
        submission,
        by=staff,
        outcome="revise",
        resubmit_by=timezone.now() + datetime.timedelta(days=9),
        note_en="Add numbers.",
    )
    client.force_login(submitter)
    url = reverse("reviews:submission-feedback", kwargs={"pk": submission.pk})

    before = client.get(url)
    services.release_decisions(submission.call, by=staff)
    after = client.get(url).content.decode()

    assert before.status_code == 404
    assert "Clear problem, strong team." in after
    assert "Secret" not in after
    assert "Rita Reviewer" not in after
    assert "reviewer@abq.example" not in after
    assert ("Reviewer 1" in after) or ("Рецензент 1" in after)


def test_release_and_send_through_the_pages(
    client, staff, submission, django_capture_on_commit_callbacks
):
    from django.core import mail

    services.record_decision(submission, by=staff, outcome="accept")
    client.force_login(staff)
    slug = submission.call.slug

    not_confirmed = client.post(
        reverse("reviews:decision-release", kwargs={"slug": slug})
    )
    client.post(
        reverse("reviews:decision-release", kwargs={"slug": slug}), {"confirm": "yes"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reviews:outbox", kwargs={"slug": slug}), {"confirm": "yes"}
        )

    assert not_confirmed.status_code == 200
    assert Decision.objects.get().status == Decision.Status.RELEASED
    assert len(mail.outbox) == 1


def test_decision_deadline_is_entered_in_the_calls_time_zone(client, staff, submission):
    client.force_login(staff)

    client.post(
        reverse("reviews:decision-edit", kwargs={"pk": submission.pk}),
        {"outcome": "revise", "resubmit_by": "2026-12-20T17:00"},
    )

    deadline = Decision.objects.get().resubmit_by
    assert deadline == datetime.datetime(2026, 12, 21, 0, 0, tzinfo=datetime.UTC)


def test_dashboard_exports_are_typed_and_offer_semicolons(
    client, staff, call, criteria
):
    import openpyxl

    _reviewed_call(call, criteria, 2)
    client.force_login(staff)

    def export(fmt):
        kwargs = {"slug": call.slug, "fmt": fmt}
        with translation.override("en"):
            return client.get(reverse("reviews:dashboard-export", kwargs=kwargs))

    semicolon = export("csv-excel").getvalue().decode("utf-8-sig")
    sheet = openpyxl.load_workbook(io.BytesIO(export("xlsx").getvalue())).active

    assert semicolon.splitlines()[0].split(";")[:2] == ["Rank", "Submission"]
    rank, submission = sheet["A2"], sheet["B2"]
    assert (rank.value, rank.data_type, rank.number_format) == (1, "n", "0")
    assert isinstance(submission.value, int)
    assert sheet["C2"].data_type == "s"


def _busy_submission(submission, submitter, reviewer, count):
    """`count` documents, tags, messages and other submitted reviews (visible to
    the reviewers in this phase) on a submission the reviewer reviews."""
    from exchange.models import Attachment, CallPhase, Message
    from tests.factories import TagFactory

    call = submission.call
    CallPhase.objects.update_or_create(
        call=call, phase=call.phase, defaults={"reviewers_see_other_reviews": True}
    )
    for index in range(count):
        Attachment.objects.create(
            submission=submission,
            file=f"exchange/{submission.pk}/{index}.pdf",
            original_name=f"doc-{index}.pdf",
            size=1000 + index,
            uploaded_by=submitter,
        )
        submission.tags.add(TagFactory(slug=f"tag-{index}"))
        Message.objects.create(submission=submission, author=submitter, body="Q?")
        Message.objects.create(
            submission=submission, author=reviewer, body="A.", is_from_reviewer=True
        )
        ReviewFactory(
            assignment__submission=submission,
            assignment__call_reviewer=CallReviewerFactory(call=call),
        )


@pytest.mark.parametrize("count", [1, 3])
def test_review_page_query_count_does_not_grow_with_rows(
    client, assignment, reviewer, submitter, criteria, count, django_assert_num_queries
):
    submission = assignment.submission
    services.confirm_no_conflict(assignment, by=reviewer)
    review = ReviewFactory(assignment=assignment, confidential_notes="")
    for criterion in criteria:
        ScoreFactory(review=review, criterion=criterion, value=2)
    _busy_submission(submission, submitter, reviewer, count)
    client.force_login(reviewer)
    url = reverse("reviews:review-edit", kwargs={"pk": submission.pk})

    # Session, user, the assignment with its submission, call, phase and review,
    # the review's scores, the rubric, the documents, the other reviews and their
    # scores.
    with django_assert_num_queries(8):
        response = client.get(url)

    assert len(response.context["attachments"]) == count
    assert len(response.context["others"]) == count
    assert response.content.decode().count('type="radio"') == sum(
        c.scale_max - c.scale_min + 1 for c in criteria
    )


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("viewer", ["staff", "reviewer"])
def test_submission_page_query_count_does_not_grow_with_rows(
    client,
    assignment,
    reviewer,
    staff,
    submitter,
    viewer,
    count,
    django_assert_num_queries,
):
    submission = assignment.submission
    services.confirm_no_conflict(assignment, by=reviewer)
    _busy_submission(submission, submitter, reviewer, count)
    client.force_login(staff if viewer == "staff" else reviewer)

    # Session, user, the submission with its call and phase, the viewer's edited
    # organizations, its documents, its tags, the thread; for the reviewer the
    # reviews app's hook, asked once.
    with django_assert_num_queries(7 if viewer == "staff" else 8):
        response = client.get(submission.get_absolute_url())

    assert response.status_code == 200
    assert len(response.context["attachments"]) == count
    assert len(response.context["tags"]) == count
    assert len(response.context["thread"]) == min(2 * count, THREAD_PREVIEW)
