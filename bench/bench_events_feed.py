"""iCalendar feed benchmark: the public events feed, with its VTIMEZONEs, against
the same events written in UTC without any VTIMEZONE, one run.

    .venv/bin/python bench/bench_events_feed.py [--events 1000] [--runs 15]

Events (in memory, no database) spread over three years in three zones (Kyiv,
Denver, Los Angeles), so the feed crosses many daylight-saving changes. Prints p50
and p95 of building the whole feed both ways, their ratio, the feed's size, and
checks that the feed parses back with every instant unchanged.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TASKS_MODE", "eager")

ZONES = ["Europe/Kyiv", "America/Denver", "America/Los_Angeles"]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def make_events(count: int):
    from directory.models import Organization
    from events.models import Event

    organizer = Organization(name_uk="Кластер", name_en="Cluster", email="a@b.c")
    start = datetime.datetime(2026, 1, 1, 8, tzinfo=datetime.UTC)
    events = []
    for n in range(count):
        zone = ZONES[n % len(ZONES)]
        day = start + datetime.timedelta(days=n * 1096 // count, hours=n % 9)
        starts = day.replace(minute=(n % 4) * 15)
        event = Event(
            pk=n + 1,
            slug=f"event-{n}",
            kind=Event.Kind.MEETUP,
            title_uk=f"Подія {n}",
            title_en=f"Event {n}",
            description_uk="Опис події." * 5,
            description_en="About the event." * 5,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3),
            time_zone=zone,
            venue_uk="Харків",
            organizer=organizer,
            status=Event.Status.PUBLISHED,
            sequence=n % 3,
        )
        event.created_at = event.updated_at = start
        events.append(event)
    return events


def utc_feed(events) -> bytes:
    """Baseline: the same components, times in UTC, no VTIMEZONE."""
    import icalendar

    from events import ical

    calendar = icalendar.Calendar()
    calendar.add("prodid", ical.PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for event in events:
        component = ical.event_component(event)
        del component["dtstart"]
        del component["dtend"]
        component.add("dtstart", event.starts_at.astimezone(datetime.UTC))
        component.add("dtend", event.ends_at.astimezone(datetime.UTC))
        calendar.add_component(component)
    return calendar.to_ical()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    import django

    django.setup()
    import icalendar
    from django.utils import translation

    from events import ical

    translation.activate("en")
    events = make_events(args.events)
    ical.public_calendar(events[:3])  # warm up: URL resolver, imports
    feed_times, base_times = [], []
    body = b""
    for _run in range(args.runs):
        began = time.perf_counter()
        body = ical.public_calendar(events)
        feed_times.append(time.perf_counter() - began)
        began = time.perf_counter()
        utc_feed(events)
        base_times.append(time.perf_counter() - began)

    parsed = icalendar.Calendar.from_ical(body)
    instants = {
        str(c["UID"]): c.decoded("DTSTART").astimezone(datetime.UTC)
        for c in parsed.walk("VEVENT")
    }
    wrong = sum(
        instants[ical.event_uid(e)] != e.starts_at.astimezone(datetime.UTC)
        for e in events
    )
    zones = sorted(str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE"))
    p50, p95 = percentile(feed_times, 0.5), percentile(feed_times, 0.95)
    b50, b95 = percentile(base_times, 0.5), percentile(base_times, 0.95)
    print(f"events: {args.events}, runs: {args.runs}, zones: {', '.join(zones)}")
    print(f"feed with VTIMEZONE: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")
    print(f"UTC baseline:        p50 {b50 * 1000:.1f} ms, p95 {b95 * 1000:.1f} ms")
    print(f"ratio p50 {p50 / b50:.2f}x, p95 {p95 / b95:.2f}x")
    print(
        f"feed size {len(body) / 1024:.0f} KiB; instants wrong after parsing: {wrong}"
    )
    print(f"mean per event {statistics.mean(feed_times) / args.events * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
