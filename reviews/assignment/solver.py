"""Reviewer assignment as an exact min-cost flow (pure Python, no Django).

The network is source → submission (capacity = reviewers still needed) →
reviewer (capacity 1, cost = −affinity) → sink (capacity = the reviewer's
remaining load). OR-Tools' `solve_max_flow_with_min_cost` first maximizes the
flow (how many reviews get assigned), then minimizes the cost among maximal
flows, so coverage is maximal and, among maximal-coverage assignments, the total
affinity is maximal. The constraint matrix of this network is totally
unimodular, so the integral flow is the optimum of the integer program too.

Fixed pairs (pinned or manual assignments) are kept as they are: the caller has
already subtracted them from each submission's `need` and each reviewer's
`capacity`; the solver only refuses to assign the same pair a second time.

When a submission cannot be filled, `unfilled[sub_id]` explains why, computed
from the inputs: how many reviewers are forbidden and for which reasons, how
many have no load left, and whether the eligible ones were all used up by other
submissions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

Pair = tuple[int, int]

#: Above this many (submission, reviewer) pairs the flow gets a few candidate
#: arcs per submission and proves the optimum by pricing (`pricing`), instead of
#: one arc per allowed pair.
PRICED_ABOVE = 2_000_000

#: Reason category used when `forbidden` is a plain set.
FORBIDDEN = "forbidden"
CONFLICT = "conflict"
LANGUAGE = "language"

# Why a submission is short of reviewers (`Shortfall.code`).
NO_REVIEWERS = "no_reviewers"  # nobody is eligible at all
TOO_FEW_ELIGIBLE = "too_few_eligible"  # fewer eligible reviewers than needed
ELIGIBLE_AT_LOAD = "eligible_at_load"  # enough eligible, but their load ran out


@dataclass(frozen=True)
class SubmissionNeed:
    """A submission and how many more reviewers it needs (beyond fixed ones)."""

    id: int
    need: int


@dataclass(frozen=True)
class ReviewerCapacity:
    """A reviewer and how many more submissions they can take."""

    id: int
    capacity: int


@dataclass(frozen=True)
class Shortfall:
    """Why a submission got fewer reviewers than it needs."""

    code: str
    need: int
    assigned: int
    #: reviewers who are neither forbidden nor already fixed on the submission
    #: and still had load left before solving
    eligible: int
    #: forbidden reviewers per reason category ("conflict", "language", …)
    forbidden: Mapping[str, int] = field(default_factory=dict)
    #: allowed reviewers whose load was already full before solving
    at_load: int = 0

    @property
    def missing(self) -> int:
        return self.need - self.assigned

    @property
    def message(self) -> str:
        """An English sentence; the Django layer builds a translated one."""
        parts = [
            f"{count} {reason}" for reason, count in sorted(self.forbidden.items())
        ]
        if self.at_load:
            parts.append(f"{self.at_load} at their load")
        detail = f" ({', '.join(parts)})" if parts else ""
        if self.code == ELIGIBLE_AT_LOAD:
            return (
                f"{self.missing} of {self.need} missing: the {self.eligible} eligible "
                f"reviewers are all at their load{detail}"
            )
        return (
            f"{self.missing} of {self.need} missing: only {self.eligible} eligible "
            f"reviewers{detail}"
        )

    def __str__(self) -> str:
        return self.message


@dataclass
class AssignmentResult:
    """The solver's answer."""

    #: every assigned pair, fixed ones included
    pairs: set[Pair]
    #: pairs added by this solve (not the fixed ones)
    new_pairs: set[Pair]
    #: affinity of all pairs, fixed ones included
    total_affinity: int
    unfilled: dict[int, Shortfall]

    @property
    def is_complete(self) -> bool:
        return not self.unfilled


class AffinityMatrix(Mapping):
    """Affinities as a dense matrix (rows: submission ids, columns: reviewer ids),
    read like the {(sub_id, rev_id): int} mapping `solve` takes; missing pairs
    count 0. Large calls build it with numpy instead of a 400,000-key dict."""

    def __init__(self, sub_ids: list[int], rev_ids: list[int], matrix) -> None:
        self.sub_index = {sub_id: i for i, sub_id in enumerate(sub_ids)}
        self.rev_index = {rev_id: j for j, rev_id in enumerate(rev_ids)}
        matrix = np.asarray(matrix, dtype=np.int64)
        if matrix.size != len(sub_ids) * len(rev_ids):
            raise ValueError("matrix shape does not match the ids")
        self.matrix = matrix.reshape(len(sub_ids), len(rev_ids))

    def __getitem__(self, pair: Pair) -> int:
        i, j = self.sub_index.get(pair[0]), self.rev_index.get(pair[1])
        if i is None or j is None:
            raise KeyError(pair)
        return int(self.matrix[i, j])

    def __iter__(self):
        sub_ids, rev_ids = list(self.sub_index), list(self.rev_index)
        for i, j in zip(*np.nonzero(self.matrix), strict=True):
            yield (sub_ids[i], rev_ids[j])

    def __len__(self) -> int:
        return int(np.count_nonzero(self.matrix))

    def get(self, pair, default=0):
        try:
            return self[pair]
        except KeyError:
            return default

    def values_for(self, sub_ids: list[int], rev_ids: list[int]) -> np.ndarray:
        """The matrix re-indexed to these ids (0 where an id is unknown)."""
        rows = np.array([self.sub_index.get(s, -1) for s in sub_ids], dtype=np.int64)
        cols = np.array([self.rev_index.get(r, -1) for r in rev_ids], dtype=np.int64)
        out = np.zeros((len(sub_ids), len(rev_ids)), dtype=np.int64)
        ok_rows, ok_cols = rows >= 0, cols >= 0
        out[np.ix_(ok_rows, ok_cols)] = self.matrix[
            np.ix_(rows[ok_rows], cols[ok_cols])
        ]
        return out


def _forbidden_reasons(
    forbidden: Mapping[Pair, str] | Iterable[Pair],
) -> dict[Pair, str]:
    if isinstance(forbidden, Mapping):
        return {pair: str(reason) for pair, reason in forbidden.items()}
    return dict.fromkeys(forbidden, FORBIDDEN)


def solve(
    submissions: list[SubmissionNeed],
    reviewers: list[ReviewerCapacity],
    affinity: Mapping[Pair, int],
    forbidden: Mapping[Pair, str] | Iterable[Pair] = (),
    fixed: Iterable[Pair] = (),
) -> AssignmentResult:
    """Assign reviewers: maximal coverage first, then maximal total affinity.

    `forbidden` is a set of (submission id, reviewer id) pairs, or a mapping of
    such pairs to a reason category (e.g. "conflict", "language") used to
    explain shortfalls. Affinities must be integers (missing pairs count 0).
    """
    reasons = _forbidden_reasons(forbidden)
    fixed = set(fixed)
    sub_index = {s.id: i for i, s in enumerate(submissions)}
    rev_index = {r.id: j for j, r in enumerate(reviewers)}
    if len(sub_index) != len(submissions) or len(rev_index) != len(reviewers):
        raise ValueError("duplicate submission or reviewer ids")

    n_sub, n_rev = len(submissions), len(reviewers)
    source, sink = 0, 1 + n_sub + n_rev
    needs = np.array([max(0, s.need) for s in submissions], dtype=np.int64)
    capacities = np.array([max(0, r.capacity) for r in reviewers], dtype=np.int64)

    # Allowed submission → reviewer arcs, built as one boolean matrix.
    allowed = np.ones((n_sub, n_rev), dtype=bool)
    for sub_id, rev_id in set(reasons) | fixed:
        i, j = sub_index.get(sub_id), rev_index.get(rev_id)
        if i is not None and j is not None:
            allowed[i, j] = False
    allowed[needs == 0, :] = False
    allowed[:, capacities == 0] = False
    if n_sub * n_rev > PRICED_ABOVE:
        new_pairs = _solve_priced(submissions, reviewers, affinity, allowed, needs)
        pairs = new_pairs | fixed
        total = sum(affinity.get(pair, 0) for pair in pairs)
        unfilled = _shortfalls(submissions, reviewers, reasons, fixed, new_pairs)
        return AssignmentResult(
            pairs=pairs, new_pairs=new_pairs, total_affinity=total, unfilled=unfilled
        )
    rows, cols = np.nonzero(allowed)
    costs = np.zeros(len(rows), dtype=np.int64)
    if isinstance(affinity, AffinityMatrix):
        dense = affinity.values_for(
            [s.id for s in submissions], [r.id for r in reviewers]
        )
        costs = -dense[rows, cols]
    elif affinity:
        sub_ids = [s.id for s in submissions]
        rev_ids = [r.id for r in reviewers]
        costs = -np.fromiter(
            (
                affinity.get((sub_ids[i], rev_ids[j]), 0)
                for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
            ),
            dtype=np.int64,
            count=len(rows),
        )

    flow = min_cost_flow.SimpleMinCostFlow()
    sub_nodes = np.arange(1, n_sub + 1, dtype=np.int64)
    rev_nodes = np.arange(1 + n_sub, 1 + n_sub + n_rev, dtype=np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(n_sub, source, dtype=np.int64),
        sub_nodes,
        needs,
        np.zeros(n_sub, dtype=np.int64),
    )
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        sub_nodes[rows], rev_nodes[cols], np.ones(len(rows), dtype=np.int64), costs
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        rev_nodes,
        np.full(n_rev, sink, dtype=np.int64),
        capacities,
        np.zeros(n_rev, dtype=np.int64),
    )
    total_need = int(min(needs.sum(), capacities.sum()))
    new_pairs: set[Pair] = set()
    if len(rows) and total_need:
        # Offer every wanted review at the source; the max-flow phase sends
        # as many as the network can carry.
        flow.set_node_supply(source, total_need)
        flow.set_node_supply(sink, -total_need)
        status = flow.solve_max_flow_with_min_cost()
        if status != flow.OPTIMAL:
            raise RuntimeError(f"min-cost flow failed with status {status}")
        used = flow.flows(pair_arcs) > 0
        new_pairs = {
            (submissions[i].id, reviewers[j].id)
            for i, j in zip(rows[used].tolist(), cols[used].tolist(), strict=True)
        }

    pairs = new_pairs | fixed
    total = sum(affinity.get(pair, 0) for pair in pairs)
    unfilled = _shortfalls(submissions, reviewers, reasons, fixed, new_pairs)
    return AssignmentResult(
        pairs=pairs, new_pairs=new_pairs, total_affinity=total, unfilled=unfilled
    )


def _solve_priced(submissions, reviewers, affinity, allowed, needs) -> set[Pair]:
    """Large calls: the same optimum from a few candidate reviewers per submission
    (`pricing.solve_priced`), instead of one flow arc per allowed pair."""
    from reviews.assignment.pricing import DenseBlocks, solve_priced

    sub_ids = [s.id for s in submissions]
    rev_ids = [r.id for r in reviewers]
    if isinstance(affinity, AffinityMatrix):
        dense = affinity.values_for(sub_ids, rev_ids)
    else:
        dense = np.zeros((len(sub_ids), len(rev_ids)), dtype=np.int64)
        sub_index = {sub_id: i for i, sub_id in enumerate(sub_ids)}
        rev_index = {rev_id: j for j, rev_id in enumerate(rev_ids)}
        for (sub_id, rev_id), value in affinity.items():
            i, j = sub_index.get(sub_id), rev_index.get(rev_id)
            if i is not None and j is not None:
                dense[i, j] = value
    capacities = [max(0, r.capacity) for r in reviewers]
    result = solve_priced(needs, capacities, DenseBlocks(dense, allowed))
    return {
        (sub_ids[i], rev_ids[j])
        for i, j in zip(result.rows.tolist(), result.cols.tolist(), strict=True)
    }


def _shortfalls(
    submissions: list[SubmissionNeed],
    reviewers: list[ReviewerCapacity],
    reasons: dict[Pair, str],
    fixed: set[Pair],
    new_pairs: set[Pair],
) -> dict[int, Shortfall]:
    assigned = Counter(sub_id for sub_id, _ in new_pairs)
    short = [s for s in submissions if assigned[s.id] < s.need]
    if not short:
        return {}
    short_ids = {s.id for s in short}
    forbidden_by_sub: dict[int, dict[int, str]] = {}
    for (sub_id, rev_id), reason in reasons.items():
        if sub_id in short_ids:
            forbidden_by_sub.setdefault(sub_id, {})[rev_id] = reason
    fixed_by_sub: dict[int, set[int]] = {}
    for sub_id, rev_id in fixed:
        if sub_id in short_ids:
            fixed_by_sub.setdefault(sub_id, set()).add(rev_id)
    full = {r.id for r in reviewers if r.capacity <= 0}

    unfilled = {}
    for sub in short:
        sub_forbidden = forbidden_by_sub.get(sub.id, {})
        sub_fixed = fixed_by_sub.get(sub.id, set())
        counts = Counter(
            reason
            for rev_id, reason in sub_forbidden.items()
            if rev_id not in sub_fixed
        )
        at_load = 0
        eligible = 0
        for reviewer in reviewers:
            if reviewer.id in sub_forbidden or reviewer.id in sub_fixed:
                continue
            if reviewer.id in full:
                at_load += 1
            else:
                eligible += 1
        if eligible >= sub.need:
            code = ELIGIBLE_AT_LOAD
        elif eligible == 0:
            code = NO_REVIEWERS
        else:
            code = TOO_FEW_ELIGIBLE
        unfilled[sub.id] = Shortfall(
            code=code,
            need=sub.need,
            assigned=assigned[sub.id],
            eligible=eligible,
            forbidden=dict(counts),
            at_load=at_load,
        )
    return unfilled
