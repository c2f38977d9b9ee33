"""A call's ranking, computed once per change and kept in the cache.

Ranking a call reads every submitted review with its scores, normalizes each
reviewer's totals and sorts the submissions: at 20,000 submissions that is most
of the dashboard's cost, and it was paid again for every page of 25 rows. Here it
is computed once and cached under a key made of what it depends on:

- the call's reviews: the last change (`updated_at`; saving a review's scores
  saves the review) and their number (a deleted review lowers it);
- the call's submissions: the last change and their number (a withdrawn
  submission leaves the ranking);
- the rubric: each counting criterion's weight and scale (criteria have no
  modification time, and the rubric is a handful of rows).

Reading the key is one query; a page of the dashboard then reads only its own
rows (`queries.RankedRows`). Works the same on PostgreSQL and SQLite; with a
per-process cache each worker computes the ranking once per change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce

from exchange.models import Call, Criterion, Submission
from reviews import scoring
from reviews.models import Review

CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Ranking:
    """Scores and order of a call's submissions (drafts left out)."""

    #: submission pk → its score (only submissions with a submitted review)
    scores: dict[int, scoring.SubmissionScore]
    #: ranked submission pks, best first (submitted and with a normalized score)
    order: tuple[int, ...]
    #: every other non-draft submission pk, by pk (shown after the ranked ones)
    unranked: tuple[int, ...]
    #: reviews submitted and distinct reviewers who submitted them
    submitted: int
    reviewers: int

    @property
    def positions(self) -> dict[int, int]:
        return {pk: position for position, pk in enumerate(self.order, start=1)}

    def __len__(self) -> int:
        return len(self.order) + len(self.unranked)

    def pks(self) -> tuple[int, ...]:
        """Every non-draft submission in the dashboard's default order."""
        return self.order + self.unranked


def _aggregate(queryset, field: str, function):
    return Subquery(
        queryset.order_by().values(field).annotate(value=function).values("value")[:1]
    )


def cache_key(call: Call) -> str:
    """The key of `call`'s current ranking: one query over its reviews and
    submissions, plus its counting criteria."""
    reviews = Review.objects.filter(assignment__submission__call=OuterRef("pk"))
    submissions = Submission.objects.filter(call=OuterRef("pk"))
    criteria = Criterion.objects.filter(call=OuterRef("pk"), counts_toward_total=True)
    stamp = (
        Call.objects.filter(pk=call.pk)
        .annotate(
            reviews_at=_aggregate(
                reviews, "assignment__submission__call", Max("updated_at")
            ),
            reviews_n=Coalesce(
                _aggregate(reviews, "assignment__submission__call", Count("pk")), 0
            ),
            submissions_at=_aggregate(submissions, "call", Max("updated_at")),
            submissions_n=Coalesce(_aggregate(submissions, "call", Count("pk")), 0),
            criteria_n=Coalesce(_aggregate(criteria, "call", Count("pk")), 0),
        )
        .values_list(
            "reviews_at", "reviews_n", "submissions_at", "submissions_n", "criteria_n"
        )
        .first()
    )
    rubric = list(
        Criterion.objects.filter(call=call, counts_toward_total=True)
        .order_by("pk")
        .values_list("pk", "weight", "scale_min", "scale_max")
    )
    digest = hashlib.sha256(repr((stamp, rubric)).encode()).hexdigest()[:24]
    return f"reviews:ranking:{call.pk}:{digest}"


def compute(call: Call) -> Ranking:
    """The ranking read from the database, without the cache."""
    from reviews.queries import review_points

    scores = scoring.score_submissions(review_points(call))
    statuses = (
        Submission.objects.filter(call=call)
        .exclude(status=Submission.Status.DRAFT)
        .order_by("pk")
        .values_list("pk", "status")
    )
    ranked, unranked, shown = [], [], []
    for pk, status in statuses:
        score = scores.get(pk)
        if score is not None:
            shown.append(score)
        if (
            score is not None
            and score.normalized is not None
            and status == Submission.Status.SUBMITTED
        ):
            ranked.append(score)
        else:
            unranked.append(pk)
    ranked.sort(key=lambda s: (-s.normalized, -(s.mean_total or 0), s.submission_id))
    return Ranking(
        scores=scores,
        order=tuple(s.submission_id for s in ranked),
        unranked=tuple(unranked),
        submitted=sum(s.reviews for s in shown),
        reviewers=len({pk for s in shown for pk in s.reviewer_ids}),
    )


#: The last ranking each call had in this process, by call pk: (key, ranking).
#: Spares unpickling 20,000 scores from the shared cache on every request.
_latest: dict[int, tuple[str, Ranking]] = {}


def ranking_of(call: Call) -> Ranking:
    """`call`'s ranking: from the cache while nothing it depends on changed."""
    key = cache_key(call)
    held = _latest.get(call.pk)
    if held is not None and held[0] == key:
        return held[1]
    found = cache.get(key)
    if found is None:
        found = compute(call)
        cache.set(key, found, CACHE_SECONDS)
    _latest[call.pk] = (key, found)
    return found
