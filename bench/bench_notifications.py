"""Notification centre benchmark: the whole page against a bare view, one run.

    .venv/bin/python bench/bench_notifications.py [--rows 10000] [--runs 150]

Uses the PostgreSQL database `mist_bench_notifications` (BENCH_DB overrides it) and
fills it with one person holding `--rows` notifications (half unread), and 200
other people holding `--others` between them (so the planner sees a shared table).
Signed in as that person, it requests through Django's test client and the whole
middleware stack:
  - the real notification centre, /uk/notifications/?page=N (20 rows, unread marks,
    pagination, the site layout);
  - a bare view that runs the same query (notifications_visible_to, the same page of
    20 rows and the count) and renders the same rows as a plain HTML table;
  - the bell, /uk/notifications/bell/, which every signed-in page fetches after
    itself (htmx) for the unread count.
Requests alternate so both see the same machine state. Prints p50 and p95 of each
and their ratios, and the unread-count query's plan. Target: the page within 1.5x.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = os.environ.get("BENCH_DB", "mist_bench_notifications")
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TASKS_MODE", "eager")
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"

EMAIL = "bench-notifications@example.org"
PAGES = 40  # pages visited in turn, so OFFSET varies as it does for a reader

BARE_TEMPLATE = """<!doctype html><html lang="uk"><head><meta charset="utf-8">
<title>bare</title></head><body><p>{{ total }}</p><table>
{% for n in rows %}<tr><td><a href="/n/{{ n.pk }}/">{{ n.title }}</a></td>
<td>{% if not n.read_at %}new{% endif %}</td><td>{{ n.created_at }}</td></tr>
{% endfor %}
</table></body></html>"""


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bare_view(request):
    """The same query as the notification centre, rendered as a plain table."""
    from django.core.paginator import Paginator
    from django.http import HttpResponse
    from django.template import Context, Template

    from notifications import queries

    notifications = queries.notifications_visible_to(request.user)
    page = Paginator(notifications, 20).get_page(request.GET.get("page"))
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


def fill(rows: int, others: int):
    import datetime

    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from notifications.models import Notification

    person, _created = User.objects.get_or_create(
        email=EMAIL, defaults={"full_name": "Bench Reader"}
    )
    missing = rows - Notification.objects.filter(user=person).count()
    start = timezone.now() - datetime.timedelta(days=365)
    batch = [
        Notification(
            user=person,
            kind="event",
            title=f"Подію {i} перенесено на інший день",
            link=f"/uk/events/e/event-{i}/",
            created_at=start + datetime.timedelta(minutes=i),
            read_at=None if i % 2 else start,
        )
        for i in range(max(missing, 0))
    ]
    Notification.objects.bulk_create(batch, batch_size=2000)
    if not User.objects.filter(email__startswith="bench-other-").exists():
        people = User.objects.bulk_create(
            User(email=f"bench-other-{i}@example.org") for i in range(200)
        )
        Notification.objects.bulk_create(
            (
                Notification(
                    user=people[i % 200],
                    kind="event",
                    title=f"Інша подія {i}",
                    created_at=start + datetime.timedelta(minutes=i),
                    read_at=None if i % 3 else start,
                )
                for i in range(others)
            ),
            batch_size=2000,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE notifications_notification")
    return person


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--others", type=int, default=40_000)
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
    from notifications.models import Notification

    call_command("migrate", verbosity=0)
    person = fill(args.rows, args.others)
    total = Notification.objects.filter(user=person).count()
    print(f"{total} notifications for one person in {DB_NAME}")
    from notifications.queries import UNREAD_SHOWN

    unread = Notification.objects.filter(user=person, read_at__isnull=True).order_by()
    plan = unread[: UNREAD_SHOWN + 1].explain().splitlines()
    print("unread count plan:", " | ".join(line.strip() for line in plan[:3]))

    module = sys.modules[__name__]
    module.urlpatterns = [path("bare/", bare_view), *config.urls.urlpatterns]
    settings.ROOT_URLCONF = module
    clear_url_caches()

    client = Client()
    client.force_login(person)
    page_times, bare_times, bell_times = [], [], []
    for run in range(args.runs + 10):
        params = {"page": run % PAGES + 1}
        timings = {}
        order = ("page", "bare") if run % 2 else ("bare", "page")
        for which in order:
            url = "/uk/notifications/" if which == "page" else "/bare/"
            began = time.perf_counter()
            response = client.get(url, params)
            timings[which] = time.perf_counter() - began
            assert response.status_code == 200, (url, response.status_code)
        began = time.perf_counter()
        assert client.get("/uk/notifications/bell/").status_code == 200
        timings["bell"] = time.perf_counter() - began
        if run >= 10:  # warm the connection and templates first
            page_times.append(timings["page"] * 1000)
            bare_times.append(timings["bare"] * 1000)
            bell_times.append(timings["bell"] * 1000)

    p50_page, p95_page = percentile(page_times, 0.5), percentile(page_times, 0.95)
    p50_bare, p95_bare = percentile(bare_times, 0.5), percentile(bare_times, 0.95)
    print(f"runs: {len(page_times)}, pages 1..{PAGES} in turn, 20 rows each")
    print(f"bare view   p50 {p50_bare:7.1f} ms   p95 {p95_bare:7.1f} ms")
    print(f"whole page  p50 {p50_page:7.1f} ms   p95 {p95_page:7.1f} ms")
    p50_bell, p95_bell = percentile(bell_times, 0.5), percentile(bell_times, 0.95)
    print(f"bell        p50 {p50_bell:7.1f} ms   p95 {p95_bell:7.1f} ms")
    p50_ratio, p95_ratio = p50_page / p50_bare, p95_page / p95_bare
    print(
        f"ratio page/bare  p50 {p50_ratio:.2f}x   p95 {p95_ratio:.2f}x  (target 1.5x)"
    )


if __name__ == "__main__":
    main()
