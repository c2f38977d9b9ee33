"""Demo data of this app, loaded by `manage.py seed_demo` (MIST_DEMO_SEEDERS).

One Silicon Valley delegation (its members in America/Los_Angeles) hosted by the demo
staff member in three weeks: a programme of travel, the forum, meals and a meeting at
the city council, and invitations to two local demo companies that share its
interests (one accepted, so a company visit is in the programme). Idempotent.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import demo

DATA = demo.load(__file__)


def _members():
    from accounts.models import User

    people = []
    for row in DATA["members"]:
        user = User.objects.filter(email=row["email"]).first()
        if user is None and "full_name" in row:
            user = demo.account(
                row["email"],
                full_name=row["full_name"],
                role=row["role"],
                preferred_language=row["language"],
            )
        if user is not None:
            if user.time_zone != DATA["zone"]:
                user.time_zone = DATA["zone"]
                user.save(update_fields=["time_zone"])
            people.append(user)
    return people


def _invite(visit, companies, day: dt.date) -> None:
    """Invite each company for an afternoon visit on `day`; the first accepted, so
    its visit is in the programme."""
    from visits.models import ProgrammeItem, VisitInvitation

    for index, company in enumerate(companies):
        starts = demo.at(day, f"{14 + 2 * index}:00")
        invitation = VisitInvitation.objects.create(
            visit=visit,
            organization=company,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1, minutes=30),
            message=DATA["invitation_message"],
            invited_by=visit.host,
        )
        if index == 0:
            invitation.status = VisitInvitation.Status.ACCEPTED
            invitation.answered_at = timezone.now()
            invitation.item = ProgrammeItem.objects.create(
                visit=visit,
                kind=ProgrammeItem.Kind.COMPANY_VISIT,
                title_uk=company.name_uk,
                title_en=company.name_en or "",
                place=company.address,
                starts_at=invitation.starts_at,
                ends_at=invitation.ends_at,
                organization=company,
            )
            invitation.save()


def seed_demo() -> str:
    """Create the app's demo data once; return a one-line summary for the console."""
    from directory.models import Organization, Tag
    from visits.models import ProgrammeItem, Visit, VisitMember

    partner = Organization.objects.filter(is_demo=True, name_en=DATA["partner"]).first()
    host = demo.user(DATA["host"])
    if partner is None or host is None:
        return "visits: no demo partner or host"
    if Visit.objects.filter(organization=partner).exists():
        return "visits: delegation already there"
    first = timezone.localdate() + dt.timedelta(days=21)
    tags = list(Tag.objects.filter(slug__in=DATA["tags"]))
    with transaction.atomic():
        visit = Visit.objects.create(
            **DATA["visit"],
            organization=partner,
            starts_on=first,
            ends_on=first + dt.timedelta(days=2),
            host=host,
            status=Visit.Status.PLANNED,
        )
        visit.tags.set(tags)
        members = _members()
        VisitMember.objects.bulk_create(
            VisitMember(visit=visit, user=user) for user in members
        )
        for row in DATA["items"]:
            day = first + dt.timedelta(days=row["day"])
            ProgrammeItem.objects.create(
                visit=visit,
                kind=row["kind"],
                title_uk=row["title_uk"],
                title_en=row["title_en"],
                place=row["place"],
                starts_at=demo.at(day, row["start"]),
                ends_at=demo.at(day, row["end"]),
            )
        companies = list(
            Organization.objects.filter(
                is_demo=True,
                country=settings.MIST_HOME_COUNTRY,
                kind=Organization.Kind.IT_COMPANY,
                verification=Organization.Verification.VERIFIED,
                tags__in=tags,
            )
            .distinct()
            .order_by("slug")[: DATA["invitations"]]
        )
        _invite(visit, companies, first + dt.timedelta(days=1))
    return (
        f"visits: Silicon Valley delegation of {len(members)} with "
        f"{visit.items.count()} programme items and {len(companies)} invitations"
    )
