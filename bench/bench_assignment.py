"""Reviewer assignment benchmark: 2,000 submissions, 200 reviewers, 3 reviews each.

    .venv/bin/python bench/bench_assignment.py [--submissions 2000] [--reviewers 200]
        [--reviews 3] [--seed 7] [--runs 3] [--no-check]

Builds a seeded, deterministic instance shaped like a real call: submissions and
reviewers carry tags and sectors drawn from skewed distributions (some topics are
far more common than others), affinity is the weighted overlap (the same weights
as `reviews.assignment.services`) plus a bonus when the reviewer reads the
submission's original language, about 5% of pairs are conflicts, a fifth of the
submissions are written in Ukrainian only and a quarter of the reviewers read only
English (a few Ukrainian-only submissions have an English translation).

Prints the min-cost-flow solve time (best and median of `--runs`; target under
10 s), the coverage, the total affinity, and the gap to the optimum found by an
independent solver: the same problem as a linear program solved by GLOP (the
constraint matrix is totally unimodular, so the LP optimum is the integer
optimum; the LP is a relaxation, so its value also bounds every assignment from
above). Coverage is checked first (maximal number of reviews), then affinity at
that coverage. Target gap: 0.

    .venv/bin/python bench/bench_assignment.py --scale --submissions 15000 \
        --reviewers 10000 --reviews 4 [--k 24] [--no-check]

With `--scale`, the same shape of call is drawn with NumPy and its pairs are
computed a block of submissions at a time (never all 150 million at once), solved
by `reviews.assignment.pricing.solve_priced` (candidates, min-cost flow, pricing).
Prints wall and CPU time, peak RSS and the load average, then an independent
certificate from LPs alone (`lp_certificate`: GLOP's dual prices on the
candidate pairs turned into a weak-duality bound summed over every allowed pair;
the restricted LP's value also from HiGHS). Targets: < 60 s, < 4 GB, gap 0.

    .venv/bin/python bench/bench_assignment.py --db [--submissions 2000] ...

With `--db`, the same shape of call is written to PostgreSQL (database
`mist_bench_assignment` on BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432;
created and filled on first use) and the whole service runs end to end:
`assign_automatically` (conflict detection over every pair, loading, affinity,
solve, saving in one transaction), first on an empty call, then again over its
own result. Prints each run's time and the conflict detection alone.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviews.assignment.solver import (  # noqa: E402
    CONFLICT,
    LANGUAGE,
    ReviewerCapacity,
    SubmissionNeed,
    solve,
)

TAG_WEIGHT = 10
SECTOR_WEIGHT = 6
LANGUAGE_BONUS = 3


def skewed_sample(rng: random.Random, population: int, k: int) -> set[int]:
    """k distinct items, the low numbers (popular topics) far more likely."""
    chosen: set[int] = set()
    while len(chosen) < k:
        chosen.add(min(int(rng.paretovariate(1.2)) - 1, population - 1))
    return chosen


def build_instance(n_sub: int, n_rev: int, reviews: int, seed: int):
    rng = random.Random(seed)
    n_tags, n_sectors = 80, 25
    subs = []
    for s in range(n_sub):
        roll = rng.random()
        languages = {"uk"} if roll < 0.2 else {"en"} if roll < 0.3 else {"uk", "en"}
        subs.append(
            {
                "id": s + 1,
                "tags": skewed_sample(rng, n_tags, rng.randint(2, 5)),
                "sectors": skewed_sample(rng, n_sectors, rng.randint(1, 2)),
                "languages": languages,
                # a Ukrainian-only original that staff had translated
                "translated": languages == {"uk"} and rng.random() < 0.25,
                "org": rng.randrange(n_sub // 2),
            }
        )
    total = n_sub * reviews
    revs = []
    for r in range(n_rev):
        revs.append(
            {
                "id": 10_000 + r,
                "tags": skewed_sample(rng, n_tags, rng.randint(3, 8)),
                "sectors": skewed_sample(rng, n_sectors, rng.randint(1, 3)),
                "languages": {"en"} if rng.random() < 0.25 else {"uk", "en"},
                "capacity": rng.randint(total // n_rev - 6, total // n_rev + 14),
            }
        )
    affinity, forbidden = {}, {}
    for sub in subs:
        for rev in revs:
            pair = (sub["id"], rev["id"])
            if rng.random() < 0.05:
                forbidden[pair] = CONFLICT
                continue
            readable = rev["languages"] & sub["languages"]
            if not readable and not sub["translated"]:
                forbidden[pair] = LANGUAGE
                continue
            score = TAG_WEIGHT * len(sub["tags"] & rev["tags"]) + SECTOR_WEIGHT * len(
                sub["sectors"] & rev["sectors"]
            )
            if readable:
                score += LANGUAGE_BONUS
            affinity[pair] = score
    submissions = [SubmissionNeed(s["id"], reviews) for s in subs]
    reviewers = [ReviewerCapacity(r["id"], r["capacity"]) for r in revs]
    return submissions, reviewers, affinity, forbidden


def lp_optimum(submissions, reviewers, affinity, forbidden, coverage_found):
    """(max coverage, max affinity at that coverage) from GLOP, independently.

    When the flow covered every wanted review, coverage is trivially maximal
    and only the affinity LP runs.
    """
    from ortools.linear_solver import pywraplp

    def model():
        solver = pywraplp.Solver.CreateSolver("GLOP")
        x = {}
        by_sub = {s.id: [] for s in submissions}
        by_rev = {r.id: [] for r in reviewers}
        for s in submissions:
            for r in reviewers:
                pair = (s.id, r.id)
                if pair in forbidden:
                    continue
                var = solver.NumVar(0.0, 1.0, "")
                x[pair] = var
                by_sub[s.id].append(var)
                by_rev[r.id].append(var)
        for s in submissions:
            solver.Add(solver.Sum(by_sub[s.id]) <= s.need)
        for r in reviewers:
            solver.Add(solver.Sum(by_rev[r.id]) <= max(0, r.capacity))
        return solver, x

    best_coverage = sum(s.need for s in submissions)
    if coverage_found < best_coverage:
        solver, x = model()
        solver.Maximize(solver.Sum(x.values()))
        assert solver.Solve() == pywraplp.Solver.OPTIMAL
        best_coverage = round(solver.Objective().Value())

    solver, x = model()
    solver.Add(solver.Sum(x.values()) >= best_coverage)
    solver.Maximize(solver.Sum(affinity.get(p, 0) * v for p, v in x.items()))
    assert solver.Solve() == pywraplp.Solver.OPTIMAL
    return best_coverage, solver.Objective().Value()


DB_NAME = "mist_bench_assignment"


def setup_database() -> None:
    """Point Django at the bench database (created when missing) and migrate."""
    import psycopg

    server = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    os.environ["DATABASE_URL"] = f"{server}/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("TASKS_MODE", "eager")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_call(n_sub: int, n_rev: int, reviews: int, seed: int):
    """A call like `build_instance`'s, in the database; reused when it exists."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Membership, Role, User
    from directory.models import Organization, Sector, Tag
    from exchange.models import Call, Submission
    from reviews.models import CallReviewer

    slug = f"bench-assign-{n_sub}-{n_rev}-{reviews}-{seed}"
    call = Call.objects.filter(slug=slug).first()
    if call is not None:
        return call
    rng = random.Random(seed)
    tags = list(Tag.objects.order_by("pk")[:80])
    sectors = list(Sector.objects.filter(level="division").order_by("pk")[:25])
    now = timezone.now()
    with transaction.atomic():
        orgs = Organization.objects.bulk_create(
            Organization(
                name_uk=f"Стартап {slug} {i}",
                name_en=f"Startup {slug} {i}",
                slug=f"{slug}-org-{i}",
                kind=Organization.Kind.STARTUP,
                website=f"https://startup{i}.{slug}.ua",
                verification=Organization.Verification.VERIFIED,
            )
            for i in range(n_sub // 2 + 1)
        )
        organizer = Organization.objects.create(
            name_uk="Комітет",
            name_en="Committee",
            slug=f"{slug}-organizer",
            kind=Organization.Kind.FOREIGN_PARTNER,
        )
        call = Call.objects.create(
            organizer=organizer,
            slug=slug,
            title_uk="Бенч",
            title_en="Bench",
            opens_at=now,
            closes_at=now,
            reviews_per_submission=reviews,
            phase=Call.Phase.REVIEW,
        )
        users = User.objects.bulk_create(
            [
                User(email=f"founder{i}@startup{i}.{slug}.ua", role=Role.EDITOR)
                for i in range(len(orgs))
            ]
            + [
                User(email=f"reviewer{r}@partner{r}.{slug}.us", role=Role.REVIEWER)
                for r in range(n_rev)
            ]
        )
        founders, reviewer_users = users[: len(orgs)], users[len(orgs) :]
        Membership.objects.bulk_create(
            [
                Membership(user=u, organization=o)
                for u, o in zip(founders, orgs, strict=True)
            ]
        )
        submissions = []
        for s in range(n_sub):
            org_index = rng.randrange(len(orgs))
            roll = rng.random()
            uk, en = roll >= 0.1, roll < 0.8  # 20% Ukrainian only, 10% English only
            submissions.append(
                Submission(
                    call=call,
                    organization=orgs[org_index],
                    created_by=founders[org_index],
                    title_uk=f"Проєкт {s}" if uk else "",
                    summary_uk="Опис." if uk else "",
                    title_en=f"Project {s}" if en else "",
                    summary_en="About." if en else "",
                    status=Submission.Status.SUBMITTED,
                    submitted_at=now,
                    version=1,
                )
            )
        submissions = Submission.objects.bulk_create(submissions, batch_size=1000)
        Submission.tags.through.objects.bulk_create(
            Submission.tags.through(submission_id=sub.pk, tag_id=tags[t].pk)
            for sub in submissions
            for t in skewed_sample(rng, len(tags), rng.randint(2, 5))
        )
        Submission.sectors.through.objects.bulk_create(
            Submission.sectors.through(submission_id=sub.pk, sector_id=sectors[t].pk)
            for sub in submissions
            for t in skewed_sample(rng, len(sectors), rng.randint(1, 2))
        )
        total = n_sub * reviews
        reviewers = CallReviewer.objects.bulk_create(
            CallReviewer(
                call=call,
                user=user,
                accepted_at=now,
                languages=["en"] if rng.random() < 0.25 else ["uk", "en"],
                max_load=rng.randint(total // n_rev - 6, total // n_rev + 14),
            )
            for user in reviewer_users
        )
        CallReviewer.expertise.through.objects.bulk_create(
            CallReviewer.expertise.through(callreviewer_id=rev.pk, tag_id=tags[t].pk)
            for rev in reviewers
            for t in skewed_sample(rng, len(tags), rng.randint(3, 8))
        )
        CallReviewer.expertise_sectors.through.objects.bulk_create(
            CallReviewer.expertise_sectors.through(
                callreviewer_id=rev.pk, sector_id=sectors[t].pk
            )
            for rev in reviewers
            for t in skewed_sample(rng, len(sectors), rng.randint(1, 3))
        )
        # Conflicts: each reviewer belongs to, or declared ties with, a few of
        # the startups (about 5% of the pairs in all).
        per_reviewer = max(1, len(orgs) // 20)
        Membership.objects.bulk_create(
            Membership(user=rev.user, organization=orgs[o])
            for rev in reviewers
            for o in rng.sample(range(len(orgs)), per_reviewer // 2)
        )
        CallReviewer.ties.through.objects.bulk_create(
            CallReviewer.ties.through(
                callreviewer_id=rev.pk, organization_id=orgs[o].pk
            )
            for rev in reviewers
            for o in rng.sample(range(len(orgs)), per_reviewer - per_reviewer // 2)
        )
    return call


def bench_database(args) -> None:
    setup_database()
    from accounts.models import Role, User
    from reviews.assignment.services import assign_automatically
    from reviews.conflicts import find_conflicts
    from reviews.models import Assignment, ConflictOfInterest

    started = time.perf_counter()
    call = build_call(args.submissions, args.reviewers, args.reviews, args.seed)
    print(
        f"database call {call.slug}: ready in {time.perf_counter() - started:.1f} s "
        f"({DB_NAME})"
    )
    staff, _ = User.objects.get_or_create(
        email="bench-staff@mist.local", defaults={"role": Role.STAFF}
    )
    # Start from scratch: no assignments and no stored conflicts.
    Assignment.objects.filter(submission__call=call).delete()
    ConflictOfInterest.objects.filter(call_reviewer__call=call).delete()

    started = time.perf_counter()
    conflicts = find_conflicts(call)
    print(
        f"conflict detection: {time.perf_counter() - started:.2f} s, "
        f"{len(conflicts)} conflicted pairs "
        f"({len(conflicts) / (args.submissions * args.reviewers):.1%})"
    )
    for label in ("first run (empty call)", "second run (over its own result)"):
        started = time.perf_counter()
        report = assign_automatically(call, actor=staff)
        elapsed = time.perf_counter() - started
        print(
            f"assign_automatically, {label}: {elapsed:.2f} s (target < 10 s); "
            f"{report.created} created, {report.removed} removed, {report.kept} kept, "
            f"{len(report.unfilled)} short, total affinity {report.total_affinity}"
        )


# --- At scale: 15,000 x 10,000 without ever holding every pair -------------------


class ScaledInstance:
    """The same shape of call as `build_instance`, drawn with NumPy, whose pairs
    are computed a block of submissions at a time (`reviews.assignment.pricing`'s
    `PairBlocks`): affinity = tag and sector overlap (the service's weights) +
    the language bonus; a pair is forbidden by a conflict (about 5%, a hash of
    the pair, so every block call agrees) or by the language rule (the reviewer
    reads none of the submission's languages and it has no translation)."""

    def __init__(self, n_sub: int, n_rev: int, reviews: int, seed: int) -> None:
        import numpy as np

        rng = random.Random(seed)
        n_tags, n_sectors = 80, 25
        self.seed = seed
        self.sub_tags = np.zeros((n_sub, n_tags), dtype=np.float32)
        self.sub_sectors = np.zeros((n_sub, n_sectors), dtype=np.float32)
        self.sub_languages = np.zeros(n_sub, dtype=np.int8)  # bit 1 uk, bit 2 en
        self.translated = np.zeros(n_sub, dtype=bool)
        for s in range(n_sub):
            roll = rng.random()
            self.sub_languages[s] = 1 if roll < 0.2 else 2 if roll < 0.3 else 3
            self.sub_tags[s, list(skewed_sample(rng, n_tags, rng.randint(2, 5)))] = 1
            self.sub_sectors[
                s, list(skewed_sample(rng, n_sectors, rng.randint(1, 2)))
            ] = 1
            self.translated[s] = self.sub_languages[s] == 1 and rng.random() < 0.25
        self.rev_tags = np.zeros((n_rev, n_tags), dtype=np.float32)
        self.rev_sectors = np.zeros((n_rev, n_sectors), dtype=np.float32)
        self.rev_languages = np.zeros(n_rev, dtype=np.int8)
        total = n_sub * reviews
        self.capacities = np.zeros(n_rev, dtype=np.int64)
        for r in range(n_rev):
            self.rev_tags[r, list(skewed_sample(rng, n_tags, rng.randint(3, 8)))] = 1
            self.rev_sectors[
                r, list(skewed_sample(rng, n_sectors, rng.randint(1, 3)))
            ] = 1
            self.rev_languages[r] = 2 if rng.random() < 0.25 else 3
            self.capacities[r] = rng.randint(total // n_rev - 6, total // n_rev + 14)
        self.needs = np.full(n_sub, reviews, dtype=np.int64)
        self.tags_t = (TAG_WEIGHT * self.rev_tags).T.copy()
        self.sectors_t = (SECTOR_WEIGHT * self.rev_sectors).T.copy()
        self.rev_hash = np.arange(n_rev, dtype=np.uint32) * np.uint32(0x85EBCA77)

    def conflicts(self, start: int, stop: int):
        """About 5% of pairs, from a 32-bit hash of the pair (any block agrees)."""
        import numpy as np

        rows = np.arange(start, stop, dtype=np.uint32)[:, None] * np.uint32(0x9E3779B1)
        mixed = rows + (self.rev_hash ^ np.uint32(self.seed))[None, :]
        mixed ^= mixed >> np.uint32(15)
        mixed *= np.uint32(0x2C1B3C6D)
        mixed ^= mixed >> np.uint32(12)
        return mixed < np.uint32(int(0.05 * (1 << 32)))

    def block(self, start: int, stop: int):
        import numpy as np

        score = self.sub_tags[start:stop] @ self.tags_t
        score += self.sub_sectors[start:stop] @ self.sectors_t
        affinity = score.astype(np.int32)
        readable = (
            self.sub_languages[start:stop, None] & self.rev_languages[None, :]
        ) != 0
        affinity += LANGUAGE_BONUS * readable
        allowed = readable | self.translated[start:stop, None]
        allowed &= ~self.conflicts(start, stop)
        return affinity, allowed


def _restricted_lp(instance, rows, cols, values, solver_name="glop"):
    """The call's LP over the pairs (rows, cols) only:

        max sum a_k x_k  s.t.  sum x per submission <= need (prices u),
        sum x per reviewer <= load (v),  sum x >= W (l),  0 <= x <= 1.

    Returns (optimal value, u, v, l as reported: signs depend on the solver)."""
    import numpy as np
    from ortools.linear_solver.python import model_builder as mb

    n_sub, n_rev, n = len(instance.needs), len(instance.capacities), len(rows)
    model = mb.Model()
    helper = model.helper
    helper.add_var_array_with_bounds(np.zeros(n), np.ones(n), np.zeros(n, bool), "")
    for s in range(n_sub):
        helper.set_constraint_upper_bound(
            helper.add_linear_constraint(), float(instance.needs[s])
        )
    for r in range(n_rev):
        helper.set_constraint_upper_bound(
            helper.add_linear_constraint(), float(instance.capacities[r])
        )
    cover = helper.add_linear_constraint()
    helper.set_constraint_lower_bound(cover, float(instance.needs.sum()))
    set_coefficient = helper.set_constraint_coefficient
    for k, (s, r) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        set_coefficient(s, k, 1.0)
        set_coefficient(n_sub + r, k, 1.0)
        set_coefficient(cover, k, 1.0)
    helper.set_objective_coefficients(list(range(n)), values.astype(float).tolist())
    helper.set_maximize(True)
    solver = mb.ModelSolver(solver_name)
    if solver_name == "highs":
        solver.set_solver_specific_parameters("output_flag=false\nsolver=ipm")
    assert solver.solve(model) == mb.SolveStatus.OPTIMAL
    duals = np.array(
        [
            solver.dual_value(mb.LinearConstraint(helper, index=i))
            for i in range(cover + 1)
        ]
    )
    return solver.objective_value, duals[:n_sub], duals[n_sub:cover], duals[cover]


def lp_certificate(instance, result, coverage: int, max_rounds: int = 10):
    """An independent proof from linear programming alone (OR-Tools' LP solvers,
    none of the flow code).

    For the LP of the call (max sum a x; per submission sum x <= need, prices
    u >= 0; per reviewer sum x <= load, v >= 0; sum x >= W, l >= 0; 0 <= x <= 1),
    ANY prices u, v, l >= 0 bound every assignment from above (weak duality):

        sum need u + sum load v - W l + sum over ALL allowed pairs of
        max(0, a_ij - u_i - v_j + l).

    The prices are GLOP's dual values of the LP over a subset of the pairs (first
    the flow's candidates); the bound is then summed over all pairs in blocks,
    and pairs with a positive term join the subset until the bound meets the
    flow or stops falling. The restricted LP's value is also solved by HiGHS
    (interior point) as a second opinion. (HiGHS is not the price source: the
    model builder's HiGHS reports row activities where dual values are asked, and
    its simplex takes 10 s on 50,000 pairs where GLOP takes 1.3 s.)

    Returns (bound over all pairs, restricted LP value by GLOP and by HiGHS, LP
    rounds, seconds, pairs summed)."""
    import numpy as np

    started = time.perf_counter()
    rows, cols, values = result.candidates
    n_sub, n_rev = len(instance.needs), len(instance.capacities)
    wanted = int(instance.needs.sum())
    if coverage < wanted:
        raise SystemExit("coverage incomplete: the coverage LP is not built here")
    total = int(result.affinity.sum())
    best = float("inf")
    step = max(1, 12_000_000 // n_rev)
    round_number = 0
    while round_number < max_rounds:
        round_number += 1
        lp_value, raw_u, raw_v, raw_l = _restricted_lp(instance, rows, cols, values)
        # Any non-negative prices bound the LP (weak duality); the sign
        # convention of reported duals differs between solvers.
        sign = 1.0 if raw_u.sum() + raw_v.sum() >= 0 else -1.0
        u, v = np.maximum(sign * raw_u, 0.0), np.maximum(sign * raw_v, 0.0)
        lam = max(-sign * raw_l, 0.0)
        bound = float(u @ instance.needs + v @ instance.capacities - lam * wanted)
        summed = 0
        extra = ([], [], [])
        for start in range(0, n_sub, step):
            stop = min(n_sub, start + step)
            affinity, allowed = instance.block(start, stop)
            allowed = allowed & (instance.capacities > 0)[None, :]
            excess = np.where(
                allowed, affinity - u[start:stop, None] - v[None, :] + lam, 0.0
            )
            positive = excess > 1e-9
            bound += float(excess[positive].sum())
            summed += int(allowed.sum())
            # pairs that pay in the bound but are not in the LP yet
            block_rows, block_cols = np.nonzero(positive)
            extra[0].append(block_rows + start)
            extra[1].append(block_cols)
            extra[2].append(affinity[block_rows, block_cols])
        best = min(best, bound)
        if best - total < 1e-6:
            break
        seen = set(zip(rows.tolist(), cols.tolist(), strict=True))
        add_rows, add_cols, add_values = (np.concatenate(e) for e in extra)
        fresh = np.array(
            [
                (r, c) not in seen
                for r, c in zip(add_rows.tolist(), add_cols.tolist(), strict=True)
            ],
            dtype=bool,
        )
        if not fresh.any():
            break
        rows = np.concatenate([rows, add_rows[fresh]])
        cols = np.concatenate([cols, add_cols[fresh]])
        values = np.concatenate([values, add_values[fresh].astype(np.int64)])
    highs_value = _restricted_lp(instance, rows, cols, values, "highs")[0]
    return (
        best,
        (lp_value, highs_value),
        round_number,
        time.perf_counter() - started,
        summed,
    )


def bench_scaled(args) -> None:
    import resource

    import numpy as np

    from reviews.assignment.pricing import solve_priced

    print(f"load average: {os.getloadavg()}")
    started = time.perf_counter()
    instance = ScaledInstance(args.submissions, args.reviewers, args.reviews, args.seed)
    print(
        f"instance: {args.submissions} submissions x {args.reviewers} reviewers, "
        f"{args.reviews} reviews each, seed {args.seed} (drawn in "
        f"{time.perf_counter() - started:.1f} s); total load "
        f"{int(instance.capacities.sum())} for {int(instance.needs.sum())} reviews"
    )
    wall, cpu = time.perf_counter(), time.process_time()
    result = solve_priced(
        instance.needs, instance.capacities, instance, k=args.k, log=print
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    coverage = int(result.assigned.sum())
    total = int(result.affinity.sum())
    print(
        f"priced min-cost flow: wall {wall:.1f} s, CPU {cpu:.1f} s, peak RSS "
        f"{peak:.0f} MB (targets < 60 s, < 4096 MB); {result.rounds} pricing "
        f"rounds, {result.candidate_arcs} candidate arcs of "
        f"{args.submissions * args.reviewers} pairs"
    )
    print(
        f"  coverage {coverage}/{int(instance.needs.sum())}, "
        f"{int((result.assigned < instance.needs).sum())} submissions short, "
        f"total affinity {total}"
    )
    print(f"load average: {os.getloadavg()}")
    if args.no_check:
        return
    bound, lp_value, rounds, seconds, summed = lp_certificate(
        instance, result, coverage
    )
    print(
        f"independent check (LP over {result.candidate_arcs}+ pairs, {rounds} "
        f"round(s), its dual prices' weak-duality bound summed over all {summed} "
        f"allowed pairs; {seconds:.1f} s): restricted LP GLOP {lp_value[0]:.3f}, "
        f"HiGHS {lp_value[1]:.3f}; bound over all pairs {bound:.3f}"
    )
    print(f"gap to the LP bound: {bound - total:.3f} (target 0)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS with the check: {peak:.0f} MB; load average {os.getloadavg()}")
    del np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--reviewers", type=int, default=200)
    parser.add_argument("--reviews", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-check", action="store_true")
    parser.add_argument("--db", action="store_true", help="end to end on PostgreSQL")
    parser.add_argument(
        "--scale", action="store_true", help="pairs in blocks, priced (any size)"
    )
    parser.add_argument("--k", type=int, default=24, help="candidates per submission")
    args = parser.parse_args()
    if args.scale:
        bench_scaled(args)
        return
    if args.db:
        bench_database(args)
        return

    started = time.perf_counter()
    instance = build_instance(args.submissions, args.reviewers, args.reviews, args.seed)
    submissions, reviewers, affinity, forbidden = instance
    pairs = len(submissions) * len(reviewers)
    conflicts = sum(1 for v in forbidden.values() if v == CONFLICT)
    languages = len(forbidden) - conflicts
    print(
        f"instance: {len(submissions)} submissions x {len(reviewers)} reviewers, "
        f"{args.reviews} reviews each, seed {args.seed} "
        f"(built in {time.perf_counter() - started:.1f} s)"
    )
    print(
        f"  forbidden pairs: {conflicts} conflicts ({conflicts / pairs:.1%}), "
        f"{languages} language ({languages / pairs:.1%}); "
        f"total load {sum(r.capacity for r in reviewers)} "
        f"for {args.reviews * len(submissions)} reviews"
    )

    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        result = solve(submissions, reviewers, affinity, forbidden, set())
        times.append(time.perf_counter() - started)
    coverage = len(result.pairs)
    print(
        f"min-cost flow solve: best {min(times):.2f} s, median "
        f"{statistics.median(times):.2f} s over {args.runs} runs (target < 10 s)"
    )
    print(
        f"  coverage {coverage}/{args.reviews * len(submissions)} reviews, "
        f"{len(result.unfilled)} submissions short, "
        f"total affinity {result.total_affinity}"
    )
    if args.no_check:
        return

    started = time.perf_counter()
    lp_coverage, lp_affinity = lp_optimum(
        submissions, reviewers, affinity, forbidden, coverage
    )
    print(
        f"independent check (GLOP LP, {time.perf_counter() - started:.1f} s): "
        f"coverage {lp_coverage}, affinity {lp_affinity:.1f}"
    )
    print(
        f"gap to the optimum: coverage {lp_coverage - coverage}, "
        f"affinity {lp_affinity - result.total_affinity:.1f} (target 0)"
    )


if __name__ == "__main__":
    main()
