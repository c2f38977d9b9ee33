"""The B2B scheduler (pure): properties on random instances, optimality on small."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.scheduler import (
    Participant,
    Pin,
    Request,
    ScheduleError,
    Slot,
    Table,
    greedy,
    lp_bound,
    solve,
)


@st.composite
def instances(draw, max_requests=12, max_slots=4):
    n_slots = draw(st.integers(1, max_slots))
    slots = [Slot(f"s{i}") for i in range(n_slots)]
    capacities = draw(st.lists(st.integers(1, 2), min_size=1, max_size=3))
    tables = [Table(f"t{i}", c) for i, c in enumerate(capacities)]
    n_people = draw(st.integers(2, 7))
    people = [
        Participant(
            f"p{i}",
            frozenset(
                draw(st.sets(st.sampled_from([s.id for s in slots]), max_size=n_slots))
            ),
        )
        for i in range(n_people)
    ]
    ids = [p.id for p in people]
    n_requests = draw(st.integers(0, max_requests))
    requests = []
    for r in range(n_requests):
        members = draw(
            st.lists(st.sampled_from(ids), min_size=2, max_size=4, unique=True)
        )
        requests.append(
            Request(
                f"r{r}",
                tuple(members),
                draw(st.integers(1, 3)),
                draw(st.booleans() | st.just(True)),
            )
        )
    return slots, tables, people, requests


def check_valid(slots, tables, people, requests, result, pins=()):
    by_id = {r.id: r for r in requests}
    available = {p.id: p.available for p in people}
    capacity = {t.id: t.capacity for t in tables}
    busy = set()
    seats = {}
    for rid, (slot, table) in result.assignments.items():
        request = by_id[rid]
        for pid in request.participants:
            assert slot in available[pid], "a participant is not available"
            assert (pid, slot) not in busy, "someone is double-booked"
            busy.add((pid, slot))
        seats[slot, table] = seats.get((slot, table), 0) + 1
        assert seats[slot, table] <= capacity[table], "a table is over capacity"
    for pin in pins:
        assert result.assignments[pin.request] == (pin.slot, pin.table)
    pinned = {p.request for p in pins}
    for rid in result.assignments:
        assert by_id[rid].allowed or rid in pinned, "a forbidden pair was scheduled"
    assert result.objective == sum(by_id[r].weight for r in result.assignments)


def brute_force(slots, tables, people, requests):
    """Best weighted schedule by trying every slot (or none) for every request."""
    capacity = sum(t.capacity for t in tables)
    available = {p.id: p.available for p in people}
    requests = [r for r in requests if r.allowed]
    best = 0
    for choice in itertools.product(
        [None, *[s.id for s in slots]], repeat=len(requests)
    ):
        busy = set()
        per_slot = {}
        ok = True
        value = 0
        for request, slot in zip(requests, choice, strict=True):
            if slot is None:
                continue
            per_slot[slot] = per_slot.get(slot, 0) + 1
            if per_slot[slot] > capacity:
                ok = False
                break
            for pid in request.participants:
                if slot not in available[pid] or (pid, slot) in busy:
                    ok = False
                    break
                busy.add((pid, slot))
            if not ok:
                break
            value += request.weight
        if ok:
            best = max(best, value)
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_solve_never_breaks_a_rule(instance):
    slots, tables, people, requests = instance

    result = solve(slots, tables, people, requests, time_limit=5, workers=1)

    check_valid(slots, tables, people, requests, result)
    assert result.objective <= result.bound + 1e-6


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_requests=6, max_slots=3))
def test_solve_is_optimal_on_small_instances(instance):
    slots, tables, people, requests = instance

    result = solve(slots, tables, people, requests, time_limit=5, workers=1)

    assert result.objective == brute_force(slots, tables, people, requests)
    assert result.status == "OPTIMAL"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_requests=8, max_slots=3), st.randoms(use_true_random=False))
def test_solve_keeps_pins(instance, rng):
    slots, tables, people, requests = instance
    # Pin a valid schedule's first meeting, anywhere it is feasible.
    first = solve(slots, tables, people, requests, time_limit=5, workers=1)
    pins = []
    if first.assignments:
        rid = rng.choice(sorted(first.assignments))
        slot, table = first.assignments[rid]
        pins = [Pin(rid, slot, table)]

    result = solve(slots, tables, people, requests, pins, time_limit=5, workers=1)

    check_valid(slots, tables, people, requests, result, pins)


@settings(max_examples=30, deadline=None)
@given(instances())
def test_lp_bound_is_an_upper_bound_of_greedy(instance):
    slots, tables, people, requests = instance
    allowed = [r for r in requests if r.allowed]

    chosen = greedy(slots, tables, people, allowed)

    weights = {r.id: r.weight for r in allowed}
    assert (
        sum(weights[r] for r in chosen)
        <= lp_bound(slots, tables, people, allowed) + 1e-6
    )


def test_allowed_callable_filters_requests():
    slots = [Slot(1), Slot(2)]
    people = [Participant(p, frozenset({1, 2})) for p in "abcd"]
    requests = [Request("ab", ("a", "b")), Request("cd", ("c", "d"))]

    result = solve(
        slots, [Table("T")], people, requests, allowed=lambda r: r.id != "cd"
    )

    assert set(result.assignments) == {"ab"}


def test_priority_wins_a_contested_slot():
    slots = [Slot(1)]
    people = [Participant(p, frozenset({1})) for p in "abc"]
    requests = [Request("low", ("a", "b"), 1), Request("high", ("a", "c"), 3)]

    result = solve(slots, [Table("T")], people, requests)

    assert result.assignments == {"high": (1, "T")}


def test_table_capacity_seats_several_meetings():
    slots = [Slot(1)]
    people = [Participant(p, frozenset({1})) for p in "abcdef"]
    requests = [Request(1, ("a", "b")), Request(2, ("c", "d")), Request(3, ("e", "f"))]

    result = solve(slots, [Table("big", 2), Table("small", 1)], people, requests)

    tables = sorted(t for _s, t in result.assignments.values())
    assert tables == ["big", "big", "small"]


def test_sides_of_two_people_block_all_four():
    slots = [Slot(1), Slot(2)]
    people = [Participant(p, frozenset({1, 2})) for p in "abcd"]
    requests = [Request("team", ("a", "b", "c")), Request("solo", ("c", "d"))]

    result = solve(slots, [Table("T1"), Table("T2")], people, requests)

    assert result.assignments["team"][0] != result.assignments["solo"][0]


def test_conflicting_pins_are_refused():
    slots = [Slot(1)]
    people = [Participant(p, frozenset({1})) for p in "abc"]
    requests = [Request(1, ("a", "b")), Request(2, ("a", "c"))]

    with pytest.raises(ScheduleError):
        solve(
            slots,
            [Table("T1"), Table("T2")],
            people,
            requests,
            [Pin(1, 1, "T1"), Pin(2, 1, "T2")],
        )


def test_large_instance_uses_window_search_and_stays_valid():
    import random

    rng = random.Random(7)
    slots = [Slot(s) for s in range(12)]
    people = [
        Participant(i, frozenset(s for s in range(12) if rng.random() < 0.8))
        for i in range(120)
    ]
    requests = []
    for r in range(2200):
        a, b = rng.sample(range(120), 2)
        requests.append(Request(r, (a, b), rng.randint(1, 3)))
    tables = [Table(t) for t in range(25)]

    result = solve(slots, tables, people, requests, time_limit=10, workers=1, seed=1)

    check_valid(slots, tables, people, requests, result)
    assert result.objective >= 0.98 * result.bound
