"""Recommendation latency: 1,000 people over 20,000 organizations.

    .venv/bin/python bench/bench_recommendations.py [--organizations 20000]
        [--people 1000] [--fresh]

Uses the PostgreSQL database `mist_bench_matching` (or $BENCH_DB; created and
migrated here).
Generates organizations with realistic texts (bench/make_organizations.py), 2–5
tags from one topical cluster and 1–2 KVED divisions each, a Kharkiv place for
local ones and a country abroad for the rest; 200 published needs/offers; and
people (Kharkiv and US editors) with match profiles. Prints the index build time
and p50/p95/max of `recommend_for(person)` (all kinds, 10 results, reasons worded,
objects loaded), a warm index, one person after another.
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
DB_NAME = os.environ.get("BENCH_DB", "mist_bench_matching")
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TASKS_MODE", "eager")

CLUSTERS = [
    ["energy-efficiency", "renewable-energy", "iot", "smart-city", "cleantech"],
    ["urban-mobility", "smart-city", "gis", "data-science", "logistics"],
    ["edtech", "it-education", "saas", "generative-ai", "mobile-development"],
    ["e-health", "medtech", "artificial-intelligence", "cloud", "biotech"],
    ["agritech", "drones", "earth-observation", "iot", "machine-learning"],
    ["fintech", "payments", "blockchain", "cybersecurity", "insurtech"],
    ["e-government", "govtech", "open-data", "digital-identity", "smart-city"],
    ["demining", "defence-tech", "computer-vision", "drones", "robotics"],
    ["cybersecurity", "cloud", "devops", "it-outsourcing", "qa-testing"],
    ["reconstruction", "bim", "proptech", "3d-printing", "smart-city"],
    ["robotics", "industry-4-0", "embedded-systems", "electronics", "iot"],
    ["nlp", "machine-learning", "generative-ai", "data-science", "big-data"],
    ["game-development", "ar-vr", "ui-ux-design", "mobile-development"],
    ["web-development", "ecommerce", "martech", "erp-crm", "saas"],
]
DIVISIONS = ["62", "63", "58", "72", "35", "26", "28", "85", "86", "01", "64",
             "49", "52", "71", "41", "38", "84", "61"]  # fmt: skip
ABROAD = ["US", "US", "US", "PL", "DE", "GB", "EE", "CA"]


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


def fill(organizations: int, people: int) -> None:
    from django.db import transaction

    from accounts.models import Membership, Role, User
    from bench.make_organizations import make_organizations
    from directory.models import Organization, Place, Sector, Tag
    from directory.reference import KHARKIV_CITY
    from matching.models import MatchProfile, NeedOffer
    from matching.recommend import need_offer_terms, profile_terms

    rng = random.Random(7)
    make_organizations(organizations, seed=7, prefix="match")
    tags = dict(Tag.objects.values_list("slug", "pk"))
    sectors = dict(Sector.objects.values_list("code", "pk"))
    kharkiv = Place.objects.get(code=KHARKIV_CITY)
    districts = list(kharkiv.children.values_list("pk", flat=True)) or [kharkiv.pk]
    tag_links, sector_links, updates = [], [], []
    for org in Organization.objects.filter(slug__startswith="match-").only("pk"):
        cluster = rng.choice(CLUSTERS)
        for slug in rng.sample(cluster, rng.randint(2, min(5, len(cluster)))):
            tag_links.append(
                Organization.tags.through(organization_id=org.pk, tag_id=tags[slug])
            )
        for code in rng.sample(DIVISIONS, rng.randint(1, 2)):
            sector_links.append(
                Organization.sectors.through(
                    organization_id=org.pk, sector_id=sectors[code]
                )
            )
        if rng.random() < 0.7:
            org.country, org.place_id = "UA", rng.choice([kharkiv.pk, *districts])
        else:
            org.country, org.place_id = rng.choice(ABROAD), None
        updates.append(org)
    with transaction.atomic():
        Organization.tags.through.objects.bulk_create(tag_links, batch_size=5000)
        Organization.sectors.through.objects.bulk_create(sector_links, batch_size=5000)
        Organization.objects.bulk_update(updates, ["country", "place"], batch_size=2000)
    orgs = list(Organization.objects.filter(slug__startswith="match-")[: people + 200])
    needs = []
    for index, org in enumerate(orgs[people:]):
        need = NeedOffer(
            organization=org,
            kind=rng.choice(["need", "offer"]),
            category=rng.choice(NeedOffer.Category.values),
            title_uk=f"Шукаємо партнера для пілоту {index}",
            title_en=f"Looking for a pilot partner {index}",
            description_uk=org.description_uk,
            description_en=org.description_en,
            status="published",
            valid_until="2099-12-31",
        )
        need.match_terms = need_offer_terms(need)
        needs.append(need)
    NeedOffer.objects.bulk_create(needs)
    users = User.objects.bulk_create(
        User(email=f"person{index}@bench.example", password="!", role=Role.EDITOR)
        for index in range(len(orgs[:people]))
    )
    users = list(User.objects.filter(email__endswith="@bench.example").order_by("pk"))
    Membership.objects.bulk_create(
        Membership(user=user, organization=org, is_editor=True)
        for user, org in zip(users, orgs[:people], strict=False)
    )
    for user, org in zip(users, orgs[:people], strict=False):
        cluster = rng.choice(CLUSTERS)
        profile = MatchProfile(
            user=user,
            organization=org,
            intents=rng.sample(["partnering", "investing", "hiring", "mentoring"], 2),
            countries=["UA"] if org.country != "UA" else ["US"],
            ticket_min=50_000,
            ticket_max=2_000_000,
            about_en="Partners for pilots in " + ", ".join(cluster[:2]),
        )
        profile.match_terms = profile_terms(profile)
        profile.save()
        profile.tags.set([tags[slug] for slug in rng.sample(cluster, 2)])


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=20_000)
    parser.add_argument("--people", type=int, default=1_000)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    created = create_database(args.fresh)
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.models import User
    from matching import recommend

    call_command("migrate", verbosity=0, run_syncdb=True)
    if created or not User.objects.filter(email__endswith="@bench.example").exists():
        began = time.perf_counter()
        fill(args.organizations, args.people)
        print(f"generated data in {time.perf_counter() - began:.1f} s")
    people = list(
        User.objects.filter(email__endswith="@bench.example").order_by("pk")[
            : args.people
        ]
    )
    began = time.perf_counter()
    index = recommend.current_index()
    build = time.perf_counter() - began
    print(
        f"index: {len(index.candidates)} candidates, built in {build:.2f} s "
        f"({index.build_seconds:.2f} s in build_index)"
    )
    timings, counts = [], []
    for person in people:
        began = time.perf_counter()
        results = recommend.recommend_for(person, limit=10)
        timings.append((time.perf_counter() - began) * 1000)
        counts.append(len(results))
    print(
        f"recommend_for, {len(people)} people: p50 {percentile(timings, 0.5):.1f} ms, "
        f"p95 {percentile(timings, 0.95):.1f} ms, max {max(timings):.1f} ms "
        f"(mean {statistics.mean(timings):.1f} ms; "
        f"{statistics.mean(counts):.1f} results each)"
    )


if __name__ == "__main__":
    main()
