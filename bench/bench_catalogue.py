"""Investment catalogue benchmark: page and API against bare views, same rows, one run.

    .venv/bin/python bench/bench_catalogue.py [--rows 5000] [--runs 150]

Uses the PostgreSQL database `mist_bench_investments` (filled here with generated
projects). With three filters applied (sector, instrument, readiness; they vary from
run to run), 20 a page, it requests through Django's test client and the whole
middleware stack:
  - the real catalogue page /en/investments/?sector=…&instrument=…&readiness=…
    (totals converted at the named rate, 20 cards, filters, sorting, pagination);
  - a bare view reading the same rows (same visibility, filters, ordering, 20 rows,
    count) rendered as a plain HTML table;
  - the catalogue API /api/v1/investment-projects/?… (count + 20 serialized rows);
  - a bare view returning the same 20 rows and the count as JSON.
Requests alternate so each pair sees the same machine state. Prints p50 and p95 and
the ratios. Target: page and API each within 1.5x of their bare view.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "mist_bench_investments"
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TASKS_MODE", "eager")
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
os.environ["API_ANON_RATE"] = "1000000/min"

SECTORS = ["energy", "transport", "education", "health", "waterAndWaste", "governance"]
SUBSECTORS = {
    "energy": ["energy", "energy.solar", "energy.wind"],
    "transport": ["transport.urban", "transport.road", "transport.lowCarbon"],
}
INSTRUMENTS = ["grant", "loan", "equity", "ppp", "donor"]
READINESS = ["concept", "pre_feasibility", "feasibility", "design"]
AREAS = [
    "smart_mobility",
    "energy_efficiency",
    "digital_services",
    "safety",
    "environment",
    "healthcare",
    "education",
    "housing_utilities",
    "reconstruction",
]
WORDS_UK = [
    "розумне освітлення",
    "електробуси",
    "відбудова школи",
    "телемедицина",
    "водопостачання",
    "сонячна станція",
    "цифрові послуги",
    "укриття",
]
WORDS_EN = [
    "smart lighting",
    "electric buses",
    "school reconstruction",
    "telemedicine",
    "water supply",
    "solar plant",
    "digital services",
    "shelters",
]

BARE_TEMPLATE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>bare</title></head><body><p>{{ total }}</p><table>
{% for p in rows %}<tr><td><a href="{{ p.get_absolute_url }}">{{ p.title }}</a></td>
<td>{{ p.owner.name }}</td><td>{{ p.financing_currency }} {{ p.financing_sought }}</td>
</tr>{% endfor %}</table></body></html>"""


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _bare_rows(request):
    from django.core.paginator import Paginator

    from investments import queries

    projects = queries.filter_projects(
        queries.catalogue_projects(),
        sector=request.GET["sector"],
        instrument=request.GET["instrument"],
        readiness=request.GET["readiness"],
    ).order_by("-published_at", "-id")
    return Paginator(projects, 20).get_page(1)


def bare_view(request):
    """The same rows as the catalogue page, as a plain table."""
    from django.http import HttpResponse
    from django.template import Context, Template

    page = _bare_rows(request)
    html = Template(BARE_TEMPLATE).render(
        Context({"rows": page.object_list, "total": page.paginator.count})
    )
    return HttpResponse(html)


def bare_api(request):
    """The same rows as the catalogue API, as plain JSON."""
    from django.http import JsonResponse

    page = _bare_rows(request)
    rows = [
        {
            "code": p.code,
            "slug": p.slug,
            "title_uk": p.title_uk,
            "title_en": p.title_en,
            "owner": p.owner.name_en,
            "financing_sought": str(p.financing_sought),
            "financing_currency": p.financing_currency,
        }
        for p in page.object_list
    ]
    return JsonResponse({"count": page.paginator.count, "results": rows})


def ensure_database():
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]
        ).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def make_projects(count: int) -> None:
    from django.conf import settings
    from django.utils import timezone

    from core.text import document_terms
    from directory.models import Organization, Place
    from investments.models import ExchangeRate, InvestmentProject

    rng = random.Random(4)
    owners = []
    for index in range(8):
        owner, _ = Organization.objects.get_or_create(
            slug=f"bench-city-body-{index}",
            defaults={
                "name_uk": f"Департамент міста {index}",
                "name_en": f"City department {index}",
                "kind": Organization.Kind.CITY_BODY,
                "verification": Organization.Verification.VERIFIED,
            },
        )
        owners.append(owner)
    places = list(Place.objects.filter(parent__code=settings.MIST_CITY_KATOTTG))
    for currency, rate in (("USD", Decimal("41.75")), ("EUR", Decimal("48.6"))):
        ExchangeRate.objects.get_or_create(
            currency=currency,
            rate_date=datetime.date(2026, 11, 27),
            defaults={"uah_per_unit": rate, "source": "NBU"},
        )
    start = InvestmentProject.objects.count()
    now = timezone.now()
    batch = []
    for n in range(start, start + count):
        topic = n % len(WORDS_UK)
        sector = rng.choice(SECTORS)
        sectors = [rng.choice(SUBSECTORS.get(sector, [sector]))]
        title_uk = f"{WORDS_UK[topic].capitalize()} у Харкові №{n}"
        title_en = f"{WORDS_EN[topic].capitalize()} in Kharkiv no. {n}"
        summary_uk = f"Проєкт {WORDS_UK[topic]} для мешканців району."
        summary_en = f"A {WORDS_EN[topic]} project for the district's residents."
        currency = rng.choice(["UAH", "USD", "EUR"])
        total = Decimal(rng.randrange(1, 500)) * Decimal(100000)
        terms = document_terms(title_uk, title_en, summary_uk, summary_en)
        batch.append(
            InvestmentProject(
                code=f"BENCH-{n:05d}",
                slug=f"bench-{n:05d}",
                title_uk=title_uk,
                title_en=title_en,
                summary_uk=summary_uk,
                summary_en=summary_en,
                strategy_area=AREAS[n % len(AREAS)],
                sdgs=sorted(rng.sample(range(1, 18), 3)),
                project_sector=sectors,
                instruments=sorted(rng.sample(INSTRUMENTS, 2)),
                owner=owners[n % len(owners)],
                place=places[n % len(places)] if places else None,
                latitude=Decimal("49.99") + Decimal(rng.randrange(-80, 80)) / 1000,
                longitude=Decimal("36.23") + Decimal(rng.randrange(-120, 120)) / 1000,
                readiness=rng.choice(READINESS),
                status="published" if n % 10 else "draft",
                total_cost=total,
                currency=currency,
                financing_sought=total * Decimal("0.8"),
                financing_currency=currency,
                published_at=now - datetime.timedelta(minutes=n),
                search_document=f" {' '.join(terms)} ",
            )
        )
        if len(batch) == 1000:
            InvestmentProject.objects.bulk_create(batch)
            batch = []
    InvestmentProject.objects.bulk_create(batch)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=150)
    parser.add_argument("--fresh", action="store_true", help="regenerate the projects")
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import clear_url_caches, path

    import config.urls
    from investments.models import InvestmentProject

    call_command("migrate", verbosity=0)
    if args.fresh:
        InvestmentProject.objects.filter(code__startswith="BENCH-").delete()
    missing = args.rows - InvestmentProject.objects.count()
    if missing > 0:
        make_projects(missing)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE investments_investmentproject")
    print(f"{InvestmentProject.objects.count()} projects in {DB_NAME}")

    module = sys.modules[__name__]
    module.urlpatterns = [
        path("bare/", bare_view),
        path("bare-api/", bare_api),
        *config.urls.urlpatterns,
    ]
    settings.ROOT_URLCONF = module
    clear_url_caches()

    client = Client()
    times = {"page": [], "bare": [], "api": [], "bare-api": []}
    rows_seen = []
    urls = {
        "page": "/en/investments/",
        "bare": "/bare/",
        "api": "/api/v1/investment-projects/",
        "bare-api": "/bare-api/",
    }
    for run in range(args.runs + 10):
        params = {
            "sector": SECTORS[run % 2],  # energy, transport: with sub-sectors
            "instrument": INSTRUMENTS[run % len(INSTRUMENTS)],
            "readiness": READINESS[run % len(READINESS)],
        }
        timings = {}
        for first, second in (("page", "bare"), ("api", "bare-api")):
            order = (first, second) if run % 2 else (second, first)
            for which in order:
                began = time.perf_counter()
                response = client.get(urls[which], params)
                timings[which] = time.perf_counter() - began
                assert response.status_code == 200, (which, response.status_code)
                if which == "bare":
                    rows_seen.append(response.content.count(b"<tr>"))
        if run >= 10:
            for which, seconds in timings.items():
                times[which].append(seconds * 1000)

    print(
        f"runs: {len(times['page'])}, rows per page (mean): "
        f"{statistics.mean(rows_seen):.1f}"
    )
    for name, base in (("page", "bare"), ("api", "bare-api")):
        p50, p95 = percentile(times[name], 0.5), percentile(times[name], 0.95)
        b50, b95 = percentile(times[base], 0.5), percentile(times[base], 0.95)
        print(f"{base:<9} p50 {b50:7.1f} ms   p95 {b95:7.1f} ms")
        print(f"{name:<9} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
        print(
            f"ratio {name}/{base}  p50 {p50 / b50:.2f}x   p95 {p95 / b95:.2f}x"
            "  (target 1.5x)"
        )


if __name__ == "__main__":
    main()
