"""OC4IDS benchmark: a 5,000-project package from another publisher into a fresh
PostgreSQL database, and the export of the same 5,000 projects.

    .venv/bin/python bench/bench_oc4ids.py [--projects 5000]

Creates (drops first) the database `mist_bench_oc4ids` on BENCH_PG_URL (default
postgres://postgres@127.0.0.1:5432), migrates it, builds a package like
tests/investments/fixtures/oc4ids_examples/highways_gbp.json (parties, locations,
budget breakdowns, milestones, documents; several currencies and statuses, long ids),
then times: the dry run, the apply (publish), the export (English), and the
validator-free JSON dump. The baseline, measured in the same run, is a bare loop
that saves the same number of projects with one INSERT each: the ratio says what
the import's mapping, report and kept original cost on top. Prints projects per
second, seconds, and the process's peak memory (ru_maxrss).
"""

import argparse
import copy
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "mist_bench_oc4ids"
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")

os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
os.environ["TASKS_MODE"] = "eager"
os.environ["MEDIA_ROOT"] = "/tmp/mist-bench-media"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "tests/investments/fixtures/oc4ids_examples/highways_gbp.json"
CURRENCIES = ["GBP", "PLN", "UAH", "USD", "EUR"]
STATUSES = ["identification", "preparation", "implementation", "maintenance"]


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def build_package(count: int) -> dict:
    """`count` projects shaped like the example's first (long id and all)."""
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    template = example["projects"][0]
    projects = []
    for number in range(count):
        project = copy.deepcopy(template)
        project["id"] = f"{template['id']}-{number:05d}"
        if number % 2:
            project["id"] = f"oc4ids-bu3kcz-{number:05d}"
        project["title"] = f"{template['title']} ({number})"
        project["status"] = STATUSES[number % len(STATUSES)]
        currency = CURRENCIES[number % len(CURRENCIES)]
        project["budget"]["amount"] = {"amount": 1000000 + number, "currency": currency}
        project["locations"][0]["geometry"]["coordinates"] = [
            0.00612345678 + number / 1e6,
            52.2634567891,
        ]
        projects.append(project)
    return {
        **{k: v for k, v in example.items() if k != "projects"},
        "projects": projects,
    }


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, count: int, function):
    start, cpu_start = time.perf_counter(), time.process_time()
    result = function()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(
        f"{label:<34} {count:>6} projects in {elapsed:7.2f} s = "
        f"{count / elapsed:7.0f} projects/s | Python CPU {cpu:6.2f} s "
        f"({count / max(cpu, 1e-9):5.0f} projects per CPU-second) | peak RSS so far "
        f"{peak_mb():5.0f} MB"
    )
    return result, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=5000)
    args = parser.parse_args()
    count = args.projects

    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        run(count)
    finally:
        drop_database()


def run(count: int) -> None:
    from django.utils import translation

    from directory.models import Organization
    from investments.models import InvestmentProject
    from investments.oc4ids import export, importing

    package = build_package(count)
    print(f"package: {count} projects, {len(json.dumps(package)) / 2**20:.1f} MB JSON")

    owner = Organization.objects.create(slug="bench-owner", name_uk="Власник")

    def baseline():
        for number in range(count):
            InvestmentProject.objects.create(
                code=f"BASE-{number}",
                slug=f"base-{number}",
                title_uk=f"Base {number}",
                owner=owner,
                total_cost=1,
                financing_sought=1,
            )

    _, base_time = timed("baseline: one INSERT per project", count, baseline)
    InvestmentProject.objects.all().delete()

    with translation.override("en"):
        report, _ = timed(
            "dry run (check_package)",
            count,
            lambda: importing.check_package(package, language="en"),
        )
        assert report.rejected == 0, [p.reasons for p in report.projects][:3]
        report, apply_time = timed(
            "apply (apply_package, publish)",
            count,
            lambda: importing.apply_package(package, language="en", publish=True),
        )
        assert report.created == count, (report.created, report.rejected)
        exported, export_time = timed(
            "export (build_package en)",
            count,
            lambda: export.build_package("en", base_url="https://mist.example.org"),
        )
        text, _ = timed(
            "export + JSON text", count, lambda: export.package_json(exported)
        )
    same = sum(
        1
        for mine, theirs in zip(
            sorted(exported["projects"], key=lambda p: p["id"]),
            sorted(package["projects"], key=lambda p: p["id"]),
            strict=True,
        )
        if mine == theirs
    )
    print(f"round trip: {same} of {count} projects exported exactly as imported")
    print(
        f"apply / baseline: {apply_time / base_time:.3f}x the time of bare INSERTs;"
        f" export of {count}: {export_time:.2f} s ({len(text) / 2**20:.1f} MB)"
    )
    print(f"process peak RSS: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
