"""Review dashboard benchmark: the organizers' dashboard against a bare view, one run.

    .venv/bin/python bench/bench_review_dashboard.py [--submissions 2000] [--runs 40]

Uses its own PostgreSQL database `mist_bench_reviews`, filled here on first use: one
call with a rubric of four criteria, 2,000 submitted submissions, 200 reviewers and
three submitted reviews per submission (6,000 reviews, 24,000 scores). Through
Django's test client and the whole middleware stack, signed in as staff, it requests:
  - the dashboard listing all submissions on one page
    (/uk/reviews/calls/<slug>/?per_page=2000: weighted totals, per-reviewer z-scores,
    ranking, disagreement flags, progress per reviewer, filters, layout);
  - a bare view that reads the same submission and review rows and renders the
    submissions as a plain table (with their review counts);
  - the exchange's submission page of one submission, as seen by the organizer;
  - a bare view of that one submission row.
Requests alternate so both see the same machine state. Prints p50 and p95 of each and
their ratios. Targets: dashboard within 2x, submission page within 3x.
"""

import argparse
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# BENCH_REVIEWS_DB names another database, e.g. for the 20,000-submission call.
DB_NAME = os.environ.get("BENCH_REVIEWS_DB", "mist_bench_reviews")
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TASKS_MODE", "eager")
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"

SLUG = "bench-reviews"
BARE_TEMPLATE = """<!doctype html><html lang="uk"><head><meta charset="utf-8">
<title>bare</title></head><body><p>{{ total }}</p><table>
{% for s in rows %}<tr><td><a href="/s/{{ s.pk }}/">{{ s.title_uk }}</a></td>
<td>{{ s.organization__name_uk }}</td><td>{{ s.reviews }}</td></tr>{% endfor %}
</table></body></html>"""
BARE_ONE = """<!doctype html><html lang="uk"><head><meta charset="utf-8">
<title>bare</title></head><body><h1>{{ s.title_uk }}</h1><p>{{ s.summary_uk }}</p>
<p>{{ s.problem_uk }}</p><p>{{ s.solution_uk }}</p><p>{{ s.team_uk }}</p>
<p>{{ s.organization.name_uk }}</p></body></html>"""


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bare_view(request):
    """The same submission and review rows as the dashboard, as a plain table;
    `?limit=N`: only the first N submissions and their reviews (a page)."""
    from collections import Counter

    from django.http import HttpResponse
    from django.template import Context, Template

    from exchange.models import Call, Submission
    from reviews.models import Review

    call = Call.objects.get(slug=SLUG)
    limit = int(request.GET.get("limit", 0)) or None
    submissions = (
        Submission.objects.filter(call=call)
        .exclude(status=Submission.Status.DRAFT)
        .values("pk", "title_uk", "title_en", "status", "organization__name_uk")
        .order_by("pk")
    )
    rows = list(submissions[:limit] if limit else submissions)
    reviews = Review.objects.filter(
        assignment__submission__call=call, status=Review.Status.SUBMITTED
    )
    if limit:
        reviews = reviews.filter(assignment__submission__in=[r["pk"] for r in rows])
    counts = Counter(
        row["assignment__submission_id"]
        for row in reviews.values(
            "pk",
            "recommendation",
            "assignment__call_reviewer_id",
            "assignment__submission_id",
        )
    )
    for row in rows:
        row["reviews"] = counts[row["pk"]]
    html = Template(BARE_TEMPLATE).render(Context({"rows": rows, "total": len(rows)}))
    return HttpResponse(html)


def bare_one(request, pk):
    from django.http import HttpResponse
    from django.template import Context, Template

    from exchange.models import Submission

    submission = Submission.objects.select_related("organization").get(pk=pk)
    return HttpResponse(Template(BARE_ONE).render(Context({"s": submission})))


def ensure_database():
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]
        ).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def make_data(submissions: int, reviewers: int, per_submission: int):
    """One call with 2,000 submissions and 3 reviews each, in bulk."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Role, User
    from directory.models import Organization
    from exchange.models import (
        Call,
        CallPhase,
        Criterion,
        Submission,
        SubmissionVersion,
    )
    from reviews.models import Assignment, CallReviewer, Review, Score

    rng = random.Random(3)
    now = timezone.now()
    with transaction.atomic():
        staff, _ = User.objects.get_or_create(
            email="bench-staff@example.org",
            defaults={"role": Role.STAFF, "full_name": "Bench Staff"},
        )
        organizer = Organization.objects.create(
            name_uk="Партнер",
            name_en="Partner",
            slug="bench-partner",
            kind="foreign_partner",
        )
        call = Call.objects.create(
            organizer=organizer,
            title_uk="Бенчмарк",
            title_en="Benchmark",
            slug=SLUG,
            time_zone="America/Denver",
            opens_at=now - timezone.timedelta(days=30),
            closes_at=now - timezone.timedelta(days=1),
            reviews_per_submission=per_submission,
            phase=Call.Phase.REVIEW,
        )
        CallPhase.objects.bulk_create(
            [CallPhase.default_for(call, phase) for phase in Call.Phase.values]
        )
        criteria = [
            Criterion.objects.create(
                call=call,
                name_uk=f"Критерій {i}",
                name_en=f"Criterion {i}",
                position=i,
                weight=Decimal(1 + i % 2),
                scale_max=5 if i < 3 else 10,
                counts_toward_total=i != 3,
            )
            for i in range(4)
        ]
        orgs = Organization.objects.bulk_create(
            Organization(
                name_uk=f"Стартап {i}",
                name_en=f"Startup {i}",
                slug=f"bench-startup-{i}",
                kind="startup",
            )
            for i in range(200)
        )
        users = User.objects.bulk_create(
            User(
                email=f"bench-reviewer-{i}@example.org",
                role=Role.REVIEWER,
                full_name=f"Reviewer {i}",
            )
            for i in range(reviewers)
        )
        call_reviewers = CallReviewer.objects.bulk_create(
            CallReviewer(call=call, user=u, languages=["uk", "en"], max_load=40)
            for u in users
        )
        subs = Submission.objects.bulk_create(
            Submission(
                call=call,
                organization=orgs[i % len(orgs)],
                title_uk=f"Проєкт номер {i}",
                title_en=f"Project number {i}",
                summary_uk="Короткий опис проєкту для рецензентів.",
                problem_uk="Проблема.",
                solution_uk="Рішення.",
                team_uk="Команда.",
                status=Submission.Status.SUBMITTED,
                submitted_at=now,
                version=1,
            )
            for i in range(submissions)
        )
        SubmissionVersion.objects.bulk_create(
            SubmissionVersion(submission=s, number=1, content={}) for s in subs
        )
        assignments = Assignment.objects.bulk_create(
            Assignment(
                submission=s,
                call_reviewer=call_reviewers[(i * per_submission + k) % reviewers],
                no_conflict_confirmed_at=now,
            )
            for i, s in enumerate(subs)
            for k in range(per_submission)
        )
        reviews = Review.objects.bulk_create(
            Review(
                assignment=a,
                status=Review.Status.SUBMITTED,
                recommendation=rng.choice(["accept", "revise", "decline"]),
                comments_to_submitters="Comments.",
                submitted_at=now,
                seen_version=1,
            )
            for a in assignments
        )
        Score.objects.bulk_create(
            (
                Score(
                    review=r, criterion=c, value=rng.randint(c.scale_min, c.scale_max)
                )
                for r in reviews
                for c in criteria
            ),
            batch_size=5000,
        )
    return staff


def measure(client, first, second, runs, warmup=3):
    """Alternate two requests; return their wall times (ms) after the warm-up,
    and under "<name> cpu" the process's CPU time per request (ms): the worker's
    own cost, which the other programs on a shared machine do not inflate."""
    times = {first[0]: [], second[0]: [], f"{first[0]} cpu": [], f"{second[0]} cpu": []}
    sizes = {}
    for run in range(runs + warmup):
        order = (first, second) if run % 2 else (second, first)
        for name, url, params in order:
            began, cpu = time.perf_counter(), time.process_time()
            response = client.get(url, params)
            elapsed = (time.perf_counter() - began) * 1000
            cpu = (time.process_time() - cpu) * 1000
            assert response.status_code == 200, (url, response.status_code)
            sizes[name] = len(response.content)
            if run >= warmup:
                times[name].append(elapsed)
                times[f"{name} cpu"].append(cpu)
    print(f"  sizes: {', '.join(f'{k} {v / 1024:.0f} kB' for k, v in sizes.items())}")
    return times


def report(label, times, page, bare, target):
    print(f"{label}  (load average {os.getloadavg()[0]:.2f})")
    for kind, suffix in (("wall", ""), ("CPU", " cpu")):
        page_times, bare_times = times[page + suffix], times[bare + suffix]
        p50_page, p95_page = percentile(page_times, 0.5), percentile(page_times, 0.95)
        p50_bare, p95_bare = percentile(bare_times, 0.5), percentile(bare_times, 0.95)
        print(f"  {kind:4} bare view  p50 {p50_bare:8.1f} ms   p95 {p95_bare:8.1f} ms")
        print(f"  {kind:4} page       p50 {p50_page:8.1f} ms   p95 {p95_page:8.1f} ms")
        print(
            f"  {kind:4} ratio page/bare  p50 {p50_page / p50_bare:.2f}x   "
            f"p95 {p95_page / p95_bare:.2f}x  (target {target}x)"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--reviewers", type=int, default=200)
    parser.add_argument("--per-submission", type=int, default=3)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--skip-submission", action="store_true")
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import clear_url_caches, path

    import config.urls
    from accounts.models import User
    from exchange.models import Call
    from reviews.models import Review
    from reviews.views.dashboard import DASHBOARD_PAGE_SIZES

    call_command("migrate", verbosity=0)
    if not Call.objects.filter(slug=SLUG).exists():
        began = time.perf_counter()
        make_data(args.submissions, args.reviewers, args.per_submission)
        print(f"data made in {time.perf_counter() - began:.1f} s")
    # Fresh planner statistics, as autovacuum would have gathered after the load.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    call = Call.objects.get(slug=SLUG)
    staff = User.objects.get(email="bench-staff@example.org")
    total = call.submissions.count()
    reviews = Review.objects.filter(assignment__submission__call=call).count()
    print(f"{total} submissions, {reviews} reviews in {DB_NAME}")

    module = sys.modules[__name__]
    module.urlpatterns = [
        path("bare/", bare_view),
        path("bare-one/<int:pk>/", bare_one),
        *config.urls.urlpatterns,
    ]
    settings.ROOT_URLCONF = module
    clear_url_caches()

    client = Client()
    client.force_login(staff)
    # Staff must use two-factor sign-in: the bench stands for a finished sign-in.
    from accounts import two_factor

    session = client.session
    session[two_factor.VERIFIED_KEY] = staff.pk
    session.save()
    print(f"load average at the start: {os.getloadavg()}")
    times = measure(
        client,
        ("dashboard", f"/uk/reviews/calls/{SLUG}/", {}),
        ("bare", "/bare/", {"limit": 25}),
        args.runs,
    )
    report("dashboard, default page (25 rows, ranked)", times, "dashboard", "bare", 1.5)
    all_rows = {"per_page": max(DASHBOARD_PAGE_SIZES)}
    times = measure(
        client,
        ("dashboard", f"/uk/reviews/calls/{SLUG}/", all_rows),
        ("bare", "/bare/", {}),
        args.runs,
    )
    page = client.get(f"/uk/reviews/calls/{SLUG}/", all_rows)
    rows = page.content.count(b"<tr")
    print(f"runs: {args.runs}; dashboard table rows: {rows}")
    report("dashboard (all submissions on one page)", times, "dashboard", "bare", 1.5)
    if args.skip_submission:
        return

    one = call.submissions.order_by("pk").first()
    times = measure(
        client,
        ("submission", f"/uk/exchange/submissions/{one.pk}/", {}),
        ("bare-one", f"/bare-one/{one.pk}/", {}),
        args.runs * 3,
    )
    report("submission page (organizer)", times, "submission", "bare-one", 3)


if __name__ == "__main__":
    main()
