"""Talent matching and aggregates: 10,000 specialist profiles, 2,000 open roles.

    .venv/bin/python bench/bench_talent.py [--profiles 10000] [--roles 2000]
        [--samples 500] [--fresh]

Uses the PostgreSQL database `mist_bench_talent` (created and migrated here).
Generates 300 verified local organizations; roles with 2–4 skill tags from one
topical cluster and a description naming a few languages and tools; profiles with
2–5 tags from a cluster, two free skills, every intent, timeframe, country and
visibility level. Prints p50/p95/max of

- `matches.roles_for(profile)` over `--samples` profiles (target p95 < 100 ms),
- `matches.specialists_for(role, editor)` over `--samples` roles (p95 < 150 ms),
- `aggregates.raw_counts()` (every table recomputed, target < 5 s),

and, as a baseline measured in the same run on the same loaded machine, the p95
of reading one role with its skills by primary key: the figures are also given as
multiples of it.
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
DB_NAME = "mist_bench_talent"
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TASKS_MODE", "eager")

CLUSTERS = [
    ["web-development", "cloud", "saas", "devops", "ecommerce"],
    ["data-engineering", "big-data", "data-science", "machine-learning", "nlp"],
    ["mobile-development", "ui-ux-design", "qa-testing", "product-development"],
    ["cybersecurity", "cloud", "devops", "it-outsourcing"],
    ["embedded-systems", "iot", "electronics", "robotics", "drones"],
    ["game-development", "ar-vr", "ui-ux-design", "mobile-development"],
    ["fintech", "payments", "blockchain", "cybersecurity"],
    ["generative-ai", "artificial-intelligence", "machine-learning", "nlp"],
]
TOOLS = ["Python", "Django", "PostgreSQL", "Go", "Rust", "React", "Kotlin",
         "Swift", "Kubernetes", "Terraform", "Spark", "Airflow", "Java", "Figma",
         "TypeScript", "Unity", "C++", "Flutter"]  # fmt: skip
COUNTRIES = ["PL", "DE", "CZ", "PT", "GB", "US", "NL", "UA", "CA", "ES"]
CONDITIONS = ["shelter", "salary", "housing", "schools", "family", "relocation",
              "reservation", "hybrid"]  # fmt: skip
VISIBILITIES = ["aggregate", "aggregate", "organizations", "organizations", "public"]
OFFERS = ["relocation", "housing", "shelter", "generator", "reservation"]


def create_database(fresh: bool) -> bool:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]
        ).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{DB_NAME}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return not exists


def fill(profiles: int, roles: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Membership, Role, User
    from directory.models import Organization, Tag
    from talent.models import Role as TalentRole
    from talent.models import SpecialistProfile
    from talent.services import profile_terms, role_terms

    rng = random.Random(14)
    tags = dict(Tag.objects.values_list("slug", "pk"))
    now = timezone.now()
    with transaction.atomic():
        organizations = Organization.objects.bulk_create(
            Organization(
                name_uk=f"Компанія {i}",
                name_en=f"Company {i}",
                slug=f"talent-bench-{i}",
                kind=Organization.Kind.IT_COMPANY,
                description_uk="Розробка.",
                description_en="Development.",
                verification=Organization.Verification.VERIFIED,
                verified_at=now,
                country="UA",
            )
            for i in range(300)
        )
        editor = User.objects.create(
            email="editor@talent-bench.example", password="!", role=Role.EDITOR
        )
        Membership.objects.bulk_create(
            Membership(user=editor, organization=org, is_editor=True)
            for org in organizations
        )
        role_rows, role_tags = [], []
        for i in range(roles):
            cluster = rng.choice(CLUSTERS)
            tools = rng.sample(TOOLS, 3)
            role = TalentRole(
                organization=rng.choice(organizations),
                title_uk=f"Інженер {i}: {tools[0]}",
                title_en=f"Engineer {i}: {tools[0]}",
                description_uk="Шукаємо фахівця: " + ", ".join(tools) + ".",
                description_en="We look for: " + ", ".join(tools) + ".",
                work_mode=rng.choice(["remote", "hybrid", "on_site"]),
                seniority=rng.choice(["junior", "middle", "senior", "lead"]),
                offers=rng.sample(OFFERS, rng.randint(0, 3)),
                status="published",
                published_at=now,
                valid_until="2099-12-31",
            )
            role.match_terms = role_terms(role)
            role_rows.append(role)
            role_tags.append(rng.sample(cluster, rng.randint(2, min(4, len(cluster)))))
        role_rows = TalentRole.objects.bulk_create(role_rows, batch_size=2000)
        TalentRole.skills.through.objects.bulk_create(
            (
                TalentRole.skills.through(role_id=role.pk, tag_id=tags[slug])
                for role, slugs in zip(role_rows, role_tags, strict=True)
                for slug in slugs
            ),
            batch_size=5000,
        )
        users = User.objects.bulk_create(
            (
                User(email=f"specialist{i}@talent-bench.example", password="!")
                for i in range(profiles)
            ),
            batch_size=5000,
        )
        profile_rows, profile_tags = [], []
        for user in users:
            cluster = rng.choice(CLUSTERS)
            profile = SpecialistProfile(
                user=user,
                intent=rng.choice(SpecialistProfile.Intent.values),
                timeframe=rng.choice(SpecialistProfile.Timeframe.values),
                seniority=rng.choice(["junior", "middle", "senior", "lead"]),
                free_skills=", ".join(rng.sample(TOOLS, 2)),
                country_now=rng.choice(COUNTRIES),
                conditions=rng.sample(CONDITIONS, rng.randint(1, 4)),
                visibility=rng.choice(VISIBILITIES),
                consent_at=now,
                consent_version="bench",
            )
            profile.match_terms = profile_terms(profile)
            profile_rows.append(profile)
            profile_tags.append(
                rng.sample(cluster, rng.randint(2, min(5, len(cluster))))
            )
        profile_rows = SpecialistProfile.objects.bulk_create(
            profile_rows, batch_size=5000
        )
        SpecialistProfile.skills.through.objects.bulk_create(
            (
                SpecialistProfile.skills.through(
                    specialistprofile_id=profile.pk, tag_id=tags[slug]
                )
                for profile, slugs in zip(profile_rows, profile_tags, strict=True)
                for slug in slugs
            ),
            batch_size=5000,
        )


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(function, items):
    timings, sizes = [], []
    for item in items:
        began = time.perf_counter()
        result = function(item)
        timings.append((time.perf_counter() - began) * 1000)
        sizes.append(len(result) if hasattr(result, "__len__") else 0)
    return timings, sizes


def report(label, timings, sizes, baseline):
    p95 = percentile(timings, 0.95)
    print(
        f"{label}: p50 {percentile(timings, 0.5):.1f} ms, p95 {p95:.1f} ms, "
        f"max {max(timings):.1f} ms ({statistics.mean(sizes):.1f} results each; "
        f"p95 = {p95 / baseline:.1f} × baseline)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--roles", type=int, default=2_000)
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    created = create_database(args.fresh)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from talent import aggregates, matches, queries
    from talent.models import Role, SpecialistProfile

    call_command("migrate", verbosity=0)
    if created or not Role.objects.exists():
        began = time.perf_counter()
        fill(args.profiles, args.roles)
        print(f"generated data in {time.perf_counter() - began:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{SpecialistProfile.objects.count()} profiles, "
        f"{Role.objects.published().count()} open roles"
    )
    rng = random.Random(1)
    profile_ids = list(SpecialistProfile.objects.values_list("pk", flat=True))
    role_ids = list(Role.objects.published().values_list("pk", flat=True))
    sample_profiles = [
        queries.profile_of(p.user)
        for p in SpecialistProfile.objects.filter(
            pk__in=rng.sample(profile_ids, args.samples)
        ).select_related("user")
    ]
    sample_roles = list(
        queries.roles_published().filter(pk__in=rng.sample(role_ids, args.samples))
    )
    editor = User.objects.get(email="editor@talent-bench.example")

    def one_role(pk):
        role = queries.roles_published().get(pk=pk)
        return list(role.skills.all())

    base_timings, _sizes = timed(one_role, [r.pk for r in sample_roles])
    baseline = percentile(base_timings, 0.95)
    print(f"baseline, one role with its skills by pk: p95 {baseline:.1f} ms")

    timings, sizes = timed(lambda p: matches.roles_for(p), sample_profiles)
    report(f"roles for one specialist ({args.samples})", timings, sizes, baseline)

    def specialists(role):
        editor_copy = User.objects.get(pk=editor.pk)  # a fresh request's user
        return matches.specialists_for(role, editor_copy)

    timings, sizes = timed(specialists, sample_roles)
    report(f"specialists for one role ({args.samples})", timings, sizes, baseline)

    runs = []
    for _ in range(3):
        began = time.perf_counter()
        aggregates.raw_counts()
        runs.append(time.perf_counter() - began)
    print(
        f"aggregates over {SpecialistProfile.objects.count()} profiles recomputed: "
        f"best {min(runs):.2f} s, worst {max(runs):.2f} s (3 runs)"
    )


if __name__ == "__main__":
    main()
