"""Programme proposal for a delegation: 20 members over 20,000 organizations.

    .venv/bin/python bench/bench_visits.py [--organizations 20000] [--members 20]
        [--fresh] [--rounds 5]

Uses the PostgreSQL database `mist_bench_visits` (created and migrated here) filled
the way bench_recommendations.py fills its own (organizations with realistic texts,
tags from one topical cluster, 70 % at home; people with match profiles). A visit
gets `--members` of those people and one cluster's tags. Prints the index build
(cold, once), then wall times of `propose_programme(visit)` on a warm index (every
member's suggestions and the sites, reasons worded, objects loaded), and as a
same-run baseline `recommend_for(member)` once per member (organizations only, 5
results), with the load average before and after. Target: the proposal < 5 s.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "mist_bench_visits"

import bench.bench_recommendations as filler  # noqa: E402  (sets DATABASE_URL)

SERVER = filler.SERVER
filler.DB_NAME = DB_NAME
os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TASKS_MODE", "eager")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def make_visit(members: int):
    import datetime as dt

    from django.utils import timezone

    from accounts.models import Role, User
    from directory.models import Organization, Tag
    from visits.models import Visit, VisitMember

    Visit.objects.filter(title_en="Bench delegation").delete()
    partner = Organization.objects.exclude(country="UA").order_by("pk").first()
    host, _ = User.objects.get_or_create(
        email="host@bench.example", defaults={"role": Role.STAFF, "password": "!"}
    )
    visit = Visit.objects.create(
        organization=partner,
        title_uk="Делегація для вимірювання",
        title_en="Bench delegation",
        starts_on=timezone.localdate() + dt.timedelta(days=30),
        ends_on=timezone.localdate() + dt.timedelta(days=32),
        needs="Pilots in smart city, energy efficiency and machine learning.",
        host=host,
        status=Visit.Status.PLANNED,
    )
    visit.tags.set(Tag.objects.filter(slug__in=filler.CLUSTERS[0]))
    people = User.objects.filter(email__endswith="@bench.example").exclude(pk=host.pk)
    VisitMember.objects.bulk_create(
        VisitMember(visit=visit, user=user) for user in people.order_by("pk")[:members]
    )
    return visit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=20_000)
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    created = filler.create_database(args.fresh)
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.models import User
    from directory.models import Organization
    from matching import recommend, scoring
    from visits.proposal import propose_programme

    call_command("migrate", verbosity=0, run_syncdb=True)
    if created or not User.objects.filter(email__endswith="@bench.example").exists():
        began = time.perf_counter()
        filler.fill(args.organizations, args.members)
        print(f"generated data in {time.perf_counter() - began:.1f} s")
    visit = make_visit(args.members)
    members = [m.user for m in visit.members.select_related("user")]
    print(
        f"{Organization.objects.count()} organizations, "
        f"{len(members)} members; {load()}"
    )
    began = time.perf_counter()
    index = recommend.current_index()
    print(
        f"index (cold, once per process): {len(index.candidates)} candidates "
        f"in {time.perf_counter() - began:.2f} s"
    )
    proposal_times, baseline_times = [], []
    for _round in range(args.rounds):
        began = time.perf_counter()
        proposal = propose_programme(visit)
        proposal_times.append(time.perf_counter() - began)
        began = time.perf_counter()
        for member in members:
            recommend.recommend_for(member, kinds=(scoring.ORGANIZATION,), limit=5)
        baseline_times.append(time.perf_counter() - began)
    suggested = sum(len(recs) for _user, recs in proposal.members)
    proposal_median = statistics.median(proposal_times)
    baseline_median = statistics.median(baseline_times)
    print(
        f"propose_programme: median {proposal_median:.3f} s, "
        f"min {min(proposal_times):.3f} s, max {max(proposal_times):.3f} s "
        f"({suggested} suggestions for {len(proposal.members)} members, "
        f"{len(proposal.sites)} sites)"
    )
    print(
        f"baseline recommend_for x {len(members)}: median {baseline_median:.3f} s, "
        f"min {min(baseline_times):.3f} s"
    )
    print(
        f"ratio proposal / baseline: {proposal_median / baseline_median:.2f}; "
        f"target < 5 s: median {'met' if proposal_median < 5 else 'NOT met'}, "
        f"every round {'met' if max(proposal_times) < 5 else 'NOT met'}; {load()}"
    )


if __name__ == "__main__":
    main()
