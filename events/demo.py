"""Demo data of this app, loaded by `manage.py seed_demo` (MIST_DEMO_SEEDERS).

Eight events around today (two past, six ahead), organized by demo organizations;
the Albuquerque delegation visit is full, with two people on its waiting list.
Running it again changes nothing."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.queries import edited_organization_ids
from core import demo
from directory.models import Organization
from events.models import Event, Registration

# Events: `organizer` is a key of _organizers() (found by the cluster's name and the
# partner's locality below), `days_ahead` counts from today, `start` is local time in
# `zone` (the site's time zone when absent), `registrants` how many demo users
# register, in the order of DEMO_USERS.
DATA = demo.load(__file__)
DEMO_USERS = DATA["users"]
# The keys of an event in the data that are not fields of Event.
NOT_FIELDS = {
    "slug",
    "organizer",
    "days_ahead",
    "start",
    "hours",
    "zone",
    "registrants",
}


def _organizers() -> dict[str, Organization] | None:
    verified = Organization.objects.alive().filter(
        verification=Organization.Verification.VERIFIED
    )
    fallback = verified.order_by("pk").first()
    if fallback is None:
        return None
    editor = User.objects.filter(email="editor@mist.local").first()
    edited = Organization.objects.filter(pk__in=edited_organization_ids(editor))
    partners = verified.filter(kind=Organization.Kind.FOREIGN_PARTNER)
    return {
        "cluster": verified.filter(name_uk__icontains=DATA["cluster_name_uk"]).first()
        or fallback,
        "city": verified.filter(kind=Organization.Kind.CITY_BODY).first() or fallback,
        "partner": partners.filter(locality__icontains=DATA["partner_locality"]).first()
        or partners.first()
        or fallback,
        # The first organization the demo editor was given (they go by slug).
        "editor": edited.order_by("slug").first() or fallback,
    }


def _zone(spec: dict) -> str:
    return spec.get("zone", settings.TIME_ZONE)


def _starts(spec: dict, today: datetime.date) -> datetime.datetime:
    day = today + datetime.timedelta(days=spec["days_ahead"])
    return demo.at(day, spec["start"], _zone(spec))


@transaction.atomic
def seed_demo() -> str:
    """Create the app's demo data once; return a one-line summary for the console."""
    organizers = _organizers()
    if organizers is None:
        return "events: no organizations yet, skipped"
    users = {u.email: u for u in User.objects.filter(email__in=DEMO_USERS)}
    people = [users[email] for email in DEMO_USERS if email in users]
    staff = users.get("staff@mist.local")
    today = timezone.localdate()
    created = registered = 0
    for spec in DATA["events"]:
        starts = _starts(spec, today)
        event, is_new = Event.objects.get_or_create(
            slug=spec["slug"],
            defaults={k: v for k, v in spec.items() if k not in NOT_FIELDS}
            | {
                "organizer": organizers[spec["organizer"]],
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=spec["hours"]),
                "time_zone": _zone(spec),
                "status": Event.Status.PUBLISHED,
                "is_public": True,
                "created_by": staff,
            },
        )
        created += is_new
        if not is_new:
            continue
        confirmed = 0
        capacity = spec.get("capacity")
        for person in people[: spec.get("registrants", 0)]:
            full = capacity is not None and confirmed >= capacity
            status = (
                Registration.Status.WAITLISTED
                if full
                else Registration.Status.CONFIRMED
            )
            confirmed += not full
            Registration.objects.create(event=event, user=person, status=status)
            registered += 1
    return f"events: {created} events created, {registered} registrations"
