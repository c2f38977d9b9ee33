"""Insights benchmark: recomputation, the debounced refresh, the page against a bare
view, and the open-data CSV of every organization. One run.

    .venv/bin/python bench/bench_insights.py [--scale 0.1] [--runs 30]

`--scale 1` is the issue's full size: 100,000 organizations, 2,000 submissions with
6,000 reviews, 5,000 investment projects with 20,000 interests, 1,000 events with
50,000 registrations, 50,000 meetings with outcomes. The default 0.1 is a tenth of
each (quick). Data spread over three years goes into its own PostgreSQL database,
`bench_insights_<scale*1000>`, filled with bulk writes on first use. Prints:
  - a full recomputation of all aggregates (recompute_all), seconds;
  - one debounced refresh after a single change (an organization saved, then a
    meeting), from the commit to the new figures being written, seconds;
  - /uk/insights/ through the whole stack against a bare Django view that reads the
    same prepared figures and renders them as plain tables: p50, p95 and ratios;
  - the directory's CSV of every organization (as the open data page links it),
    streamed in a fresh process: seconds and that process's peak memory (MB).
Targets: page within 1.5x of the bare view; recompute under 30 s; refresh under 2 s;
CSV under 10 s and 200 MB.
"""

import argparse
import datetime
import os
import random
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TASKS_MODE", "eager")
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"

BARE_TEMPLATE = """<!doctype html><html lang="uk"><head><meta charset="utf-8">
<title>bare</title></head><body>{% for name, rows in tables %}<h2>{{ name }}</h2>
<table>{% for r in rows %}<tr><td>{{ r.label_uk }}</td><td>{{ r.series }}</td>
<td>{{ r.value }}</td><td>{{ r.amount|default_if_none:"" }}</td></tr>{% endfor %}
</table>{% endfor %}</body></html>"""


def db_name(scale: float) -> str:
    return f"bench_insights_{round(scale * 1000)}"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bare_view(request):
    """The same prepared figures as the page (all time, all sectors), plain tables."""
    from itertools import groupby

    from django.http import HttpResponse
    from django.template import Context, Template

    from insights.charts import PUBLIC_MEASURES
    from insights.models import Figure

    rows = (
        Figure.objects.filter(
            period_kind="all", sector="", is_public=True, measure__in=PUBLIC_MEASURES
        )
        .values("measure", "dimension", "label_uk", "series", "value", "amount")
        .order_by("measure", "dimension", "position", "key", "series")
    )
    tables = [
        (f"{measure} {dimension}", list(group))
        for (measure, dimension), group in groupby(
            rows, key=lambda r: (r["measure"], r["dimension"])
        )
    ]
    return HttpResponse(Template(BARE_TEMPLATE).render(Context({"tables": tables})))


def ensure_database(name: str):
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')


def _spread(table: str, column: str, days: int = 1000):
    """Spread a date-time column of every row over the last `days` days."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = now() - random() * interval '{days} days'"
        )


def make_data(scale: float):
    """The ecosystem, in bulk, spread over three years."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Role, User
    from directory.models import Organization, Place, Sector
    from directory.reference import load_reference_data
    from events.models import Event, Registration
    from exchange.models import Call, Submission
    from investments.models import ExchangeRate, Interest, InvestmentProject
    from meetings.models import Meeting, MeetingRequest
    from reviews.models import Assignment, CallReviewer, Decision, Review

    n = {
        "orgs": int(100_000 * scale),
        "subs": int(2_000 * scale),
        "projects": int(5_000 * scale),
        "events": int(1_000 * scale),
        "meetings": int(50_000 * scale),
    }
    rng = random.Random(13)
    now = timezone.now()
    if not Sector.objects.exists():
        load_reference_data()
    divisions = list(
        Sector.objects.filter(level="division").values_list("pk", flat=True)
    )
    places = list(Place.objects.values_list("pk", flat=True)[:30])
    kinds = Organization.Kind.values
    sizes = [*Organization.Size.values, ""]
    countries = ["UA"] * 8 + ["US", "DE", "PL", "GB", "FR"]
    with transaction.atomic():
        ExchangeRate.objects.bulk_create(
            [
                ExchangeRate(
                    currency="USD", rate_date=now.date(), uah_per_unit=Decimal("41.5")
                ),
                ExchangeRate(
                    currency="EUR", rate_date=now.date(), uah_per_unit=Decimal("45")
                ),
            ]
        )
        orgs = Organization.objects.bulk_create(
            (
                Organization(
                    name_uk=f"Організація {i}",
                    name_en=f"Organization {i}",
                    slug=f"bench-org-{i}",
                    kind=rng.choice(kinds),
                    size=rng.choice(sizes),
                    country=rng.choice(countries),
                    place_id=rng.choice(places) if places else None,
                    verification="verified" if i % 10 else "pending",
                    visibility="public" if i % 7 else "members",
                    cluster_status="member" if i % 4 == 0 else "none",
                    cluster_member_since=(
                        now.date() - datetime.timedelta(days=rng.randint(0, 1000))
                        if i % 4 == 0
                        else None
                    ),
                )
                for i in range(n["orgs"])
            ),
            batch_size=5000,
        )
        through = Organization.sectors.through
        through.objects.bulk_create(
            (
                through(organization_id=org.pk, sector_id=sector)
                for org in orgs
                for sector in {rng.choice(divisions) for _ in range(rng.randint(1, 2))}
            ),
            batch_size=10000,
        )
        users = User.objects.bulk_create(
            (
                User(email=f"bench-user-{i}@example.org", role=Role.EDITOR)
                for i in range(max(500, n["meetings"] // 10))
            ),
            batch_size=5000,
        )
        investors = User.objects.bulk_create(
            User(email=f"bench-investor-{i}@example.org", role=Role.INVESTOR)
            for i in range(200)
        )
        reviewers = User.objects.bulk_create(
            User(email=f"bench-reviewer-{i}@example.org", role=Role.REVIEWER)
            for i in range(200)
        )
        calls = [
            Call.objects.create(
                organizer=orgs[i],
                title_uk=f"Конкурс {i}",
                title_en=f"Call {i}",
                slug=f"bench-call-{i}",
                time_zone="UTC",
                opens_at=now - datetime.timedelta(days=300 * i + 30),
                closes_at=now - datetime.timedelta(days=300 * i),
                phase=Call.Phase.PUBLISHED,
            )
            for i in range(3)
        ]
        call_reviewers = CallReviewer.objects.bulk_create(
            CallReviewer(call=calls[i % 3], user=u) for i, u in enumerate(reviewers)
        )
        subs = Submission.objects.bulk_create(
            (
                Submission(
                    call=calls[i % 3],
                    organization=orgs[i * 7 % len(orgs)],
                    title_uk=f"Заявка {i}",
                    status=Submission.Status.SUBMITTED,
                    submitted_at=now,
                    version=1,
                )
                for i in range(n["subs"])
            ),
            batch_size=5000,
        )
        Submission.sectors.through.objects.bulk_create(
            Submission.sectors.through(
                submission_id=s.pk, sector_id=rng.choice(divisions)
            )
            for s in subs
        )
        by_call = {}
        for cr in call_reviewers:
            by_call.setdefault(cr.call_id, []).append(cr)
        assignments = Assignment.objects.bulk_create(
            (
                Assignment(submission=s, call_reviewer=by_call[s.call_id][(i + k) % 60])
                for i, s in enumerate(subs)
                for k in range(3)
            ),
            batch_size=5000,
        )
        Review.objects.bulk_create(
            (
                Review(
                    assignment=a,
                    status="submitted",
                    recommendation=rng.choice(["accept", "revise", "decline"]),
                    offers_mentoring=rng.random() < 0.2,
                    submitted_at=now,
                )
                for a in assignments
            ),
            batch_size=5000,
        )
        Decision.objects.bulk_create(
            Decision(
                submission=s,
                outcome=rng.choice(["accept", "revise", "decline"]),
                status="released",
            )
            for s in subs[: len(subs) * 3 // 4]
        )
        projects = InvestmentProject.objects.bulk_create(
            (
                InvestmentProject(
                    code=f"B-{i}",
                    slug=f"bench-project-{i}",
                    title_uk=f"Проєкт {i}",
                    status="published" if i % 10 else "draft",
                    published_at=now,
                    owner=orgs[i % 50],
                    strategy_area="smart_mobility",
                    total_cost=Decimal(10_000_000),
                    financing_sought=Decimal(rng.randint(10, 5000) * 1000),
                    financing_currency=rng.choice(["USD", "EUR", "UAH"]),
                    source_submission=subs[i % len(subs)] if i % 3 == 0 else None,
                )
                for i in range(n["projects"])
            ),
            batch_size=5000,
        )
        InvestmentProject.sectors.through.objects.bulk_create(
            InvestmentProject.sectors.through(
                investmentproject_id=p.pk, sector_id=rng.choice(divisions)
            )
            for p in projects
        )
        stages = Interest.Stage.values
        interests = Interest.objects.bulk_create(
            (
                Interest(
                    project=p,
                    investor=investors[(i * 4 + k) % len(investors)],
                    organization=orgs[(i * 4 + k) % len(orgs)],
                    instrument="loan",
                    amount=Decimal(rng.randint(1, 500) * 1000),
                    currency=rng.choice(["USD", "EUR"]),
                    stage=rng.choice(stages),
                    stage_changed_at=now,
                )
                for i, p in enumerate(projects)
                for k in range(4)
            ),
            batch_size=5000,
        )
        events = Event.objects.bulk_create(
            Event(
                slug=f"bench-event-{i}",
                kind=rng.choice(Event.Kind.values),
                title_uk=f"Подія {i}",
                starts_at=now - datetime.timedelta(days=rng.randint(1, 1000)),
                ends_at=now,
                organizer=orgs[i],
                status="published",
                is_public=True,
            )
            for i in range(n["events"])
        )
        Registration.objects.bulk_create(
            (
                Registration(event=e, user=users[(i * 50 + k) % len(users)])
                for i, e in enumerate(events)
                for k in range(50)
            ),
            batch_size=10000,
        )
        requests = MeetingRequest.objects.bulk_create(
            (
                MeetingRequest(
                    requester=users[i % len(users)],
                    recipient=users[(i + 1) % len(users)],
                    requester_organization=orgs[i % len(orgs)],
                    recipient_organization=orgs[(i * 3) % len(orgs)],
                    status="accepted",
                    submission=subs[i % len(subs)] if i % 5 == 0 else None,
                )
                for i in range(n["meetings"])
            ),
            batch_size=10000,
        )
        outcomes = [*Meeting.Outcome.values, ""]
        Meeting.objects.bulk_create(
            (
                Meeting(
                    request=r,
                    starts_at=now - datetime.timedelta(days=rng.randint(1, 1000)),
                    ends_at=now,
                    outcome=rng.choice(outcomes),
                    interest=interests[i % len(interests)] if i % 50 == 0 else None,
                )
                for i, r in enumerate(requests)
            ),
            batch_size=10000,
        )
    for table, column in (
        ("directory_organization", "created_at"),
        ("exchange_submission", "submitted_at"),
        ("investments_investmentproject", "published_at"),
        ("investments_interest", "created_at"),
    ):
        _spread(table, column)


def csv_in_fresh_process(scale: float):
    """Stream the directory's CSV of every organization in a new process."""
    began = time.perf_counter()
    import django

    django.setup()
    from django.test import Client

    client = Client()
    response = client.get("/uk/directory/export/csv/")
    lines = 0
    size = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        size += len(chunk)
    elapsed = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  rows {lines - 1}, {size / 1e6:.1f} MB of CSV")
    print(f"  time {elapsed:.2f} s (process start included)  peak memory {peak:.0f} MB")


def measure(client, first, second, runs, warmup=3):
    times = {first[0]: [], second[0]: []}
    for run in range(runs + warmup):
        order = (first, second) if run % 2 else (second, first)
        for name, url in order:
            began = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - began) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if run >= warmup:
                times[name].append(elapsed)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--csv-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    name = db_name(args.scale)
    os.environ["DATABASE_URL"] = f"{SERVER}/{name}"
    if args.csv_only:
        csv_in_fresh_process(args.scale)
        return

    ensure_database(name)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import clear_url_caches, path

    import config.urls
    from directory.models import Organization
    from insights import services
    from meetings.models import Meeting

    call_command("migrate", verbosity=0)
    if not Organization.objects.filter(slug="bench-org-0").exists():
        from insights.signals import muted

        began = time.perf_counter()
        with muted():
            make_data(args.scale)
        print(f"data made in {time.perf_counter() - began:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{name}: {Organization.objects.count()} organizations, "
        f"{Meeting.objects.count()} meetings (scale {args.scale})"
    )

    began = time.perf_counter()
    rows = services.recompute_all()
    print(f"full recomputation: {time.perf_counter() - began:.2f} s, {rows} figures")

    org = Organization.objects.filter(verification="verified").first()
    meeting = Meeting.objects.first()
    for label, obj in (("an organization", org), ("a meeting", meeting)):
        obj.save()  # warm up (the search lemmatizer loads on a first save)
        services.run_pending_refresh()
        began = time.perf_counter()
        with transaction.atomic():
            obj.save()  # the commit runs the debounced refresh (TASKS_MODE=eager)
        print(
            f"refresh after one change to {label}: {time.perf_counter() - began:.2f} s"
        )

    module = sys.modules[__name__]
    module.urlpatterns = [path("bare/", bare_view), *config.urls.urlpatterns]
    settings.ROOT_URLCONF = module
    clear_url_caches()
    client = Client()
    times = measure(client, ("page", "/uk/insights/"), ("bare", "/bare/"), args.runs)
    p50 = {k: percentile(v, 0.5) for k, v in times.items()}
    p95 = {k: percentile(v, 0.95) for k, v in times.items()}
    print(f"insights page vs bare view ({args.runs} runs each, alternating)")
    print(f"  bare view   p50 {p50['bare']:8.1f} ms   p95 {p95['bare']:8.1f} ms")
    print(f"  page        p50 {p50['page']:8.1f} ms   p95 {p95['page']:8.1f} ms")
    print(
        f"  ratio  p50 {p50['page'] / p50['bare']:.2f}x   "
        f"p95 {p95['page'] / p95['bare']:.2f}x  (target 1.5x)"
    )

    print("open data: the directory CSV of every organization (fresh process)")
    subprocess.run(
        [sys.executable, __file__, "--scale", str(args.scale), "--csv-only"],
        check=True,
    )


if __name__ == "__main__":
    main()
