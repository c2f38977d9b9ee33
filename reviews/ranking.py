"""A call's ranking, computed once per change and kept in the cache.

Ranking a call reads every submitted review with its scores, normalizes each
reviewer's totals and sorts the submissions: at 20,000 submissions that is most
of the dashboard's cost, and it was paid again for every page of 25 rows. Here it
is computed once and cached under the call's review stamp (`Call.review_stamp`),
which every write the ranking reads replaces in its own transaction (reviews and
their scores, assignments, submissions' status and round, the rubric, decisions; see
`Call.reviews_changed`). The stamp comes with the call row the page reads anyway,
so a page of the dashboard reads only its own rows (`queries.RankedRows`). Works
the same on PostgreSQL and SQLite; with a per-process cache each worker computes
the ranking once per change.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.core.cache import cache

from exchange.models import Call, Submission
from reviews import scoring

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
    #: assignments of each shown submission's current round, and decisions
    #: waiting to be released (the dashboard's summary; their writes change the
    #: stamp too)
    assigned: int = 0
    pending: int = 0

    @functools.cached_property
    def positions(self) -> dict[int, int]:
        # Once per ranking (each process holds it): at 20,000 submissions the
        # dict costs more than the rest of a page.
        return {pk: position for position, pk in enumerate(self.order, start=1)}

    def __len__(self) -> int:
        return len(self.order) + len(self.unranked)

    def pks(self) -> tuple[int, ...]:
        """Every non-draft submission in the dashboard's default order."""
        return self.order + self.unranked


def cache_key(call: Call) -> str:
    """The key of `call`'s current ranking: its review stamp, as read with the call
    (read the call in the same request)."""
    return f"reviews:ranking:{call.pk}:{call.review_stamp.hex}"


def compute(call: Call) -> Ranking:
    """The ranking read from the database, without the cache."""
    from reviews.queries import review_points, summary_counts

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
    assigned, pending = summary_counts(call)
    return Ranking(
        scores=scores,
        order=tuple(s.submission_id for s in ranked),
        unranked=tuple(unranked),
        submitted=sum(s.reviews for s in shown),
        reviewers=len({pk for s in shown for pk in s.reviewer_ids}),
        assigned=assigned,
        pending=pending,
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
