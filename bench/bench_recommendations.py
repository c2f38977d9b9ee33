"""Recommendation latency: 1,000 people over 20,000 organizations, and the cost
of reflecting one change in the index.

    .venv/bin/python bench/bench_recommendations.py [--organizations 20000]
        [--people 1000] [--requests 300] [--fresh]

Uses the PostgreSQL database `mist_bench_matching` (or $BENCH_DB; created and
migrated here). Generates organizations with realistic texts
(bench/make_organizations.py), 2–5 tags from one topical cluster and 1–2 KVED
divisions each, a Kharkiv place for local ones and a country abroad for the rest;
200 published needs/offers; and people (Kharkiv and US editors) with match
profiles.

Prints, with the load average (`uptime`) before and after:
- the full index build (wall and CPU seconds);
- per request, wall p50/p95/max and CPU (time.process_time) p50/p95, for, one
  person after another, alternating: `recommend_for(person)` (all kinds, 10
  results, reasons worded, objects loaded; a fresh user object each time, as in a
  request); the reference path (the same seeker and shortlist scored one
  candidate at a time by scoring.rank with dict vectors, as before the arrays,
  then the same objects and reasons); and a plain database query (10 of the
  organizations loaded by id through the directory's visibility rules);
- how many people get the same ten from both paths;
- the time for a process to reflect one change (organization, need/offer and
  profile updated, an organization created and deleted) against a full build.
"""

import argparse
import os
import random
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


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def measured(function, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return (
        result,
        (time.perf_counter() - wall) * 1000,
        (time.process_time() - cpu) * 1000,
    )


def summary(name: str, walls: list, cpus: list, base: list | None = None) -> str:
    line = (
        f"  {name:<34} wall p50 {percentile(walls, 0.5):6.1f} ms, "
        f"p95 {percentile(walls, 0.95):6.1f} ms, max {max(walls):6.1f} ms; "
        f"CPU p50 {percentile(cpus, 0.5):5.1f} ms, p95 {percentile(cpus, 0.95):5.1f} ms"
    )
    if base:
        line += f"  (p50 x{percentile(walls, 0.5) / percentile(base, 0.5):.2f})"
    return line


def reference_path(person):
    """Before the arrays: scoring.rank over the shortlist, candidate by candidate."""
    from collections import defaultdict

    from matching import recommend, scoring

    index = recommend.current_index()
    seeker = recommend.seeker_for(person, index)
    ranked = scoring.rank(
        seeker, recommend.shortlist(seeker, index), home=index.home, limit=10
    )
    by_kind = defaultdict(list)
    for result in ranked:
        by_kind[result.candidate.kind].append(result.candidate.id)
    objects = {k: recommend._objects(k, ids, person) for k, ids in by_kind.items()}
    names = recommend.reason_names(index)
    return [
        (
            r.candidate.kind,
            r.candidate.id,
            objects[r.candidate.kind].get(r.candidate.id),
            [scoring.reason_text(reason, names) for reason in r.reasons],
        )
        for r in ranked
    ]


def plain_query(person, ids):
    from directory.models import Organization
    from directory.queries import organizations_visible_to

    return list(
        organizations_visible_to(person)
        .filter(verification=Organization.Verification.VERIFIED, pk__in=ids)
        .select_related("place")
    )


def latency(people: list, requests: int) -> None:
    import random as _random

    from accounts.models import User
    from directory.models import Organization
    from matching import recommend

    rng = _random.Random(3)
    organization_ids = list(Organization.objects.values_list("pk", flat=True))
    paths = {"recommend_for": ([], []), "reference (scoring.rank)": ([], []),
             "plain query (10 organizations)": ([], [])}  # fmt: skip
    same = 0
    print(f"latency, {requests} requests each ({load()}):")
    for person in people[:requests]:
        user = User.objects.get(pk=person.pk)
        results, wall, cpu = measured(recommend.recommend_for, user, limit=10)
        paths["recommend_for"][0].append(wall)
        paths["recommend_for"][1].append(cpu)
        user = User.objects.get(pk=person.pk)
        reference, wall, cpu = measured(reference_path, user)
        paths["reference (scoring.rank)"][0].append(wall)
        paths["reference (scoring.rank)"][1].append(cpu)
        user = User.objects.get(pk=person.pk)
        ids = rng.sample(organization_ids, 10)
        _rows, wall, cpu = measured(plain_query, user, ids)
        paths["plain query (10 organizations)"][0].append(wall)
        paths["plain query (10 organizations)"][1].append(cpu)
        shown = [(r.kind, r.obj.pk, r.reasons) for r in results]
        same += shown == [(k, pk, reasons) for k, pk, obj, reasons in reference if obj]
    base = paths["plain query (10 organizations)"][0]
    for name, (walls, cpus) in paths.items():
        print(summary(name, walls, cpus, base))
    print(f"  same ten, with the same reasons, from both paths: {same}/{requests}")
    print(f"  ({load()})")


def incremental(build_seconds: float) -> None:
    from django.db import transaction

    from accounts.models import User
    from directory.models import Organization, Tag
    from matching import recommend, services
    from matching.models import MatchProfile, NeedOffer

    organization = Organization.objects.filter(slug__startswith="match-").last()
    need = NeedOffer.objects.order_by("pk").last()
    profile = MatchProfile.objects.order_by("pk").first()
    tag = Tag.objects.order_by("pk").first()
    stamp = time.strftime("%H%M%S")

    def update_organization():
        organization.description_en += f" Pilot {stamp}."
        organization.save()
        if organization.tags.filter(pk=tag.pk).exists():
            organization.tags.remove(tag)
        else:
            organization.tags.add(tag)

    def update_need_offer():
        need.description_en = f"Looking for an investor in district heating {stamp}."
        need.match_terms = recommend.need_offer_terms(need)
        need.save()

    def update_profile():
        user = User.objects.get(pk=profile.user_id)
        services.save_match_profile(
            user,
            organization=profile.organization,
            intents=["investing", "partnering"],
            countries=profile.countries,
            tags=list(profile.tags.all()),
            about_en=f"Heat pumps and district heating {stamp}",
        )

    created = []

    def create_organization():
        created.append(
            Organization.objects.create(
                name_uk=f"Нова {stamp}", name_en=f"New {stamp}", slug=f"new-{stamp}",
                kind="startup", description_en="Heat pumps for schools.",
                verification=Organization.Verification.VERIFIED,
            )
        )  # fmt: skip
        created[0].tags.add(tag)

    def delete_organization():
        created[0].delete()

    print(f"one change reflected in a process's index ({load()}):")
    recommend.current_index()
    for name, change in (
        ("organization updated (text, a tag)", update_organization),
        ("need/offer updated", update_need_offer),
        ("match profile updated", update_profile),
        ("organization created", create_organization),
        ("organization deleted", delete_organization),
        ("needs/offers reloaded (invalidate)", recommend.invalidate_index),
    ):
        with transaction.atomic():
            change()
        before = recommend._index
        index, wall, cpu = measured(recommend.current_index)
        patched = index.token == before.token and index.version > before.version
        if not patched or index.build_seconds != before.build_seconds:
            print(f"  {name}: the index was built again, not patched")
        print(
            f"  {name:<36} {wall:7.1f} ms (CPU {cpu:6.1f} ms), "
            f"{build_seconds * 1000 / wall:5.0f}x faster than a full build"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=20_000)
    parser.add_argument("--people", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    created = create_database(args.fresh)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from matching import recommend

    call_command("migrate", verbosity=0, run_syncdb=True)
    if created or not User.objects.filter(email__endswith="@bench.example").exists():
        began = time.perf_counter()
        fill(args.organizations, args.people)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would, before the planner guesses
        print(f"generated data in {time.perf_counter() - began:.1f} s")
    people = list(
        User.objects.filter(email__endswith="@bench.example").order_by("pk")[
            : args.people
        ]
    )
    print(load())
    index, wall, cpu = measured(recommend.current_index)
    print(
        f"full build: {len(index.candidates)} candidates, {len(index.profiles)} "
        f"profiles, {wall / 1000:.2f} s (CPU {cpu / 1000:.2f} s)"
    )
    latency(people, args.requests)
    incremental(wall / 1000)


if __name__ == "__main__":
    main()
