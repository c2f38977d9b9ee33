"""Directory page benchmark: the whole page against a bare view, same query, one run.

    .venv/bin/python bench/bench_directory_page.py [--rows 100000] [--runs 150]

Uses the PostgreSQL database `mist_bench` (filled by bench/bench_search.py or here,
through bench/make_organizations.py). For varied Ukrainian searches with two filters
(kind, IT Cluster member), it requests, through Django's test client and the whole
middleware stack:
  - the real directory page, /uk/directory/?q=…&kind=…&cluster_member=yes
    (20 cards, count, filters, sorting, pagination, layout);
  - a bare view that runs the same query (same visibility rules, filters, search,
    ordering, 20 rows, count) and renders the same 20 rows as a plain HTML table.
Requests alternate so both see the same machine state. Prints p50 and p95 of each
and their ratios. Target: the page within 1.5x of the bare view.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "mist_bench"
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TASKS_MODE", "eager")
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"

QUERIES = [
    "інвестиційних проєктів",
    "університету",
    "кібербезпеки",
    "штучний інтелект",
    "розумне місто",
    "програмного забезпечення",
    "громадський транспорт",
    "логістика Харків",
    "мобільні застосунки",
    "аналітики даних",
]
KINDS = ["it_company", "startup", "business", "education", "research"]

BARE_TEMPLATE = """<!doctype html><html lang="uk"><head><meta charset="utf-8">
<title>bare</title></head><body><p>{{ total }}</p><table>
{% for o in rows %}<tr><td><a href="{{ o.get_absolute_url }}">{{ o.name }}</a></td>
<td>{{ o.get_kind_display }}</td><td>{{ o.place.name|default:"" }}</td></tr>{% endfor %}
</table></body></html>"""


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bare_view(request):
    """The same query as the directory page, rendered as a plain table."""
    from django.core.paginator import Paginator
    from django.http import HttpResponse
    from django.template import Context, Template

    from directory import queries, search

    organizations = queries.organizations_listed_for(request.user)
    organizations = queries.filter_organizations(
        organizations,
        kind=request.GET["kind"],
        cluster_member=request.GET["cluster_member"],
    )
    organizations = search.search_organizations(organizations, request.GET["q"])
    page = Paginator(organizations, 20).get_page(1)
    html = Template(BARE_TEMPLATE).render(
        Context({"rows": page.object_list, "total": page.paginator.count})
    )
    return HttpResponse(html)


def ensure_database():
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]
        ).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=150)
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import clear_url_caches, path

    import config.urls
    from bench.make_organizations import make_organizations
    from directory.models import Organization

    call_command("migrate", verbosity=0)
    missing = args.rows - Organization.objects.count()
    if missing > 0:
        make_organizations(missing)
    print(f"{Organization.objects.count()} organizations in {DB_NAME}")

    module = sys.modules[__name__]
    module.urlpatterns = [path("bare/", bare_view), *config.urls.urlpatterns]
    settings.ROOT_URLCONF = module
    clear_url_caches()

    client = Client()
    page_times, bare_times, rows_seen = [], [], []
    for run in range(args.runs + 10):
        params = {
            "q": QUERIES[run % len(QUERIES)],
            "kind": KINDS[run % len(KINDS)],
            "cluster_member": "yes",
        }
        timings = {}
        # Alternate which goes first, so neither always gets the warmer cache.
        order = ("page", "bare") if run % 2 else ("bare", "page")
        for which in order:
            url = "/uk/directory/" if which == "page" else "/bare/"
            began = time.perf_counter()
            response = client.get(url, params)
            timings[which] = time.perf_counter() - began
            assert response.status_code == 200, (url, response.status_code)
            if which == "bare":
                rows_seen.append(response.content.count(b"<tr>"))
        if run >= 10:  # the first runs warm the analyzer, connection and templates
            page_times.append(timings["page"] * 1000)
            bare_times.append(timings["bare"] * 1000)

    p50_page, p95_page = percentile(page_times, 0.5), percentile(page_times, 0.95)
    p50_bare, p95_bare = percentile(bare_times, 0.5), percentile(bare_times, 0.95)
    rows = statistics.mean(rows_seen)
    print(f"runs: {len(page_times)}, rows per page (mean, bare view): {rows:.1f}")
    print(f"bare view   p50 {p50_bare:7.1f} ms   p95 {p95_bare:7.1f} ms")
    print(f"whole page  p50 {p50_page:7.1f} ms   p95 {p95_page:7.1f} ms")
    p50_ratio, p95_ratio = p50_page / p50_bare, p95_page / p95_bare
    print(
        f"ratio page/bare  p50 {p50_ratio:.2f}x   p95 {p95_ratio:.2f}x  (target 1.5x)"
    )


if __name__ == "__main__":
    main()
