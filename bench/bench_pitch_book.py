"""Pitch book PDF for N published projects (default 300): build time and size.

Target: under 60 s for 300 projects. Also times one passport (warm, after WeasyPrint's
start-up) as a baseline, so the ratio book / (N x passport) shows what the book costs
per project against passports made one by one, in the same run: the machine is shared,
so the load average and the CPU seconds are printed too.
Uses its own PostgreSQL database, mist_bench_pitch_book (BENCH_PG_URL: the server).

    .venv/bin/python bench/bench_pitch_book.py [--projects 300]
"""

import argparse
import io
import logging
import os
import resource
import statistics
import sys
import time
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "mist_bench_pitch_book"
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TASKS_MODE", "eager")


def ensure_database():
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]
        ).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def make_projects(count: int) -> None:
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from directory.models import Organization
    from investments.models import (
        BudgetLine,
        FundingSource,
        Indicator,
        InvestmentProject,
    )

    owner, _ = Organization.objects.get_or_create(
        slug="bench-city-department",
        defaults={
            "name_uk": "Департамент цифрової трансформації",
            "name_en": "Department of Digital Transformation",
            "kind": "city_body",
        },
    )
    start = InvestmentProject.objects.filter(code__startswith="BENCH-").count()
    for n in range(start, count):
        project = InvestmentProject.objects.create(
            code=f"BENCH-{n:04d}",
            slug=f"bench-{n:04d}",
            title_uk=f"Розумне місто: проєкт модернізації №{n}",
            title_en=f"Smart city: modernisation project no. {n}",
            summary_uk="Заміна вуличного освітлення на світлодіодне з керуванням. " * 4,
            summary_en="Replacing street lighting with managed LED lamps. " * 4,
            problem_uk="Високі витрати на електроенергію й застаріла мережа.",
            problem_en="High electricity costs and an outdated grid.",
            strategy_area="energy_efficiency",
            sdgs=[7, 11],
            project_sector=["energy"],
            project_type="replacement",
            owner=owner,
            latitude=Decimal("49.99") + Decimal(n % 10) / 100,
            longitude=Decimal("36.23") + Decimal(n % 7) / 100,
            readiness="feasibility",
            status="published",
            published_at=timezone.now(),
            total_cost=Decimal("1000000") + n,
            currency="EUR",
            financing_sought=Decimal("800000"),
            financing_currency="EUR",
            instruments=["loan", "grant"],
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2028, 12, 31),
            contact_name="Олена Петренко",
            contact_email="invest@example.org",
        )
        BudgetLine.objects.create(
            project=project,
            category="equipment",
            amount=Decimal("1000000"),
            currency="EUR",
        )
        FundingSource.objects.create(
            project=project,
            source_name="City budget",
            instrument="grant",
            amount=Decimal("200000"),
            currency="EUR",
        )
        Indicator.objects.create(
            project=project,
            name_uk="Економія енергії",
            name_en="Energy saved",
            unit="MWh",
            target=Decimal("1200"),
            target_year=2028,
        )


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the render workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=300)
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # no per-page progress
    from django.core.management import call_command

    from investments import pdf
    from investments.models import InvestmentProject
    from investments.oc4ids.export import published_projects

    call_command("migrate", verbosity=0)
    make_projects(args.projects)
    InvestmentProject.objects.exclude(code__startswith="BENCH-").filter(
        status="published"
    ).update(status="draft")
    projects = list(pdf.with_pdf_data(published_projects())[: args.projects])
    print(f"{len(projects)} published projects in {DB_NAME}; one tagged document")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))

    started = time.perf_counter()
    one = pdf.render_passport(projects[0])
    cold = time.perf_counter() - started
    singles = []
    for project in projects[1:4]:
        started = time.perf_counter()
        pdf.render_passport(project)
        singles.append(time.perf_counter() - started)
    single = statistics.median(singles)
    print(
        f"one passport: {cold:.2f} s cold (WeasyPrint start-up), {single:.3f} s warm "
        f"(median of {len(singles)}), {len(one) / 1024:.0f} KiB"
    )

    cpu = cpu_seconds()
    started = time.perf_counter()
    book = pdf.render_pitch_book(projects)
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds() - cpu

    pages = len(PdfReader(io.BytesIO(book)).pages)
    print(
        f"pitch book: {len(projects)} projects, {pages} pages, {elapsed:.1f} s "
        f"({'under' if elapsed < 60 else 'OVER'} the 60 s target), "
        f"{len(book) / 1024 / 1024:.2f} MiB, {cpu:.1f} s CPU in all processes; "
        f"{elapsed / max(single * len(projects), 1e-9):.2f}x of {len(projects)} "
        "warm single passports"
    )
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
