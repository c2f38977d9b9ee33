"""The call's review stamp (`Call.review_stamp`): every write the ranking reads
gives the call a new stamp in its own transaction, so the dashboard, whose ranking
is cached under the stamp, shows the change at once, as a fresh computation would."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from exchange import services as exchange_services
from exchange.forms import CriterionFormSet
from exchange.models import Call
from reviews import ranking, services
from reviews.assignment import services as assignment_services
from reviews.models import Decision, Review
from tests.factories import UserFactory
from tests.reviews.factories import (
    CallReviewerFactory,
    ReviewFactory,
    ScoreFactory,
    SubmittedSubmissionFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_ranking")]


@pytest.fixture
def board(call, criteria, submission, submitter, assignment, reviewer, staff):
    """The call with two reviewed submissions (two submitted reviews each), the
    fixture's submission with one pending assignment, and a spare reviewer."""
    reviewers = [CallReviewerFactory(call=call) for _ in range(2)]
    reviewed = []
    for index in range(2):
        other = SubmittedSubmissionFactory(call=call)
        reviewed.append(other)
        for offset, call_reviewer in enumerate(reviewers):
            review = ReviewFactory(
                assignment__submission=other,
                assignment__call_reviewer=call_reviewer,
                assignment__no_conflict_confirmed_at=timezone.now(),
                recommendation="revise",
            )
            ScoreFactory(review=review, criterion=criteria[0], value=2 + index + offset)
            ScoreFactory(review=review, criterion=criteria[1], value=3 + 2 * index)
    spare = CallReviewerFactory(call=call, user=UserFactory(email="spare@example.org"))
    return SimpleNamespace(
        call=call,
        criteria=criteria,
        submission=submission,
        submitter=submitter,
        assignment=assignment,
        reviewer=reviewer,
        staff=staff,
        reviewed=reviewed,
        spare=spare,
    )


def _review(board, index=0) -> Review:
    return (
        Review.objects.filter(assignment__submission=board.reviewed[index])
        .select_related("assignment__call_reviewer__user", "assignment__submission")
        .order_by("pk")
        .first()
    )


def _submit_review(board):
    services.confirm_no_conflict(board.assignment, by=board.reviewer)
    services.save_review(
        board.assignment,
        by=board.reviewer,
        scores={board.criteria[0].pk: 5, board.criteria[1].pk: 10},
        recommendation="accept",
        submit=True,
    )


def _edit_review(board):
    review = _review(board, 1)
    services.save_review(
        review.assignment,
        by=review.assignment.call_reviewer.user,
        scores={board.criteria[0].pk: 1, board.criteria[1].pk: 1},
        recommendation="decline",
        submit=True,
    )


def _declare_conflict(board):
    review = _review(board)
    services.declare_conflict(
        review.assignment, by=review.assignment.call_reviewer.user, detail="Friends."
    )


def _assign_by_hand(board):
    assignment_services.assign_manually(
        board.reviewed[0], board.spare, actor=board.staff
    )


def _unassign(board):
    assignment_services.unassign(board.assignment, actor=board.staff)


def _assign_automatically(board):
    assignment_services.assign_automatically(board.call, actor=board.staff)


def _withdraw(board):
    exchange_services.withdraw_submission(board.submission, by=board.submitter)


def _record_decision(board):
    services.record_decision(
        board.reviewed[0], by=board.staff, outcome=Decision.Outcome.ACCEPT
    )


def _release_decisions(board):
    services.release_decisions(board.call, by=board.staff)


def _open_round(board):
    until = timezone.now() + datetime.timedelta(days=14)
    services.open_next_round(board.reviewed[0], until=until, by=board.staff)


def _set_round_reviewers(board):
    board.reviewed[0].refresh_from_db()
    services.set_round_reviewers(
        board.reviewed[0], reviewers=[board.spare], by=board.staff
    )


def _reweigh_rubric(board):
    formset = CriterionFormSet(instance=board.call, prefix="criteria")
    data = {
        "criteria-TOTAL_FORMS": str(len(formset.initial_forms)),
        "criteria-INITIAL_FORMS": str(len(formset.initial_forms)),
    }
    for form in formset.initial_forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = value
    # The first criterion no longer counts: the totals change.
    data.pop(formset.initial_forms[0].add_prefix("counts_toward_total"))
    formset = CriterionFormSet(data, instance=board.call, prefix="criteria")
    assert formset.is_valid(), formset.errors
    exchange_services.save_call(board.call, by=board.staff, criteria=formset)


WRITES = {
    "review submitted": (None, _submit_review),
    "review edited": (None, _edit_review),
    "conflict declared (its review goes)": (None, _declare_conflict),
    "assigned by hand": (None, _assign_by_hand),
    "unassigned": (None, _unassign),
    "assigned automatically": (None, _assign_automatically),
    "submission withdrawn": (None, _withdraw),
    "decision recorded": (None, _record_decision),
    "decisions released (a second round opens)": (_record_decision, _release_decisions),
    "second round opened": (None, _open_round),
    "second round's reviewers set": (_open_round, _set_round_reviewers),
    "rubric changed": (None, _reweigh_rubric),
}


def _shown(client, call):
    """What the dashboard's default page shows of each row, and its summary."""
    url = reverse("reviews:dashboard", kwargs={"slug": call.slug})
    context = client.get(url).context
    rows = [
        (
            r.pk,
            r.rank,
            r.status,
            r.round,
            r.assigned,
            r.submitted,
            r.mean_total,
            r.normalized,
            r.decision,
            r.decision_status,
        )
        for r in context["rows"]
    ]
    return rows, context["progress"], context["pending"]


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_ranking_write_shows_on_the_dashboard_at_once(client, board, write):
    prepare, act = write
    if prepare:
        prepare(board)
    client.force_login(board.staff)
    before = _shown(client, board.call)  # the ranking is now cached
    stamp = Call.objects.get(pk=board.call.pk).review_stamp

    act(board)
    shown = _shown(client, board.call)
    cache.clear()
    ranking._latest.clear()
    fresh = _shown(client, board.call)

    assert Call.objects.get(pk=board.call.pk).review_stamp != stamp
    assert shown != before
    assert shown == fresh


def test_ranking_key_follows_the_stamp(board):
    first = ranking.ranking_of(board.call)
    key = ranking.cache_key(board.call)

    Call.reviews_changed(board.call.pk)
    board.call.refresh_from_db()
    again = ranking.ranking_of(board.call)

    assert ranking.cache_key(board.call) != key
    assert again is not first
    assert again == first  # computed afresh; nothing it reads changed
