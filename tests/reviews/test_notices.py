"""In-app notices of the exchange and reviews events that send no e-mail of their
own (core.mail.notify): a question in a submission's thread, a new assignment, a
decision e-mail that went out."""

import datetime

import pytest
from django.core import mail as outbox
from django.utils import timezone

from exchange import services as exchange_services
from notifications.models import Notification
from reviews import services as review_services
from reviews.assignment import services as assignment_services
from reviews.models import Decision
from tests.exchange.factories import CallFactory
from tests.factories import UserFactory
from tests.reviews.factories import CallReviewerFactory
from tests.reviews.test_conflicts import make_reviewer, submitted

pytestmark = pytest.mark.django_db


def test_thread_message_notifies_the_other_side(
    submission, assignment, reviewer, submitter, staff
):
    review_services.confirm_no_conflict(assignment, by=reviewer)

    exchange_services.post_message(submission, "Which city?", by=reviewer)
    exchange_services.post_message(submission, "Kharkiv.", by=submitter)
    exchange_services.post_message(submission, "Noted.", by=staff)

    assert sorted(
        Notification.objects.values_list("user__email", "kind", "link")
    ) == sorted(
        [
            (
                submitter.email,
                "submission",
                f"/uk/exchange/submissions/{submission.pk}/messages/",
            ),
            (
                reviewer.email,
                "review",
                f"/en/exchange/submissions/{submission.pk}/messages/",
            ),
            (
                submitter.email,
                "submission",
                f"/uk/exchange/submissions/{submission.pk}/messages/",
            ),
        ]
    )
    # The notice names the project, never the author.
    assert not Notification.objects.filter(title__contains=reviewer.full_name).exists()


def test_manual_assignment_notifies_the_reviewer(call, submission, staff):
    person = UserFactory(preferred_language="en")
    call_reviewer = CallReviewerFactory(call=call, user=person)

    assignment_services.assign_manually(submission, call_reviewer, actor=staff)

    notice = Notification.objects.get(user=person)
    assert notice.kind == "review"
    assert notice.title == f"New submission to review in “{call.title_en}”"
    assert outbox.outbox == []


def test_sent_decision_shows_in_the_submitters_centre(
    submission, submitter, staff, django_capture_on_commit_callbacks
):
    review_services.record_decision(
        submission,
        by=staff,
        outcome=Decision.Outcome.REVISE,
        resubmit_by=timezone.now() + datetime.timedelta(days=10),
    )
    review_services.release_decisions(submission.call, by=staff)
    before = set(Notification.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        review_services.send_outbox(submission.call, by=staff)

    new = Notification.objects.exclude(pk__in=before).get()
    assert new.user == submitter
    assert new.kind == "submission"
    assert new.link.endswith(f"/reviews/submissions/{submission.pk}/feedback/")
    assert new.title.startswith("Рішення щодо")


def test_automatic_assignment_notifies_each_reviewer_once_with_the_count(staff):
    call = CallFactory(reviews_per_submission=2)
    first, second = submitted(call), submitted(call)
    reviewers = [make_reviewer(call, languages=["uk", "en"]) for _ in range(2)]
    for reviewer in reviewers:
        reviewer.user.preferred_language = "en"
        reviewer.user.save(update_fields=["preferred_language"])

    assignment_services.assign_automatically(call, actor=staff)

    notices = Notification.objects.filter(kind="review").order_by("user_id")
    assert [(n.user_id, n.title, n.link) for n in notices] == [
        (
            reviewer.user_id,
            f"2 new submissions to review in “{call.title_en}”",
            "/en/reviews/",
        )
        for reviewer in sorted(reviewers, key=lambda r: r.user_id)
    ]
    assert {first.pk, second.pk} == set(
        call.submissions.filter(assignments__isnull=False).values_list("pk", flat=True)
    )
    assert outbox.outbox == []

    # Run again: nothing is new, nobody is told again.
    assignment_services.assign_automatically(call, actor=staff)

    assert Notification.objects.filter(kind="review").count() == 2
