"""The pure assignment solver: properties on random instances, optimality against
brute force on small ones, and the reasons it gives for shortfalls."""

from collections import Counter
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.assignment.solver import (
    CONFLICT,
    ELIGIBLE_AT_LOAD,
    LANGUAGE,
    NO_REVIEWERS,
    TOO_FEW_ELIGIBLE,
    AffinityMatrix,
    ReviewerCapacity,
    SubmissionNeed,
    solve,
)


@st.composite
def instances(draw, max_submissions=12, max_reviewers=8):
    """A random instance: needs, capacities, affinities, forbidden and fixed pairs."""
    n_sub = draw(st.integers(0, max_submissions))
    n_rev = draw(st.integers(0, max_reviewers))
    sub_ids = list(range(100, 100 + n_sub))
    rev_ids = list(range(500, 500 + n_rev))
    pairs = [(s, r) for s in sub_ids for r in rev_ids]
    fixed = set(draw(st.lists(st.sampled_from(pairs), unique=True))) if pairs else set()
    free = [p for p in pairs if p not in fixed]
    forbidden = {}
    if free:
        for pair in draw(st.lists(st.sampled_from(free), unique=True)):
            forbidden[pair] = draw(st.sampled_from([CONFLICT, LANGUAGE]))
    affinity = {
        pair: draw(st.integers(-3, 20))
        for pair in pairs
        if draw(st.booleans())  # some pairs have no affinity entry at all
    }
    submissions = [SubmissionNeed(s, draw(st.integers(0, 4))) for s in sub_ids]
    reviewers = [ReviewerCapacity(r, draw(st.integers(-1, 5))) for r in rev_ids]
    return submissions, reviewers, affinity, forbidden, fixed


@settings(max_examples=300, deadline=None)
@given(instances())
def test_solve_respects_every_constraint(instance):
    submissions, reviewers, affinity, forbidden, fixed = instance

    result = solve(submissions, reviewers, affinity, forbidden, fixed)

    need = {s.id: s.need for s in submissions}
    capacity = {r.id: r.capacity for r in reviewers}
    per_sub = Counter(s for s, _ in result.new_pairs)
    per_rev = Counter(r for _, r in result.new_pairs)
    assert all(per_sub[s] <= max(0, n) for s, n in need.items())
    assert all(per_rev[r] <= max(0, c) for r, c in capacity.items())
    assert not result.new_pairs & set(forbidden)
    assert not result.new_pairs & fixed
    assert fixed <= result.pairs
    assert result.pairs == result.new_pairs | fixed
    assert all(s in need and r in capacity for s, r in result.new_pairs)
    assert result.total_affinity == sum(affinity.get(p, 0) for p in result.pairs)
    short = {s for s, n in need.items() if per_sub[s] < n}
    assert set(result.unfilled) == short
    assert result.is_complete == (not short)
    for sub_id, shortfall in result.unfilled.items():
        assert shortfall.assigned == per_sub[sub_id]
        assert shortfall.missing == need[sub_id] - per_sub[sub_id]


def brute_force(submissions, reviewers, affinity, forbidden, fixed):
    """(max coverage, max affinity at that coverage) by trying every pair subset."""
    need = {s.id: max(0, s.need) for s in submissions}
    capacity = {r.id: max(0, r.capacity) for r in reviewers}
    candidates = [
        (s.id, r.id)
        for s in submissions
        for r in reviewers
        if (s.id, r.id) not in forbidden and (s.id, r.id) not in fixed
    ]
    best = (0, 0)
    for size in range(len(candidates) + 1):
        for chosen in combinations(candidates, size):
            per_sub = Counter(s for s, _ in chosen)
            per_rev = Counter(r for _, r in chosen)
            if any(per_sub[s] > need[s] for s in per_sub):
                continue
            if any(per_rev[r] > capacity[r] for r in per_rev):
                continue
            score = (size, sum(affinity.get(p, 0) for p in chosen))
            best = max(best, score)
    return best


@settings(max_examples=150, deadline=None)
@given(instances(max_submissions=4, max_reviewers=4))
def test_solve_is_optimal_against_brute_force(instance):
    submissions, reviewers, affinity, forbidden, fixed = instance

    result = solve(submissions, reviewers, affinity, forbidden, fixed)

    coverage = len(result.new_pairs)
    new_affinity = sum(affinity.get(p, 0) for p in result.new_pairs)
    assert (coverage, new_affinity) == brute_force(
        submissions, reviewers, affinity, forbidden, fixed
    )


def test_solve_prefers_coverage_over_affinity():
    # Giving both reviews to the high-affinity reviewer A would leave submission 2
    # without anyone; coverage comes first.
    submissions = [SubmissionNeed(1, 1), SubmissionNeed(2, 1)]
    reviewers = [ReviewerCapacity(10, 1), ReviewerCapacity(11, 1)]
    affinity = {(1, 10): 100, (2, 10): 1, (1, 11): 1}

    result = solve(submissions, reviewers, affinity, {(2, 11): CONFLICT}, set())

    assert result.pairs == {(1, 11), (2, 10)}
    assert result.total_affinity == 2
    assert result.is_complete


def test_solve_keeps_fixed_pairs_and_counts_their_affinity():
    submissions = [SubmissionNeed(1, 1)]
    reviewers = [ReviewerCapacity(10, 1), ReviewerCapacity(11, 1)]
    affinity = {(1, 10): 5, (1, 11): 3, (1, 12): 4}

    result = solve(submissions, reviewers, affinity, set(), {(1, 12), (1, 10)})

    assert result.new_pairs == {(1, 11)}
    assert result.pairs == {(1, 10), (1, 11), (1, 12)}
    assert result.total_affinity == 12


def test_solve_accepts_a_plain_forbidden_set():
    result = solve(
        [SubmissionNeed(1, 1)], [ReviewerCapacity(10, 3)], {}, {(1, 10)}, set()
    )

    assert result.pairs == set()
    assert result.unfilled[1].forbidden == {"forbidden": 1}


def test_solve_on_empty_input_is_complete():
    result = solve([], [], {}, set(), set())

    assert result.pairs == set()
    assert result.is_complete


def test_shortfall_counts_conflicts_and_languages():
    submissions = [SubmissionNeed(1, 3)]
    reviewers = [ReviewerCapacity(r, 5) for r in range(10, 17)]
    forbidden = {(1, r): CONFLICT for r in range(10, 14)} | {
        (1, 14): LANGUAGE,
        (1, 15): LANGUAGE,
    }

    result = solve(submissions, reviewers, {}, forbidden, set())

    shortfall = result.unfilled[1]
    assert shortfall.code == TOO_FEW_ELIGIBLE
    assert (shortfall.eligible, shortfall.assigned, shortfall.missing) == (1, 1, 2)
    assert shortfall.forbidden == {CONFLICT: 4, LANGUAGE: 2}
    assert shortfall.message == (
        "2 of 3 missing: only 1 eligible reviewers (4 conflict, 2 language)"
    )


def test_shortfall_when_nobody_is_eligible():
    submissions = [SubmissionNeed(1, 2)]
    reviewers = [ReviewerCapacity(10, 0), ReviewerCapacity(11, 2)]

    result = solve(submissions, reviewers, {}, {(1, 11): LANGUAGE}, set())

    shortfall = result.unfilled[1]
    assert shortfall.code == NO_REVIEWERS
    assert (shortfall.eligible, shortfall.at_load) == (0, 1)
    assert shortfall.forbidden == {LANGUAGE: 1}


def test_shortfall_when_eligible_reviewers_are_used_up_elsewhere():
    # Three submissions need one review each; both reviewers read only what
    # they can, and only two reviews fit in their load.
    submissions = [SubmissionNeed(s, 1) for s in (1, 2, 3)]
    reviewers = [ReviewerCapacity(10, 1), ReviewerCapacity(11, 1)]

    result = solve(submissions, reviewers, {}, set(), set())

    assert len(result.new_pairs) == 2
    ((_sub_id, shortfall),) = result.unfilled.items()
    assert shortfall.code == ELIGIBLE_AT_LOAD
    assert shortfall.eligible == 2
    assert "all at their load" in shortfall.message


def test_shortfall_ignores_reviewers_already_fixed_on_the_submission():
    submissions = [SubmissionNeed(1, 2)]
    reviewers = [ReviewerCapacity(10, 1), ReviewerCapacity(11, 1)]

    result = solve(submissions, reviewers, {}, {(1, 11): CONFLICT}, {(1, 10)})

    shortfall = result.unfilled[1]
    assert shortfall.eligible == 0
    assert shortfall.forbidden == {CONFLICT: 1}


@settings(max_examples=100, deadline=None)
@given(instances())
def test_affinity_matrix_gives_the_same_optimum_as_a_dict(instance):
    submissions, reviewers, affinity, forbidden, fixed = instance
    sub_ids = [s.id for s in submissions]
    # the matrix knows one id fewer and one id more than the instance
    rev_ids = [*(r.id for r in reviewers[1:]), 999]
    matrix = AffinityMatrix(
        sub_ids, rev_ids, [[affinity.get((s, r), 0) for r in rev_ids] for s in sub_ids]
    )
    known = {(s, r): v for (s, r), v in affinity.items() if r in rev_ids}

    with_dict = solve(submissions, reviewers, known, forbidden, fixed)
    with_matrix = solve(submissions, reviewers, matrix, forbidden, fixed)

    assert len(with_matrix.pairs) == len(with_dict.pairs)
    assert with_matrix.total_affinity == with_dict.total_affinity
    assert all(matrix.get(p, 0) == known.get(p, 0) for p in with_matrix.pairs)
