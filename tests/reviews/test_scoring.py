"""The maths of totals and per-reviewer normalization."""

import pytest

from reviews.scoring import (
    ReviewPoint,
    mean_and_deviation,
    normalize,
    scaled,
    score_submissions,
    weighted_total,
)


def test_scaled_maps_the_scale_onto_0_to_100():
    assert scaled(1, 1, 5) == 0
    assert scaled(5, 1, 5) == 100
    assert scaled(3, 1, 5) == 50


def test_weighted_total_weighs_each_criterion_on_its_own_scale():
    total = weighted_total([(5, 1, 5, 1), (1, 1, 10, 3)])

    assert total == pytest.approx((100 * 1 + 0 * 3) / 4)


def test_weighted_total_of_nothing_is_none():
    assert weighted_total([]) is None


def test_normalize_makes_harsh_and_generous_reviewers_count_the_same():
    # The harsh reviewer 1 gives 10 and 30; the generous reviewer 2 gives 70 and 90
    # to the same two submissions: both rank submission 2 first by the same margin.
    points = [
        ReviewPoint(1, reviewer_id=1, submission_id=1, total=10),
        ReviewPoint(2, reviewer_id=1, submission_id=2, total=30),
        ReviewPoint(3, reviewer_id=2, submission_id=1, total=70),
        ReviewPoint(4, reviewer_id=2, submission_id=2, total=90),
    ]

    scores = score_submissions(points)

    assert [p.z for p in points] == [-1.0, 1.0, -1.0, 1.0]
    assert scores[1].normalized == -1.0
    assert scores[2].normalized == 1.0
    assert scores[1].mean_total == 40
    assert scores[1].disagreement is False


def test_normalize_counts_a_single_or_flat_reviewer_as_average():
    points = [
        ReviewPoint(1, reviewer_id=1, submission_id=1, total=80),
        ReviewPoint(2, reviewer_id=2, submission_id=1, total=50),
        ReviewPoint(3, reviewer_id=2, submission_id=2, total=50),
    ]

    normalize(points)

    assert [p.z for p in points] == [0.0, 0.0, 0.0]


def test_z_scores_use_the_population_deviation():
    mean, deviation = mean_and_deviation([2, 4, 4, 4, 5, 5, 7, 9])

    assert (mean, deviation) == (5, 2)


def test_opposite_recommendations_flag_disagreement():
    points = [
        ReviewPoint(1, 1, 1, total=50, recommendation="accept"),
        ReviewPoint(2, 2, 1, total=50, recommendation="decline"),
    ]

    scores = score_submissions(points)

    assert scores[1].disagreement is True
    assert scores[1].recommendations == {"accept": 1, "decline": 1}


def test_large_spread_flags_disagreement():
    points = [
        ReviewPoint(1, 1, 1, total=90),
        ReviewPoint(2, 1, 2, total=10),
        ReviewPoint(3, 2, 1, total=10),
        ReviewPoint(4, 2, 2, total=90),
    ]

    scores = score_submissions(points)

    assert scores[1].spread == pytest.approx(2.0)
    assert scores[1].disagreement is True
