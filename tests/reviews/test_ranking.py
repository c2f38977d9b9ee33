"""The call's cached ranking (`reviews.ranking`): what the cache returns equals
the ranking computed afresh after every kind of change it depends on, and the
dashboard's page-at-a-time rows equal the rows read whole. That every write path
gives the call a new review stamp is tested in test_review_stamp.py; the direct
writes here give it one as those paths do (`Call.reviews_changed`)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange.models import Call, Submission
from reviews import queries, ranking, services
from reviews.models import Decision, Review
from tests.reviews.factories import (
    AssignmentFactory,
    CallReviewerFactory,
    DecisionFactory,
    ReviewFactory,
    ScoreFactory,
    SubmittedSubmissionFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_ranking")]


def _reviewed(call, criteria, count=4):
    reviewers = [CallReviewerFactory(call=call) for _ in range(3)]
    submissions = []
    for index in range(count):
        submission = SubmittedSubmissionFactory(call=call)
        submissions.append(submission)
        for offset, reviewer in enumerate(reviewers[:2]):
            review = ReviewFactory(
                assignment__submission=submission,
                assignment__call_reviewer=reviewer,
                assignment__no_conflict_confirmed_at=timezone.now(),
            )
            ScoreFactory(
                review=review, criterion=criteria[0], value=1 + (index + offset) % 5
            )
            ScoreFactory(review=review, criterion=criteria[1], value=1 + index % 10)
    return reviewers, submissions


def _same(call):
    call.refresh_from_db(fields=["review_stamp"])
    cached = ranking.ranking_of(call)
    fresh = ranking.compute(call)
    assert cached.order == fresh.order
    assert cached.unranked == fresh.unranked
    assert cached.scores == fresh.scores
    assert (cached.submitted, cached.reviewers) == (fresh.submitted, fresh.reviewers)
    return cached


def test_cached_ranking_follows_every_change(call, criteria):
    reviewers, submissions = _reviewed(call, criteria)
    first = _same(call)
    assert ranking.ranking_of(call) == first  # served from the cache
    assert len(first.order) == 4

    # A changed score through the service (the way reviewers change them).
    review = Review.objects.filter(assignment__submission=first.order[-1]).first()
    services.save_review(
        review.assignment,
        by=review.assignment.call_reviewer.user,
        scores={criteria[0].pk: 5, criteria[1].pk: 10},
        recommendation="accept",
        comments_to_submitters="Better than I thought.",
        submit=True,
    )
    changed = _same(call)
    last = first.order[-1]
    assert changed.scores[last].mean_total > first.scores[last].mean_total

    # A new review, on a submission that had none.
    newcomer = SubmittedSubmissionFactory(call=call)
    Call.reviews_changed(call.pk)  # as submit_submission does
    assert newcomer.pk in _same(call).unranked
    new_review = ReviewFactory(
        assignment__submission=newcomer, assignment__call_reviewer=reviewers[2]
    )
    ScoreFactory(review=new_review, criterion=criteria[0], value=5)
    ScoreFactory(review=new_review, criterion=criteria[1], value=10)
    new_review.save()  # the scores are saved with their review, as the service does
    Call.reviews_changed(call.pk)
    assert newcomer.pk in _same(call).order

    # A deleted review, and a withdrawn submission.
    new_review.delete()
    Call.reviews_changed(call.pk)
    assert newcomer.pk in _same(call).unranked
    withdrawn = submissions[0]
    withdrawn.status = Submission.Status.WITHDRAWN
    withdrawn.save()
    Call.reviews_changed(call.pk)
    after = _same(call)
    assert withdrawn.pk not in after.order
    assert withdrawn.pk in after.unranked

    # A reweighted rubric.
    criteria[1].weight = 0
    criteria[1].save()
    Call.reviews_changed(call.pk)
    _same(call)


def test_cached_ranking_differs_per_call(call, criteria):
    _reviewed(call, criteria, count=2)
    other = AssignmentFactory().submission.call

    assert len(ranking.ranking_of(call).order) == 2
    assert ranking.ranking_of(other).order == ()


@pytest.mark.parametrize("whole_read_above", [500, 0])
def test_default_page_rows_equal_the_rows_read_whole(
    client, staff, call, criteria, monkeypatch, whole_read_above
):
    monkeypatch.setattr(queries, "WHOLE_READ_ABOVE", whole_read_above)
    _reviewed(call, criteria, count=5)
    unreviewed = SubmittedSubmissionFactory(call=call)  # after the ranked ones
    DecisionFactory(submission=unreviewed, status=Decision.Status.PENDING)
    client.force_login(staff)
    url = reverse("reviews:dashboard", kwargs={"slug": call.slug})

    whole = queries.sort_rows(queries.dashboard_rows(call, language="uk"), "rank")
    first = client.get(url, {"per_page": 25}).context
    second_page = client.get(url, {"per_page": 25, "page": 1}).context

    assert [(r.pk, r.rank, r.normalized) for r in first["rows"]] == [
        (r.pk, r.rank, r.normalized) for r in whole
    ]
    assert [r.pk for r in second_page["rows"]] == [r.pk for r in whole]
    assert first["total"] == 6
    assert first["progress"] == queries.progress_of(whole)
    assert first["rows"][-1].rank is None
    assert first["pending"] == 1
