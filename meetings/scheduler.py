"""B2B meeting scheduler: accepted requests -> (slot, table), pure Python + OR-Tools.

No Django here: the service layer builds the instance from the database, passes only
requests whose participants may meet (who-may-meet rules are the caller's; `allowed` is
an extra filter), and stores the answer.

Model (CP-SAT):

- one boolean `x[r, s]` per request `r` and slot `s` where every participant of `r` is
  available in `s` (no variable at all for infeasible pairs);
- each request meets at most once: `sum_s x[r, s] <= 1`;
- nobody in two places: for each participant and slot, `sum_r x[r, s] <= 1`;
- tables: for each slot, `sum_r x[r, s] <= total table capacity`;
- pinned requests are fixed to their slot (and keep their table);
- objective: maximize `sum weight(r) * x[r, s]` (the number of meetings when every
  weight is 1; a higher priority weight wins a contested slot).

Tables are assigned after solving, greedily per slot: pinned meetings keep their table,
the others fill the remaining seats in table order. Because tables here are
interchangeable (only their capacity differs, and a table of capacity k holds k
meetings at once), the per-slot count constraint is exact: any set of at most
`total capacity` meetings in a slot fits onto the tables. Tables of different kinds
(e.g. rooms that only some meetings may use) would need per-kind variables; they are not
modelled.

The greedy solution (by weight, first free slot) is given to CP-SAT as a hint, so a time
limit always returns at least the greedy answer. The upper bound reported is the better
of CP-SAT's own best bound and the LP relaxation (HiGHS).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

Id = Hashable


@dataclass(frozen=True)
class Slot:
    """A time slot of the session (start/end are opaque to the solver)."""

    id: Id
    start: Any = None
    end: Any = None


@dataclass(frozen=True)
class Table:
    """A table or room holding `capacity` simultaneous meetings."""

    id: Id
    capacity: int = 1


@dataclass(frozen=True)
class Participant:
    """A person and the slots they are available in."""

    id: Id
    available: frozenset = frozenset()


@dataclass(frozen=True)
class Request:
    """An accepted meeting request: 2+ participants (both sides), a priority weight."""

    id: Id
    participants: tuple
    weight: int = 1
    allowed: bool = True


@dataclass(frozen=True)
class Pin:
    """A meeting fixed by hand to a slot and table."""

    request: Id
    slot: Id
    table: Id


@dataclass
class Result:
    """The schedule: request id -> (slot id, table id), with quality figures."""

    assignments: dict = field(default_factory=dict)
    objective: int = 0
    bound: float = 0.0
    status: str = ""
    seconds: float = 0.0
    unscheduled: list = field(default_factory=list)
    bound_seconds: float = 0.0
    rounds: int = 0

    @property
    def ratio(self) -> float:
        """Objective over the upper bound (1.0 = proven optimal)."""
        return self.objective / self.bound if self.bound else 1.0


class ScheduleError(ValueError):
    """The input cannot be scheduled as given (inconsistent pins, unknown ids)."""


def _feasible_slots(request, participants_by_id, slot_ids):
    """Slot ids in which every participant of the request is available (in order)."""
    sets = []
    for pid in request.participants:
        participant = participants_by_id.get(pid)
        if participant is None:
            return []
        sets.append(participant.available)
    common = set(slot_ids)
    for s in sets:
        common &= s
    return [s for s in slot_ids if s in common]


def _check_pins(pins, requests_by_id, tables_by_id, feasible):
    busy = set()
    seats: dict = defaultdict(int)
    for pin in pins:
        request = requests_by_id.get(pin.request)
        if request is None:
            raise ScheduleError(f"pinned request {pin.request!r} is not in the input")
        if pin.table not in tables_by_id:
            raise ScheduleError(f"pinned table {pin.table!r} is unknown")
        if pin.slot not in feasible[pin.request]:
            raise ScheduleError(
                f"pinned request {pin.request!r}: a participant is not available "
                f"in slot {pin.slot!r}"
            )
        for pid in request.participants:
            if (pid, pin.slot) in busy:
                raise ScheduleError(f"pins put {pid!r} twice in slot {pin.slot!r}")
            busy.add((pid, pin.slot))
        seats[(pin.slot, pin.table)] += 1
        if seats[(pin.slot, pin.table)] > tables_by_id[pin.table].capacity:
            raise ScheduleError(f"pins overfill table {pin.table!r} in {pin.slot!r}")


def greedy(
    slots: list[Slot],
    tables: list[Table],
    participants: list[Participant],
    requests: list[Request],
    pins: Iterable[Pin] = (),
) -> dict:
    """Heaviest request first, each into its first free feasible slot: id -> slot."""
    slot_ids = [s.id for s in slots]
    participants_by_id = {p.id: p for p in participants}
    capacity = sum(t.capacity for t in tables)
    used: dict = defaultdict(int)
    busy = set()
    chosen = {}
    pins = list(pins)
    for pin in pins:
        chosen[pin.request] = pin.slot
        used[pin.slot] += 1
    by_id = {r.id: r for r in requests}
    for pin in pins:
        for pid in by_id[pin.request].participants:
            busy.add((pid, pin.slot))
    # Fewer feasible slots first among equal weights: they are the hardest to place.
    feasible = {
        r.id: _feasible_slots(r, participants_by_id, slot_ids) for r in requests
    }
    order = sorted(
        (r for r in requests if r.id not in chosen),
        key=lambda r: (-r.weight, len(feasible[r.id])),
    )
    for request in order:
        for s in feasible[request.id]:
            if used[s] >= capacity:
                continue
            if any((pid, s) in busy for pid in request.participants):
                continue
            chosen[request.id] = s
            used[s] += 1
            busy.update((pid, s) for pid in request.participants)
            break
    return chosen


def assign_tables(chosen: dict, tables: list[Table], pins: Iterable[Pin] = ()) -> dict:
    """Seat the meetings of each slot on tables: pins keep theirs, the rest in order."""
    seats: dict = defaultdict(int)
    result = {}
    for pin in pins:
        if chosen.get(pin.request) == pin.slot:
            result[pin.request] = (pin.slot, pin.table)
            seats[(pin.slot, pin.table)] += 1
    by_slot = defaultdict(list)
    for rid, s in chosen.items():
        if rid not in result:
            by_slot[s].append(rid)
    for s, rids in by_slot.items():
        tables_iter = iter(tables)
        table = next(tables_iter, None)
        for rid in sorted(rids, key=repr):
            while table is not None and seats[(s, table.id)] >= table.capacity:
                table = next(tables_iter, None)
            if table is None:  # pragma: no cover - guarded by the capacity constraint
                raise ScheduleError(f"slot {s!r} has more meetings than seats")
            result[rid] = (s, table.id)
            seats[(s, table.id)] += 1
    return result


def lp_bound(
    slots: list[Slot],
    tables: list[Table],
    participants: list[Participant],
    requests: list[Request],
    pins: Iterable[Pin] = (),
) -> float:
    """Upper bound from the LP relaxation of the same model.

    Solved with HiGHS through OR-Tools' model builder (several times faster than GLOP
    on the 150,000-variable bench instance); GLOP where HiGHS is not built in.
    """
    from ortools.linear_solver.python import model_builder as mb

    model = mb.Model()
    slot_ids = [s.id for s in slots]
    participants_by_id = {p.id: p for p in participants}
    capacity = sum(t.capacity for t in tables)
    pinned = {p.request: p.slot for p in pins}
    variables, weights = [], []
    per_slot = defaultdict(list)
    per_person_slot = defaultdict(list)
    for request in requests:
        row = []
        for s in _feasible_slots(request, participants_by_id, slot_ids):
            if request.id in pinned and pinned[request.id] != s:
                continue
            lower = 1.0 if pinned.get(request.id) == s else 0.0
            var = model.new_num_var(lower, 1.0, None)
            row.append(var)
            per_slot[s].append(var)
            for pid in request.participants:
                per_person_slot[pid, s].append(var)
            variables.append(var)
            weights.append(request.weight)
        if len(row) > 1:
            model.add(mb.LinearExpr.sum(row) <= 1)
    for group in per_slot.values():
        if len(group) > capacity:
            model.add(mb.LinearExpr.sum(group) <= capacity)
    for group in per_person_slot.values():
        if len(group) > 1:
            model.add(mb.LinearExpr.sum(group) <= 1)
    model.maximize(mb.LinearExpr.weighted_sum(variables, weights))
    solver = mb.ModelSolver("highs")
    if solver.solver_is_supported():
        solver.set_solver_specific_parameters("output_flag=false")  # no banner
    else:  # pragma: no cover - depends on the wheel
        solver = mb.ModelSolver("glop")
    if solver.solve(model) != mb.SolveStatus.OPTIMAL:  # pragma: no cover
        return float(sum(r.weight for r in requests))
    return solver.objective_value


def _build_model(requests, feasible_in, capacity, pin_slot):
    """CP-SAT model over (request -> candidate slots); returns (model, x, terms)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = {}
    per_slot = defaultdict(list)
    per_person_slot = defaultdict(list)
    terms = []
    for request in requests:
        row = []
        for s in feasible_in[request.id]:
            if request.id in pin_slot and pin_slot[request.id] != s:
                continue
            var = model.NewBoolVar("")
            if pin_slot.get(request.id) == s:
                model.Add(var == 1)
            x[request.id, s] = var
            row.append(var)
            per_slot[s].append(var)
            for pid in request.participants:
                per_person_slot[pid, s].append(var)
            terms.append(request.weight * var)
        if len(row) > 1:
            model.AddAtMostOne(row)
    for group in per_slot.values():
        if len(group) > capacity:
            model.Add(sum(group) <= capacity)
    for group in per_person_slot.values():
        if len(group) > 1:
            model.AddAtMostOne(group)
    model.Maximize(sum(terms))
    return model, x, terms


def _new_solver(time_limit, workers, seed, deterministic):
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, int(workers))
    solver.parameters.random_seed = int(seed)
    if deterministic:
        # A deterministic budget (work units, not wall seconds) with interleaved
        # workers: the same input and seed give the same schedule on every run.
        solver.parameters.max_deterministic_time = float(time_limit)
        solver.parameters.interleave_search = True
        solver.parameters.max_time_in_seconds = float(time_limit) * 4
    else:
        solver.parameters.max_time_in_seconds = float(time_limit)
    return solver


# Above this many (request, slot) variables the whole model is too slow for CP-SAT in
# the time organizers wait; large-neighbourhood search over slot windows takes over.
FULL_MODEL_LIMIT = 5_000
# Budget of one window re-solve (deterministic units with `deterministic`, else
# seconds): the focused windows below are small, more rounds beat longer ones.
WINDOW_BUDGET = 0.5


def _improve_by_windows(
    chosen,
    requests,
    requests_by_id,
    feasible,
    slot_ids,
    capacity,
    pin_slot,
    *,
    target,
    deadline,
    rounds,
    window,
    seed,
    deterministic,
):
    """Large-neighbourhood search: re-solve a few slots exactly, keep what improves.

    Each round frees the meetings of `window` consecutive slots, adds every unscheduled
    request that could go there, and lets CP-SAT find the best packing of that window;
    meetings elsewhere stay. Stops at `target` (the bound), `rounds` or `deadline`.
    """
    import random

    from ortools.sat.python import cp_model

    rng = random.Random(seed)
    objective = sum(requests_by_id[rid].weight for rid in chosen)
    stale = done = 0
    for _ in range(rounds):
        # Deterministic runs count rounds; the wall clock is only a safety net there.
        late = time.perf_counter() > (deadline + 15 if deterministic else deadline)
        if objective >= target or late:
            break
        if stale >= len(slot_ids):
            break
        done += 1
        start = rng.randrange(len(slot_ids))
        window_ids = [slot_ids[(start + k) % len(slot_ids)] for k in range(window)]
        in_window = set(window_ids)
        # Only requests that could raise the objective join as candidates: heavier
        # than the lightest meeting placed in the window (or any, when the window has
        # a free seat). The rest could at best swap for an equal weight, and keeping
        # them out makes each window model several times smaller.
        placed = [r for r in requests if chosen.get(r.id) in in_window]
        lightest = min((r.weight for r in placed), default=0)
        room = len(placed) < capacity * len(window_ids)
        free = placed + [
            r
            for r in requests
            if r.id not in chosen
            and (room or r.weight > lightest)
            and any(s in in_window for s in feasible[r.id])
        ]
        feasible_in = {
            r.id: [s for s in feasible[r.id] if s in in_window] for r in free
        }
        model, x, terms = _build_model(free, feasible_in, capacity, pin_slot)
        current = sum(r.weight for r in free if r.id in chosen)
        model.Add(sum(terms) >= current)
        for (rid, s), var in x.items():
            model.AddHint(var, 1 if chosen.get(rid) == s else 0)
        solver = _new_solver(WINDOW_BUDGET, 1, rng.randrange(1 << 30), deterministic)
        status = solver.Solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            stale += 1
            continue
        gained = int(solver.ObjectiveValue()) - current
        if gained <= 0:
            stale += 1
            continue
        stale = 0
        for r in free:
            chosen.pop(r.id, None)
        for (rid, s), var in x.items():
            if solver.Value(var):
                chosen[rid] = s
        objective += gained
    return chosen, done


def solve(
    slots: list[Slot],
    tables: list[Table],
    participants: list[Participant],
    requests: list[Request],
    pins: Iterable[Pin] = (),
    *,
    allowed: Callable[[Request], bool] | None = None,
    time_limit: float = 30.0,
    workers: int = 2,
    seed: int = 0,
    with_lp_bound: bool = False,
    deterministic: bool = False,
    lns_rounds: int | None = None,
    progress: Callable[[float], None] | None = None,
) -> Result:
    """Schedule the requests; see the module docstring for the model."""
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    deadline = started + time_limit
    pins = list(pins)
    slot_ids = [s.id for s in slots]
    tables_by_id = {t.id: t for t in tables}
    participants_by_id = {p.id: p for p in participants}
    pinned_ids = {p.request for p in pins}
    requests = [
        r
        for r in requests
        if r.id in pinned_ids
        or (r.allowed and (allowed is None or allowed(r)) and r.weight > 0)
    ]
    requests_by_id = {r.id: r for r in requests}
    if len(requests_by_id) != len(requests):
        raise ScheduleError("request ids must be unique")
    feasible = {
        r.id: _feasible_slots(r, participants_by_id, slot_ids) for r in requests
    }
    _check_pins(pins, requests_by_id, tables_by_id, feasible)
    capacity = sum(t.capacity for t in tables)
    pin_slot = {p.request: p.slot for p in pins}
    n_vars = sum(len(v) for v in feasible.values())
    large = n_vars > FULL_MODEL_LIMIT

    def done(chosen, bound, status, rounds=0):
        objective = sum(requests_by_id[rid].weight for rid in chosen)
        if objective >= math.floor(bound + 1e-6):
            bound, status = float(objective), "OPTIMAL"
        if progress is not None:
            progress(1.0)
        return Result(
            assignments=assign_tables(chosen, tables, pins),
            objective=objective,
            bound=float(bound),
            status=status,
            seconds=time.perf_counter() - started,
            unscheduled=[r.id for r in requests if r.id not in chosen],
            bound_seconds=bound_seconds,
            rounds=rounds,
        )

    hint = greedy(slots, tables, participants, requests, pins)
    hint_objective = sum(requests_by_id[rid].weight for rid in hint)
    trivial = float(sum(r.weight for r in requests))
    lp = None
    bound_seconds = 0.0
    if with_lp_bound or large:
        lp_started = time.perf_counter()
        lp = lp_bound(slots, tables, participants, requests, pins)
        bound_seconds = time.perf_counter() - lp_started
        if progress is not None:
            progress(0.3)
    # Weights are integers, so the optimum is at most floor(LP).
    cap = math.floor(lp + 1e-6) if lp is not None else None
    if cap is not None and hint_objective >= cap:
        return done(hint, cap, "OPTIMAL")

    if large:
        chosen, rounds = _improve_by_windows(
            dict(hint),
            requests,
            requests_by_id,
            feasible,
            slot_ids,
            capacity,
            pin_slot,
            target=cap,
            deadline=deadline,
            rounds=lns_rounds if lns_rounds is not None else 4 * len(slot_ids),
            window=3,
            seed=seed,
            deterministic=deterministic,
        )
        return done(chosen, lp, "FEASIBLE", rounds)

    model, x, terms = _build_model(requests, feasible, capacity, pin_slot)
    if cap is not None:
        # The LP bound as a constraint lets CP-SAT stop as soon as it reaches it.
        model.Add(sum(terms) <= cap)
    for (rid, s), var in x.items():
        model.AddHint(var, 1 if hint.get(rid) == s else 0)
    solver = _new_solver(
        max(0.5, deadline - time.perf_counter()), workers, seed, deterministic
    )
    if progress is not None:
        progress(0.4)
    status = solver.Solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = {rid: s for (rid, s), var in x.items() if solver.Value(var)}
        bound = solver.BestObjectiveBound()
    else:  # no solution in time: keep the greedy one, bound it by the LP
        chosen = hint
        bound = (
            trivial
            if lp is not None
            else lp_bound(slots, tables, participants, requests, pins)
        )
    if sum(requests_by_id[rid].weight for rid in chosen) < hint_objective:
        chosen = hint
    if lp is not None:
        bound = min(bound, lp)
    if status == cp_model.OPTIMAL:
        bound = float(sum(requests_by_id[rid].weight for rid in chosen))
    return done(chosen, bound, solver.StatusName(status))
