"""Import benchmark: a generated 100,000-row CSV into a fresh PostgreSQL database.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--profile apply]

Creates (drops first) the database `mist_bench_import` on BENCH_PG_URL
(default postgres://postgres@127.0.0.1:5432), migrates it, writes the CSV to /tmp,
and runs the same service the background task runs: the dry run, the apply, then a
second upload of the same file (dry run + apply, all unchanged). Prints rows per
second for each phase and the process's peak memory (ru_maxrss).
"""

import argparse
import cProfile
import csv
import os
import pstats
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "mist_bench_import"
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")

os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
os.environ["TASKS_MODE"] = "eager"
os.environ["MEDIA_ROOT"] = "/tmp/mist-bench-media"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
sys.path.insert(0, str(ROOT))

UK_TEXT = (
    "розробка програмного забезпечення для міст інвестиційний проєкт університет "
    "харківський кластер цифрова трансформація хмарні рішення кібербезпека "
    "аналітика даних машинне навчання мобільні застосунки вебсервіси освіта "
    "навчання студентів партнерство міжнародні компанії енергоефективність "
    "відбудова інфраструктури логістика медицина охорона здоров'я фінансові "
    "технології державні послуги розумне місто транспорт безпека дрони "
    "автоматизація виробництва консалтинг тестування якості дизайн інтерфейсів "
    "штучний інтелект великі дані інтернет речей електроніка вбудовані системи"
)
EN_TEXT = (
    "software development for cities investment project university cluster "
    "digital transformation cloud solutions cybersecurity data analytics machine "
    "learning mobile applications web services education partnership international "
    "companies energy efficiency reconstruction infrastructure logistics healthcare "
    "fintech public services smart city transport security drones automation "
    "consulting quality assurance interface design artificial intelligence"
)
UK_WORDS = UK_TEXT.split(" ")
EN_WORDS = EN_TEXT.split(" ")
KINDS = ["it_company"] * 6 + ["startup", "business", "education", "ngo", "investor"]
SIZES = ["1-9", "10-49", "50-249", "250-999", "1000+", ""]
HEADER = [
    "name_uk",
    "name_en",
    "kind",
    "edrpou",
    "description_uk",
    "description_en",
    "website",
    "email",
    "phone",
    "country",
    "place",
    "sectors",
    "tags",
    "size",
    "founded_year",
    "cluster_status",
    "cluster_member_since",
    "visibility",
]


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


def write_csv(path: Path, rows: int, *, sectors, tags, places) -> int:
    """A realistic partner list; about 1% of rows are bad. Returns the bad count."""
    from stdnum.ua import edrpou

    rng = random.Random(42)
    bad = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(rows):
            base = f"{2000000 + number:07d}"
            code = base + edrpou.calc_check_digit(base)
            if number % 100 == 99:
                code = base + str((int(edrpou.calc_check_digit(base)) + 1) % 10)
                bad += 1
            words_uk = rng.choices(UK_WORDS, k=rng.randint(12, 25))
            words_en = rng.choices(EN_WORDS, k=rng.randint(10, 20))
            writer.writerow(
                [
                    f"ТОВ «{rng.choice(UK_WORDS).capitalize()} {number}»",
                    f"{rng.choice(EN_WORDS).capitalize()} {number} LLC",
                    rng.choice(KINDS),
                    code,
                    " ".join(words_uk).capitalize() + ".",
                    " ".join(words_en).capitalize() + ".",
                    f"https://company{number}.example.com",
                    f"info@company{number}.example.com",
                    f"+380 57 {700 + number % 300} {number % 100:02d} "
                    f"{number % 97:02d}",
                    "UA",
                    rng.choice(places),
                    ";".join(rng.sample(sectors, k=rng.randint(1, 3))),
                    ";".join(rng.sample(tags, k=rng.randint(0, 3))),
                    rng.choice(SIZES),
                    str(rng.randint(1990, 2024)),
                    rng.choice(["member", "none", "member"]),
                    f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}-15",
                    "public",
                ]
            )
    return bad


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def backend_cpu() -> float:
    """CPU seconds the database server process of this connection has used (the
    server runs on this machine), from /proc."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(label, rows, function, profile):
    profiler = cProfile.Profile() if profile else None
    db_start = backend_cpu()
    start, cpu_start = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    result = function()
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    db_cpu = backend_cpu() - db_start
    print(
        f"{label:<26} {rows:>7} rows in {elapsed:6.2f} s = {rows / elapsed:6.0f} rows/s"
        f" | CPU: Python {cpu:6.2f} s + PostgreSQL {db_cpu:6.2f} s"
        f" = {rows / (cpu + db_cpu):6.0f} rows per CPU-second"
        f" | peak RSS so far {peak_mb():4.0f} MB"
    )
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(30)
        stats.print_callees("_write|run")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--profile", choices=["dry-run", "apply", "reapply"], help="cProfile a phase"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    recreate_database()
    import django

    django.setup()
    from django.core.files import File
    from django.core.management import call_command

    from directory import importing
    from directory.models import ImportBatch, Organization, Place, Sector, Tag

    call_command("migrate", verbosity=0)
    sectors = list(
        Sector.objects.filter(level="division").values_list("code", flat=True)
    )
    tags = list(Tag.objects.values_list("slug", flat=True))
    places = list(Place.objects.values_list("code", flat=True))
    if not (sectors and tags and places):
        sys.exit("reference data (sectors, tags, places) is missing after migrate")
    path = Path("/tmp/mist-bench-import.csv")
    bad = write_csv(path, args.rows, sectors=sectors, tags=tags, places=places)
    print(
        f"{args.rows} rows ({bad} bad) in {path} ({path.stat().st_size / 1e6:.1f} MB);"
        f" baseline peak RSS {peak_mb():.0f} MB"
    )

    def upload() -> ImportBatch:
        batch = ImportBatch(original_name=path.name)
        with path.open("rb") as handle:
            batch.file.save(path.name, File(handle), save=False)
        batch.save()
        return batch

    try:
        first = upload()
        timed(
            "dry run",
            args.rows,
            lambda: importing.check_import(first),
            args.profile == "dry-run",
        )
        print(
            f"  would create {first.created_count}, update {first.updated_count}, "
            f"reject {first.rejected_count}"
        )
        timed(
            "apply",
            args.rows,
            lambda: importing.apply_import(first),
            args.profile == "apply",
        )
        print(
            f"  {first.status}: created {first.created_count}, "
            f"rejected {first.rejected_count}; "
            f"{Organization.objects.count()} organizations in the database"
        )
        second = upload()
        timed(
            "second dry run", args.rows, lambda: importing.check_import(second), False
        )
        timed(
            "second apply (idempotent)",
            args.rows,
            lambda: importing.apply_import(second),
            args.profile == "reapply",
        )
        print(
            f"  {second.status}: created {second.created_count}, updated "
            f"{second.updated_count}, unchanged {second.unchanged_count}, "
            f"rejected {second.rejected_count}"
        )
        print(f"peak memory (ru_maxrss): {peak_mb():.0f} MB")
    finally:
        if not args.keep:
            drop_database()


if __name__ == "__main__":
    main()
