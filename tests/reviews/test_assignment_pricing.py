"""The priced (column-generation) assignment: with only a few candidate reviewers
per submission it reaches the optimum over every pair, checked against an
independent LP (GLOP and HiGHS through OR-Tools' model builder, every pair a
variable) and against the full-network solver."""

import numpy as np
import pytest
from ortools.linear_solver.python import model_builder as mb

from reviews.assignment.pricing import DenseBlocks, solve_priced
from reviews.assignment.solver import ReviewerCapacity, SubmissionNeed, solve


def _instance(seed, n_sub, n_rev):
    rng = np.random.default_rng(seed)
    # a few popular reviewers everyone wants: the candidates alone do not suffice
    affinity = rng.integers(0, 30, size=(n_sub, n_rev))
    affinity[:, : max(1, n_rev // 5)] += 40
    allowed = rng.random((n_sub, n_rev)) > 0.15  # conflicts and language rules
    needs = rng.integers(0, 4, size=n_sub)
    capacities = rng.integers(0, 6, size=n_rev)
    return affinity, allowed, needs, capacities


def _lp(affinity, allowed, needs, capacities, solver_name):
    """(max coverage, max affinity at that coverage) of the LP over every pair."""
    rows, cols = np.nonzero(allowed)

    def solved(objective, coverage=None):
        model = mb.Model()
        x = [model.new_num_var(0.0, 1.0, None) for _ in rows]
        for i, need in enumerate(needs):
            own = [x[k] for k in np.flatnonzero(rows == i)]
            if own:
                model.add(mb.LinearExpr.sum(own) <= int(need))
        for j, capacity in enumerate(capacities):
            own = [x[k] for k in np.flatnonzero(cols == j)]
            if own:
                model.add(mb.LinearExpr.sum(own) <= int(capacity))
        if coverage is not None:
            model.add(mb.LinearExpr.sum(x) >= coverage)
        model.maximize(mb.LinearExpr.weighted_sum(x, objective))
        solver = mb.ModelSolver(solver_name)
        assert solver.solve(model) == mb.SolveStatus.OPTIMAL
        return solver.objective_value

    coverage = round(solved([1.0] * len(rows)))
    values = affinity[rows, cols].astype(float).tolist()
    return coverage, solved(values, coverage)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_priced_assignment_reaches_the_lp_optimum_over_every_pair(seed):
    affinity, allowed, needs, capacities = _instance(seed, 40, 25)

    result = solve_priced(
        needs, capacities, DenseBlocks(affinity, allowed), k=2, per_row=2
    )

    coverage, best = _lp(affinity, allowed, needs, capacities, "glop")
    assert int(result.assigned.sum()) == coverage
    assert int(result.affinity.sum()) == round(best)
    assert round(_lp(affinity, allowed, needs, capacities, "highs")[1]) == round(best)
    assert result.rounds > 1  # the first candidates were not enough
    # a feasible assignment: allowed pairs, once each, within needs and loads
    assert allowed[result.rows, result.cols].all()
    pairs = set(zip(result.rows.tolist(), result.cols.tolist(), strict=True))
    assert len(pairs) == len(result.rows)
    assert (result.assigned <= needs).all()
    assert (np.bincount(result.cols, minlength=len(capacities)) <= capacities).all()


@pytest.mark.parametrize("seed", [5, 6])
def test_priced_assignment_equals_the_full_network_solver(seed):
    affinity, allowed, needs, capacities = _instance(seed, 60, 30)
    submissions = [SubmissionNeed(i, int(n)) for i, n in enumerate(needs)]
    reviewers = [ReviewerCapacity(1000 + j, int(c)) for j, c in enumerate(capacities)]
    pairs = {
        (i, 1000 + j): int(affinity[i, j])
        for i in range(len(needs))
        for j in range(len(capacities))
    }
    forbidden = {(i, 1000 + j) for i, j in zip(*np.nonzero(~allowed), strict=True)}

    full = solve(submissions, reviewers, pairs, forbidden)
    priced = solve_priced(needs, capacities, DenseBlocks(affinity, allowed), k=3)

    assert len(full.pairs) == int(priced.assigned.sum())
    assert full.total_affinity == int(priced.affinity.sum())


def test_solve_takes_the_priced_path_above_its_threshold(monkeypatch):
    from reviews.assignment import solver

    affinity, allowed, needs, capacities = _instance(7, 50, 30)
    submissions = [SubmissionNeed(i, int(n)) for i, n in enumerate(needs)]
    reviewers = [ReviewerCapacity(1000 + j, int(c)) for j, c in enumerate(capacities)]
    pairs = {
        (i, 1000 + j): int(affinity[i, j])
        for i in range(len(needs))
        for j in range(len(capacities))
    }
    forbidden = {(i, 1000 + j) for i, j in zip(*np.nonzero(~allowed), strict=True)}
    fixed = {next(iter(p for p in pairs if p not in forbidden))}
    whole = solve(submissions, reviewers, pairs, forbidden, fixed)

    monkeypatch.setattr(solver, "PRICED_ABOVE", 0)
    priced = solve(submissions, reviewers, pairs, forbidden, fixed)

    assert len(priced.pairs) == len(whole.pairs)
    assert priced.total_affinity == whole.total_affinity
    assert fixed <= priced.pairs
    assert not priced.new_pairs & forbidden
    # ties may leave other submissions short, never more reviews missing
    missing = sum(s.missing for s in priced.unfilled.values())
    assert missing == sum(s.missing for s in whole.unfilled.values())
