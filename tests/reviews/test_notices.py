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
from tests.factories import UserFactory
from tests.reviews.factories import CallReviewerFactory

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
