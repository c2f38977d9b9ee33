"""Reviewer assignment at the scale of the largest conferences (pure Python).

`solver.solve` hands every allowed (submission, reviewer) pair to the min-cost
flow. At 15,000 submissions × 10,000 reviewers that is 150 million arcs: more
memory than a machine has. Here the same problem is solved exactly with only a
few arcs per submission, by column generation on the flow network:

1. *Candidates*: each submission keeps its `k` best allowed reviewers.
2. *Solve* the network restricted to the candidates as one min-cost flow:
   source → submission (capacity = need) → reviewer (capacity 1, cost −affinity)
   → sink (capacity = load), plus a bypass source → sink whose unit cost `B`
   exceeds any affinity an augmenting path can change (`max affinity ×
   min(#submissions, #reviewers) + 1`): every review the network can carry is
   assigned first, then the affinity is maximal (the lexicographic objective of
   `solver.solve`).
3. *Price*: node potentials are the shortest distances in the residual network
   (Bellman–Ford from a virtual root, vectorized); by the reduced-cost optimality
   condition the flow is optimal for the WHOLE network iff no left-out pair has
   a negative reduced cost, i.e. `affinity > d(submission) − d(reviewer)`. The
   pairs are scanned in blocks of rows; violated ones join the candidates and
   the flow is solved again. When a scan finds none, the assignment is proven
   optimal over every pair, without ever holding them all.

Pairs come from a `PairBlocks` provider: for rows `start:stop` of the
submissions it returns the affinity block and the allowed block (conflicts,
language rules and fixed pairs are `False`). `DenseBlocks` wraps matrices held
in memory; callers at scale compute blocks on the fly (see
`bench/bench_assignment.py`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from ortools.graph.python import min_cost_flow


class PairBlocks(Protocol):
    """Affinity and eligibility of every pair, a block of submissions at a time."""

    def block(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """(affinity, allowed) for submissions `start:stop`, shape (rows, #reviewers).

        Affinities are integers; must return the same values at every call."""
        ...


class DenseBlocks:
    """Blocks cut from an affinity matrix and an allowed mask held in memory."""

    def __init__(self, affinity: np.ndarray, allowed: np.ndarray) -> None:
        self.affinity = affinity
        self.allowed = allowed

    def block(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        return self.affinity[start:stop], self.allowed[start:stop]


@dataclass
class PricedFlow:
    """The optimal assignment over every pair, and how it was proven."""

    #: (submission index, reviewer index) of each assigned pair
    rows: np.ndarray
    cols: np.ndarray
    affinity: np.ndarray
    #: reviews each submission got
    assigned: np.ndarray
    rounds: int
    candidate_arcs: int
    #: (submission index, reviewer index, affinity) of every arc the last flow had
    candidates: tuple[np.ndarray, np.ndarray, np.ndarray] = ()
    #: no left-out pair could improve the flow (always True on return)
    proven: bool = True


def _block_rows(n_rev: int, budget: int = 12_000_000) -> int:
    return max(1, budget // max(1, n_rev))


def _candidates(blocks: PairBlocks, n_sub: int, n_rev: int, k: int, needs, caps, cache):
    """The `k` best allowed reviewers of every submission (by affinity), and the
    largest affinity of any allowed pair. When `cache` is a list, each block is
    appended to it as one int16 matrix (affinity, −1 where not allowed), so the
    pricing rounds read it again without asking the provider."""
    k = min(k, n_rev)
    rows, cols, values = [], [], []
    max_affinity = 0
    step = _block_rows(n_rev)
    usable_cols = caps > 0
    for start in range(0, n_sub, step):
        stop = min(n_sub, start + step)
        affinity, allowed = blocks.block(start, stop)
        allowed = allowed & usable_cols[None, :] & (needs[start:stop] > 0)[:, None]
        masked = np.where(allowed, affinity, -1).astype(np.int16)
        if cache is not None:
            cache.append(masked)
        if masked.size:
            max_affinity = max(max_affinity, int(masked.max()))
        if masked.size and int(masked.max()) > np.iinfo(np.int16).max - 1:
            raise ValueError("affinities must stay below 32,767")
        if k < n_rev:
            top = np.argpartition(masked, n_rev - k, axis=1)[:, n_rev - k :]
        else:
            top = np.broadcast_to(np.arange(n_rev), masked.shape)
        picked = np.take_along_axis(masked, top, axis=1)
        keep = picked >= 0
        block_rows = np.broadcast_to(np.arange(start, stop)[:, None], top.shape)
        rows.append(block_rows[keep])
        cols.append(top[keep])
        values.append(picked[keep].astype(np.int64))
    return (
        np.concatenate(rows).astype(np.int64),
        np.concatenate(cols).astype(np.int64),
        np.concatenate(values).astype(np.int64),
        max_affinity,
    )


def _solve_restricted(needs, caps, rows, cols, values, bypass_cost):
    """Min-cost flow over the candidate arcs; returns (flow per arc, flows of the
    source, reviewer and bypass arcs) for the residual network."""
    n_sub, n_rev = len(needs), len(caps)
    source, sink = 0, 1 + n_sub + n_rev
    total = int(needs.sum())
    flow = min_cost_flow.SimpleMinCostFlow()
    sub_nodes = np.arange(1, n_sub + 1, dtype=np.int64)
    rev_nodes = np.arange(1 + n_sub, 1 + n_sub + n_rev, dtype=np.int64)
    zeros_sub = np.zeros(n_sub, dtype=np.int64)
    source_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.full(n_sub, source, dtype=np.int64), sub_nodes, needs, zeros_sub
    )
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        sub_nodes[rows], rev_nodes[cols], np.ones(len(rows), dtype=np.int64), -values
    )
    sink_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        rev_nodes,
        np.full(n_rev, sink, dtype=np.int64),
        caps,
        np.zeros(n_rev, dtype=np.int64),
    )
    bypass = flow.add_arc_with_capacity_and_unit_cost(source, sink, total, bypass_cost)
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    return (
        flow.flows(pair_arcs),
        flow.flows(source_arcs),
        flow.flows(sink_arcs),
        flow.flow(bypass),
    )


def potentials(needs, caps, rows, cols, values, bypass_cost, flows) -> np.ndarray:
    """Node potentials for the residual network of an optimal flow: minus the
    shortest distance to the sink (Bellman–Ford, vectorized over arcs).

    Nodes: 0 source, 1..n_sub submissions, then reviewers, then the sink. Every
    residual arc (u, v, c) satisfies c + d[u] − d[v] >= 0 on return (checked)."""
    pair_flow, source_flow, sink_flow, bypass_flow = flows
    n_sub, n_rev = len(needs), len(caps)
    source, sink = 0, 1 + n_sub + n_rev
    subs = np.arange(1, n_sub + 1, dtype=np.int64)
    revs = np.arange(1 + n_sub, 1 + n_sub + n_rev, dtype=np.int64)
    used = pair_flow > 0
    tails, heads, costs = [], [], []

    def arcs(mask, tail, head, cost):
        tails.append(np.broadcast_to(tail, mask.shape)[mask])
        heads.append(np.broadcast_to(head, mask.shape)[mask])
        costs.append(np.broadcast_to(cost, mask.shape)[mask])

    arcs(~used, subs[rows], revs[cols], -values)  # unused pair: forward
    arcs(used, revs[cols], subs[rows], values)  # used pair: backward
    arcs(source_flow < needs, np.int64(source), subs, np.int64(0))
    arcs(source_flow > 0, subs, np.int64(source), np.int64(0))
    arcs(sink_flow < caps, revs, np.int64(sink), np.int64(0))
    arcs(sink_flow > 0, np.int64(sink), revs, np.int64(0))
    total = int(needs.sum())
    arcs(np.array([bypass_flow < total]), source, sink, bypass_cost)
    arcs(np.array([bypass_flow > 0]), sink, source, -bypass_cost)
    tail = np.concatenate(tails).astype(np.int64)
    head = np.concatenate(heads).astype(np.int64)
    cost = np.concatenate(costs).astype(np.int64)
    # Distances TO the sink, pi(u) = min over residual arcs (u, v) of c + pi(v),
    # relaxed over arcs grouped by their tail. Potentials p = −pi then keep every
    # residual reduced cost c + p(u) − p(v) = c − pi(u) + pi(v) >= 0, and they
    # are tight where pricing looks: a reviewer with load to spare has pi = 0, so
    # a left-out pair is priced against the best path its submission already has.
    order = np.argsort(tail, kind="stable")
    tail, head, cost = tail[order], head[order], cost[order]
    starts = np.flatnonzero(np.r_[True, tail[1:] != tail[:-1]])
    sources = tail[starts]
    n_nodes = n_sub + n_rev + 2
    unreached = np.int64(1) << np.int64(60)
    to_sink = np.full(n_nodes, unreached, dtype=np.int64)
    to_sink[sink] = 0
    for _ in range(n_nodes + 1):
        best = np.minimum.reduceat(to_sink[head] + cost, starts)
        improved = best < to_sink[sources]
        if not improved.any():
            break
        to_sink[sources[improved]] = best[improved]
    else:
        raise RuntimeError("negative cycle in the residual network: flow not optimal")
    # A node that cannot reach the sink has no arc to one that can: give it a
    # distance above every finite one (arcs into it then price as satisfied).
    finite = to_sink < unreached // 2
    ceiling = int(np.abs(to_sink[finite]).max(initial=0)) + int(np.abs(cost).max()) + 1
    to_sink[~finite] = ceiling * 2
    distance = -to_sink
    reduced = cost + distance[tail] - distance[head]
    if (reduced < 0).any():  # pragma: no cover - a guard on the proof itself
        raise RuntimeError("potentials are not dual feasible")
    return distance


def _price(blocks, n_sub, n_rev, needs, caps, distance, rows, cols, per_row, cache):
    """Left-out allowed pairs with a negative reduced cost (at most `per_row` per
    submission, the most negative first)."""
    d_sub = distance[1 : n_sub + 1]
    d_rev = distance[1 + n_sub : 1 + n_sub + n_rev]
    usable_cols = caps > 0
    order = np.argsort(rows, kind="stable")
    cand_rows, cand_cols = rows[order], cols[order]
    bounds = np.searchsorted(cand_rows, np.arange(n_sub + 1))
    found_rows, found_cols, found_values = [], [], []
    step = _block_rows(n_rev)
    for number, start in enumerate(range(0, n_sub, step)):
        stop = min(n_sub, start + step)
        if cache is not None:
            masked = cache[number]
        else:
            affinity, allowed = blocks.block(start, stop)
            allowed = allowed & usable_cols[None, :] & (needs[start:stop] > 0)[:, None]
            masked = np.where(allowed, affinity, -1).astype(np.int16)
        # reduced cost of a forward pair arc: −a + d(sub) − d(rev) < 0
        threshold = d_sub[start:stop, None] - d_rev[None, :]
        violated = masked > threshold
        lo, hi = bounds[start], bounds[stop]
        violated[cand_rows[lo:hi] - start, cand_cols[lo:hi]] = False
        hit = np.flatnonzero(violated.any(axis=1))
        if not len(hit):
            continue
        slack = np.where(violated[hit], threshold[hit] - masked[hit], 0)
        take = min(per_row, n_rev)
        top = np.argpartition(slack, take - 1, axis=1)[:, :take]
        picked = np.take_along_axis(slack, top, axis=1) < 0
        block_rows = np.broadcast_to(hit[:, None], top.shape)[picked]
        found_rows.append(block_rows + start)
        found_cols.append(top[picked])
        found_values.append(masked[block_rows, top[picked]].astype(np.int64))
    if not found_rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return (
        np.concatenate(found_rows).astype(np.int64),
        np.concatenate(found_cols).astype(np.int64),
        np.concatenate(found_values),
    )


def solve_priced(
    needs,
    capacities,
    blocks: PairBlocks,
    *,
    k: int = 24,
    per_row: int = 8,
    max_rounds: int = 50,
    cache_bytes: int = 1_500_000_000,
    log=None,
) -> PricedFlow:
    """The lexicographically optimal assignment (maximal coverage, then maximal
    total affinity) over every allowed pair, proven by pricing."""
    needs = np.maximum(np.asarray(needs, dtype=np.int64), 0)
    caps = np.maximum(np.asarray(capacities, dtype=np.int64), 0)
    n_sub, n_rev = len(needs), len(caps)
    clock = time.perf_counter()

    def note(step: str) -> None:
        nonlocal clock
        if log is not None:
            log(f"{step}: {time.perf_counter() - clock:.2f} s")
        clock = time.perf_counter()

    # The pairs are kept (int16) when they fit in `cache_bytes`, else re-read.
    cache = [] if n_sub * n_rev * 2 <= cache_bytes else None
    rows, cols, values, max_affinity = _candidates(
        blocks, n_sub, n_rev, k, needs, caps, cache
    )
    note(f"candidates ({len(rows)} arcs)")
    bypass_cost = max(0, max_affinity) * max(1, min(n_sub, n_rev)) + 1
    for round_number in range(1, max_rounds + 1):
        flows = _solve_restricted(needs, caps, rows, cols, values, bypass_cost)
        note(f"round {round_number}: min-cost flow over {len(rows)} arcs")
        distance = potentials(needs, caps, rows, cols, values, bypass_cost, flows)
        note(f"round {round_number}: potentials")
        new_rows, new_cols, new_values = _price(
            blocks, n_sub, n_rev, needs, caps, distance, rows, cols, per_row, cache
        )
        note(f"round {round_number}: pricing found {len(new_rows)} arcs")
        if not len(new_rows):
            used = flows[0] > 0
            return PricedFlow(
                rows=rows[used],
                cols=cols[used],
                affinity=values[used],
                assigned=np.bincount(rows[used], minlength=n_sub),
                rounds=round_number,
                candidate_arcs=len(rows),
                candidates=(rows, cols, values),
            )
        rows = np.concatenate([rows, new_rows])
        cols = np.concatenate([cols, new_cols])
        values = np.concatenate([values, new_values])
    raise RuntimeError("pricing did not converge")  # pragma: no cover
