"""Permission-matrix rows of the `reviews` app (see tests/matrix/__init__.py).

`build` makes a blind call in review (organized by a partner abroad), a submitted
submission of the world's organization (so the Role.EDITOR subject is its submitter)
with a released decision, an outbox message, and a reviewer with a confirmed
assignment and a submitted review; `setup_actor` hands that reviewer place to the
Role.REVIEWER subject.
"""

import datetime

from django.utils import timezone

from accounts.models import Role
from exchange.models import Call, Criterion, Submission
from reviews.models import (
    Assignment,
    CallReviewer,
    Decision,
    OutboxMessage,
    Review,
)
from tests.exchange.factories import CallFactory, SubmissionFactory
from tests.factories import OrganizationFactory, UserFactory
from tests.matrix.base import (
    ANONYMOUS,
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    STAFF,
    UNAUTHORIZED,
    Row,
    everyone,
    only,
    signed_in,
)


def build(world) -> None:
    organizer = OrganizationFactory(kind="foreign_partner", country="US")
    call = CallFactory(organizer=organizer, phase=Call.Phase.REVIEW, is_blind=True)
    criterion = Criterion.objects.create(call=call, name_uk="Ідея", name_en="Idea")
    submission = SubmissionFactory(
        call=call,
        organization=world.organization,
        status=Submission.Status.SUBMITTED,
        submitted_at=timezone.now(),
        version=1,
    )
    person = UserFactory(email="matrix-reviewer@example.org", role=Role.REVIEWER)
    call_reviewer = CallReviewer.objects.create(
        call=call, user=person, languages=["uk"]
    )
    assignment = Assignment.objects.create(
        submission=submission,
        call_reviewer=call_reviewer,
        no_conflict_confirmed_at=timezone.now(),
    )
    review = Review.objects.create(
        assignment=assignment,
        status=Review.Status.SUBMITTED,
        recommendation="accept",
        comments_to_submitters="Good.",
        confidential_notes="Secret.",
        submitted_at=timezone.now(),
    )
    review.scores.create(criterion=criterion, value=4)
    decision = Decision.objects.create(
        submission=submission,
        outcome=Decision.Outcome.ACCEPT,
        status=Decision.Status.RELEASED,
        released_at=timezone.now(),
    )
    message = OutboxMessage.objects.create(
        decision=decision,
        to="founder@example.org",
        subject="Decision",
        body="Accepted.",
    )
    # A second submission with a pending decision, for the release form.
    pending = SubmissionFactory(
        call=call, status=Submission.Status.SUBMITTED, version=1
    )
    Decision.objects.create(submission=pending, outcome=Decision.Outcome.DECLINE)
    # A submission of the world's organization in its second round (revise and
    # resubmit), open until next week, the reviewer assigned again; and one whose
    # revision deadline has passed.
    in_round = SubmissionFactory(
        call=call,
        organization=world.organization,
        status=Submission.Status.SUBMITTED,
        version=1,
        review_round=2,
        resubmit_until=timezone.now() + datetime.timedelta(days=7),
    )
    for number in (1, 2):
        Assignment.objects.create(
            submission=in_round,
            call_reviewer=call_reviewer,
            round=number,
            no_conflict_confirmed_at=timezone.now(),
        )
    late = SubmissionFactory(
        call=call,
        organization=world.organization,
        status=Submission.Status.SUBMITTED,
        version=1,
        review_round=2,
        resubmit_until=timezone.now() - datetime.timedelta(days=1),
    )
    world.extra.update(
        reviews_in_round=in_round,
        reviews_late=late,
        reviews_call=call,
        reviews_submission=submission,
        reviews_call_reviewer=call_reviewer,
        reviews_assignment=assignment,
        reviews_review=review,
        reviews_decision=decision,
        reviews_message=message,
    )


def setup_actor(role, world, user) -> None:
    if role == Role.REVIEWER and user is not None:
        reviewer = world.extra["reviews_call_reviewer"]
        reviewer.user = user
        reviewer.save()


def call_slug(world) -> dict:
    return {"slug": world.extra["reviews_call"].slug}


def export_csv(world) -> dict:
    return {**call_slug(world), "fmt": "csv"}


def template_accept(world) -> dict:
    return {**call_slug(world), "outcome": "accept"}


def submission_pk(world) -> dict:
    return {"pk": world.extra["reviews_submission"].pk}


def pk_of(key):
    return lambda world: {"pk": world.extra[key].pk}


def invite_data(world) -> dict:
    return {"email": "new-reviewer@example.org", "language": "en"}


def add_data(world) -> dict:
    return {
        "submission": world.extra["reviews_submission"].pk,
        "call_reviewer": world.extra["reviews_call_reviewer"].pk,
    }


def confirm(world) -> dict:
    return {"confirm": "yes"}


def draft_data(world) -> dict:
    return {"comments_to_submitters": "Draft.", "action": "draft"}


def no_conflict(world) -> dict:
    return {"answer": "none"}


def round_data(world) -> dict:
    return {"reviewers": [world.extra["reviews_call_reviewer"].pk]}


def decision_data(world) -> dict:
    return {"outcome": "decline"}


def template_data(world) -> dict:
    return {"subject_uk": "Т", "subject_en": "S", "body_uk": "Т", "body_en": "B"}


def message_data(world) -> dict:
    return {"subject": "Decision", "body": "Accepted."}


ORGANIZERS = only(STAFF, OK, others=NOT_FOUND)
ORGANIZERS_POST = only(STAFF, REDIRECT, others=NOT_FOUND)
REVIEWER_ONLY = only((Role.REVIEWER,), OK, others=NOT_FOUND)
API_SIGNED_IN = signed_in(OK, anonymous=UNAUTHORIZED)
API_ORGANIZERS = only(STAFF, OK, others=NOT_FOUND, anonymous=UNAUTHORIZED)

# The submitters open the form of a submission in revision (after its deadline
# too, to be told why a new version is refused); those who see it may not edit.
ROUND_EDIT = {
    **only((Role.EDITOR,), OK, others=NOT_FOUND),
    **dict.fromkeys(STAFF, FORBIDDEN),
}

ROWS: list[Row] = [
    Row("reviews:my-reviews", signed_in(OK)),
    Row("reviews:call-list", signed_in(OK)),
    Row("reviews:dashboard", ORGANIZERS, kwargs=call_slug),
    Row("reviews:dashboard-export", ORGANIZERS, kwargs=export_csv),
    Row("reviews:reviewer-list", ORGANIZERS, kwargs=call_slug),
    Row(
        "reviews:reviewer-list",
        ORGANIZERS_POST,
        kwargs=call_slug,
        method="post",
        data=invite_data,
    ),
    Row("reviews:reviewer-profile", REVIEWER_ONLY, kwargs=call_slug),
    Row("reviews:decision-release", ORGANIZERS, kwargs=call_slug),
    Row(
        "reviews:decision-release",
        ORGANIZERS_POST,
        kwargs=call_slug,
        method="post",
        data=confirm,
    ),
    Row("reviews:outbox", ORGANIZERS, kwargs=call_slug),
    Row(
        "reviews:outbox", ORGANIZERS_POST, kwargs=call_slug, method="post", data=confirm
    ),
    Row("reviews:template-edit", ORGANIZERS, kwargs=template_accept),
    Row(
        "reviews:template-edit",
        ORGANIZERS_POST,
        kwargs=template_accept,
        method="post",
        data=template_data,
    ),
    Row("reviews:outbox-message", ORGANIZERS, kwargs=pk_of("reviews_message")),
    Row("reviews:review-edit", REVIEWER_ONLY, kwargs=submission_pk),
    Row(
        "reviews:review-edit",
        only((Role.REVIEWER,), REDIRECT, others=NOT_FOUND),
        kwargs=submission_pk,
        method="post",
        data=draft_data,
    ),
    Row(
        "reviews:review-conflict",
        {**everyone(NOT_ALLOWED), ANONYMOUS: LOGIN},
        kwargs=submission_pk,
    ),
    Row(
        "reviews:review-conflict",
        only((Role.REVIEWER,), REDIRECT, others=NOT_FOUND),
        kwargs=submission_pk,
        method="post",
        data=no_conflict,
    ),
    Row("reviews:submission-reviews", ORGANIZERS, kwargs=submission_pk),
    Row("reviews:decision-edit", ORGANIZERS, kwargs=submission_pk),
    Row(
        "reviews:decision-edit",
        ORGANIZERS,
        kwargs=submission_pk,
        method="post",
        data=decision_data,
        note="released",
    ),
    Row(
        "reviews:submission-feedback",
        only((*STAFF, Role.EDITOR), OK, others=NOT_FOUND),
        kwargs=submission_pk,
    ),
    # ---- a second round (revise and resubmit) ----
    Row(
        "reviews:submission-feedback",
        only((*STAFF, Role.EDITOR), OK, others=NOT_FOUND),
        kwargs=pk_of("reviews_in_round"),
        note="round 2",
    ),
    Row("reviews:round-reviewers", ORGANIZERS, kwargs=pk_of("reviews_in_round")),
    Row(
        "reviews:round-reviewers",
        ORGANIZERS_POST,
        kwargs=pk_of("reviews_in_round"),
        method="post",
        data=round_data,
    ),
    Row(
        "reviews:round-reviewers",
        only(STAFF, FORBIDDEN, others=NOT_FOUND),
        kwargs=submission_pk,
        note="round 1",
    ),
    Row(
        "reviews:review-edit",
        REVIEWER_ONLY,
        kwargs=pk_of("reviews_in_round"),
        note="round 2",
    ),
    Row(
        "exchange:submission-edit",
        {**ROUND_EDIT, Role.REVIEWER: FORBIDDEN},
        kwargs=pk_of("reviews_in_round"),
        note="round 2",
    ),
    Row(
        "exchange:submission-edit",
        ROUND_EDIT,
        kwargs=pk_of("reviews_late"),
        note="round 2, late",
    ),
    # ---- assignment (views of the "assignment" helper) ----
    Row("reviews:assignment", ORGANIZERS, kwargs=call_slug),
    Row(
        "reviews:assignment-run",
        ORGANIZERS_POST,
        kwargs=call_slug,
        method="post",
        data=confirm,
    ),
    Row(
        "reviews:assignment-add",
        ORGANIZERS_POST,
        kwargs=call_slug,
        method="post",
        data=add_data,
    ),
    Row(
        "reviews:assignment-pin",
        ORGANIZERS_POST,
        kwargs=pk_of("reviews_assignment"),
        method="post",
    ),
    Row(
        "reviews:assignment-remove",
        ORGANIZERS_POST,
        kwargs=pk_of("reviews_assignment"),
        method="post",
    ),
    Row(
        "reviews:assignment-remove",
        {**everyone(NOT_ALLOWED), ANONYMOUS: LOGIN},
        kwargs=pk_of("reviews_assignment"),
    ),
    # ---- api ----
    Row("api:review-assignment-list", API_SIGNED_IN),
    Row(
        "api:review-assignment-detail",
        only((Role.REVIEWER,), OK, others=NOT_FOUND, anonymous=UNAUTHORIZED),
        kwargs=pk_of("reviews_assignment"),
    ),
    Row("api:review-list", API_SIGNED_IN),
    Row(
        "api:review-detail",
        only((Role.REVIEWER,), OK, others=NOT_FOUND, anonymous=UNAUTHORIZED),
        kwargs=pk_of("reviews_review"),
    ),
    Row("api:review-decision-list", API_SIGNED_IN),
    Row(
        "api:review-decision-detail",
        only((*STAFF, Role.EDITOR), OK, others=NOT_FOUND, anonymous=UNAUTHORIZED),
        kwargs=pk_of("reviews_decision"),
    ),
    Row("api:review-dashboard", API_ORGANIZERS, kwargs=call_slug),
    Row("api:review-submission-reviews", API_ORGANIZERS, kwargs=submission_pk),
]
