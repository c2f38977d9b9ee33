"""Scores, totals and per-reviewer normalization. Pure functions, no database.

A review's total is the weighted mean of its counting criteria, each first mapped onto
0–100 along its own scale, so criteria with different scales weigh only by their weight.

Normalization (so harsh and generous reviewers count the same): for every reviewer, the
totals of all their submitted reviews in the call have a mean and a standard deviation;
each review becomes a z-score, (total − mean) / deviation, i.e. how far above or below
that reviewer's own habit it lies. A submission's normalized score is the mean of its
reviews' z-scores. A reviewer with fewer than two reviews, or who gave every submission
the same total, has no spread to measure: their reviews count as 0 (their average).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from math import sqrt

# Reviewers "disagree strongly" when their normalized scores lie this far apart
# (in standard deviations), or when one recommends accepting and another declining.
DISAGREEMENT_SPREAD = 1.5


def scaled(value: float, scale_min: int, scale_max: int) -> float:
    """`value` on its criterion's scale, mapped onto 0–100."""
    if scale_max <= scale_min:
        return 100.0
    return (float(value) - scale_min) * 100.0 / (scale_max - scale_min)


def weighted_total(scores) -> float | None:
    """The weighted mean (0–100) of `scores`: (value, scale_min, scale_max, weight)."""
    weight_sum = 0.0
    total = 0.0
    for value, scale_min, scale_max, weight in scores:
        weight = float(weight)
        total += weight * scaled(value, scale_min, scale_max)
        weight_sum += weight
    if weight_sum <= 0:
        return None
    return total / weight_sum


@dataclass
class ReviewPoint:
    """One submitted review reduced to what ranking needs."""

    review_id: int
    reviewer_id: int
    submission_id: int
    total: float | None
    recommendation: str = ""
    z: float | None = None


@dataclass
class SubmissionScore:
    submission_id: int
    reviews: int = 0
    mean_total: float | None = None
    normalized: float | None = None
    spread: float | None = None
    disagreement: bool = False
    recommendations: dict = field(default_factory=dict)
    reviewer_ids: set = field(default_factory=set)


def mean_and_deviation(values: list[float]) -> tuple[float, float]:
    """Mean and population standard deviation of `values` (non-empty)."""
    mean = sum(values) / len(values)
    variance = sum((v - mean) ** 2 for v in values) / len(values)
    return mean, sqrt(variance)


def normalize(points: list[ReviewPoint]) -> None:
    """Set `z` on every point with a total: the z-score within its reviewer's totals."""
    by_reviewer: dict[int, list[ReviewPoint]] = defaultdict(list)
    for point in points:
        if point.total is not None:
            by_reviewer[point.reviewer_id].append(point)
    for own in by_reviewer.values():
        mean, deviation = mean_and_deviation([p.total for p in own])
        for point in own:
            if len(own) < 2 or deviation < 1e-9:
                point.z = 0.0
            else:
                point.z = (point.total - mean) / deviation


def score_submissions(points: list[ReviewPoint]) -> dict[int, SubmissionScore]:
    """Totals, normalized scores and disagreement flags per submission."""
    normalize(points)
    grouped: dict[int, list[ReviewPoint]] = defaultdict(list)
    for point in points:
        grouped[point.submission_id].append(point)
    result = {}
    for submission_id, own in grouped.items():
        score = SubmissionScore(
            submission_id, reviews=len(own), reviewer_ids={p.reviewer_id for p in own}
        )
        totals = [p.total for p in own if p.total is not None]
        zs = [p.z for p in own if p.z is not None]
        if totals:
            score.mean_total = sum(totals) / len(totals)
        if zs:
            score.normalized = sum(zs) / len(zs)
            score.spread = max(zs) - min(zs)
        counts: dict[str, int] = defaultdict(int)
        for point in own:
            if point.recommendation:
                counts[point.recommendation] += 1
        score.recommendations = dict(counts)
        opposed = counts.get("accept", 0) and counts.get("decline", 0)
        score.disagreement = bool(
            opposed
            or (score.spread is not None and score.spread >= DISAGREEMENT_SPREAD)
        )
        result[submission_id] = score
    return result
