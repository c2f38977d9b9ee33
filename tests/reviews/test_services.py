"""Services of the reviews app, against the database."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Invitation, Role
from core.models import AuditEntry
from reviews import services
from reviews.models import (
    CallReviewer,
    ConflictOfInterest,
    Decision,
    OutboxMessage,
    Review,
    ReviewerInvitation,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _confirm(assignment, reviewer):
    return services.confirm_no_conflict(assignment, by=reviewer)


def test_invite_reviewer_with_account_makes_them_a_reviewer_and_mails_them(
    call, staff, django_capture_on_commit_callbacks
):
    person = UserFactory(email="expert@valley.example", preferred_language="en")

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_reviewer(
            call, email="Expert@Valley.example", invited_by=staff
        )

    assert invitation.user == person
    assert CallReviewer.objects.filter(call=call, user=person).exists()
    assert len(mail.outbox) == 1
    assert str(call.title_en) in mail.outbox[0].subject


def test_invite_reviewer_without_account_sends_a_reviewer_account_invitation(
    call, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_reviewer(call, email="new@abq.example", invited_by=staff)

    account = Invitation.objects.get(email="new@abq.example")
    assert account.role == Role.REVIEWER
    person = UserFactory(email="new@abq.example", role=Role.REVIEWER)
    created = services.claim_invitations(person)
    assert [r.call for r in created] == [call]
    assert ReviewerInvitation.objects.get(email="new@abq.example").user == person


def test_invite_reviewer_needs_staff(call, editor):
    with pytest.raises(PermissionDenied):
        services.invite_reviewer(call, email="x@example.org", invited_by=editor)


def test_update_profile_accepts_the_invitation(call_reviewer, reviewer):
    services.update_reviewer_profile(
        call_reviewer, by=reviewer, languages=["en"], max_load=4
    )

    call_reviewer.refresh_from_db()
    assert call_reviewer.accepted_at is not None
    assert (call_reviewer.languages, call_reviewer.max_load) == (["en"], 4)


def test_save_review_needs_no_conflict_confirmed_first(assignment, reviewer, criteria):
    with pytest.raises(PermissionDenied):
        services.save_review(assignment, by=reviewer, scores={})


def test_save_review_draft_keeps_partial_scores(assignment, reviewer, criteria):
    _confirm(assignment, reviewer)

    review = services.save_review(
        assignment, by=reviewer, scores={criteria[0].pk: 4, criteria[1].pk: None}
    )

    assert review.status == Review.Status.DRAFT
    assert {s.criterion_id: s.value for s in review.scores.all()} == {criteria[0].pk: 4}


def test_submit_review_enforces_required_criteria_and_recommendation(
    assignment, reviewer, criteria
):
    _confirm(assignment, reviewer)

    with pytest.raises(ValidationError) as error:
        services.save_review(
            assignment, by=reviewer, scores={criteria[0].pk: 4}, submit=True
        )

    assert set(error.value.message_dict) == {
        f"score_{criteria[1].pk}",
        "recommendation",
    }


def test_scores_must_lie_within_the_scale(assignment, reviewer, criteria):
    _confirm(assignment, reviewer)

    with pytest.raises(ValidationError) as error:
        services.save_review(assignment, by=reviewer, scores={criteria[0].pk: 6})

    assert f"score_{criteria[0].pk}" in error.value.message_dict


def test_submit_review_records_everything(assignment, reviewer, criteria):
    _confirm(assignment, reviewer)

    review = services.save_review(
        assignment,
        by=reviewer,
        scores={criteria[0].pk: 4, criteria[1].pk: 9, criteria[2].pk: None},
        comments_to_submitters="Good.",
        confidential_notes="Padded budget.",
        recommendation="revise",
        offers_mentoring=True,
        submit=True,
    )

    assert review.status == Review.Status.SUBMITTED
    assert review.submitted_at is not None
    assert review.offers_mentoring is True
    assert review.scores.count() == 2


def test_another_user_cannot_review(assignment, criteria):
    stranger = UserFactory(role=Role.REVIEWER)

    with pytest.raises(PermissionDenied):
        services.confirm_no_conflict(assignment, by=stranger)


def test_declare_conflict_removes_the_assignment_and_records_it(assignment, reviewer):
    services.declare_conflict(assignment, by=reviewer, detail="I advise this team.")

    conflict = ConflictOfInterest.objects.get()
    assert conflict.reason == ConflictOfInterest.Reason.DECLARED_BY_REVIEWER
    assert not type(assignment).objects.filter(pk=assignment.pk).exists()


def test_reading_confidential_notes_is_audited(assignment, reviewer, staff):
    review = Review.objects.create(assignment=assignment, confidential_notes="secret")

    notes = services.read_confidential_notes(
        [review], call=assignment.submission.call, by=staff, via="page"
    )

    assert notes == {review.pk: "secret"}
    entry = AuditEntry.objects.get(action="reviews.confidential_read")
    assert (entry.actor, entry.object_id) == (staff, str(review.pk))
    assert entry.details == {"submission": assignment.submission_id, "via": "page"}


def test_reading_confidential_notes_is_for_organizers_only(assignment, reviewer):
    review = Review.objects.create(assignment=assignment, confidential_notes="secret")

    with pytest.raises(PermissionDenied):
        services.read_confidential_notes(
            [review], call=assignment.submission.call, by=reviewer, via="page"
        )


def test_revise_decision_needs_a_new_deadline(submission, staff):
    with pytest.raises(ValidationError):
        services.record_decision(submission, by=staff, outcome=Decision.Outcome.REVISE)


def test_release_renders_bilingual_emails_then_send_marks_them_sent(
    submission, submitter, staff, django_capture_on_commit_callbacks
):
    submitter.preferred_language = "en"
    submitter.save()
    deadline = timezone.now() + datetime.timedelta(days=20)
    services.record_decision(
        submission,
        by=staff,
        outcome=Decision.Outcome.REVISE,
        resubmit_by=deadline,
        note_uk="Додайте фінансовий план.",
        note_en="Add a financial plan.",
    )

    messages = services.release_decisions(submission.call, by=staff)

    assert len(messages) == 1
    message = messages[0]
    assert message.to == submitter.email
    assert message.language == "en"
    assert message.body.index("Add a financial plan.") < message.body.index(
        "Додайте фінансовий план."
    )
    assert "America/Denver" in message.body
    assert f"/reviews/submissions/{submission.pk}/feedback/" in message.body
    assert Decision.objects.get().status == Decision.Status.RELEASED
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_outbox(submission.call, by=staff)

    assert sent == 1
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
    assert mail.outbox[0].subject == message.subject


def test_released_decision_cannot_change(submission, staff):
    services.record_decision(submission, by=staff, outcome="accept")
    services.release_decisions(submission.call, by=staff)

    with pytest.raises(ValidationError):
        services.record_decision(submission, by=staff, outcome="decline")


def test_template_with_unknown_placeholder_is_rejected(call, staff):
    template = services.templates_of(call)["accept"]

    with pytest.raises(ValidationError):
        services.update_template(
            template,
            by=staff,
            subject_uk="{nope}",
            subject_en="x",
            body_uk="x",
            body_en="x",
        )
