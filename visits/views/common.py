"""What the visit pages share: fetching a visit the reader may see, and the
programme by day with times in the deployment's zone and the people's own."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from core.timezones import zone_city
from core.views import visible_or_404
from meetings.timewindows import zone_of
from visits import permissions, queries
from visits.models import Visit


def visible_visit(request, pk: int, *, may=None) -> Visit:
    """The visit if the reader may see it; 404 otherwise (missing or hidden);
    with `may`, 403 unless that predicate holds too."""
    user = request.user
    return visible_or_404(
        user,
        queries.visits_visible_to(user),
        pk,
        can_view=permissions.can_view_visit,
        may=may,
    )


def managed_visit(request, pk: int) -> Visit:
    """The visit if the reader runs it: 404 when hidden, 403 when only visible."""
    return visible_visit(request, pk, may=permissions.can_manage_visit)


@dataclass
class Zone:
    key: str
    label: str


@dataclass
class Row:
    item: object
    times: list = field(default_factory=list)  # (start, end) naive, per zone


def zones_for(visit: Visit, viewer) -> list[Zone]:
    """The deployment's zone first, then each member's own, then the viewer's."""
    keys = [settings.TIME_ZONE]
    members = visit.members.select_related("user").order_by("pk")
    for key in [zone_of(m.user).key for m in members] + [zone_of(viewer).key]:
        if key not in keys:
            keys.append(key)
    return [Zone(key, zone_city(key)) for key in keys]


def programme_days(items, zones: list[Zone]) -> list[tuple]:
    """[(day in the deployment's zone, [Row])] in order."""
    import zoneinfo

    here = timezone.get_default_timezone()
    infos = [zoneinfo.ZoneInfo(z.key) for z in zones]
    days = defaultdict(list)
    for item in items:
        row = Row(item)
        for zone in infos:
            row.times.append(
                (
                    item.starts_at.astimezone(zone).replace(tzinfo=None),
                    item.ends_at.astimezone(zone).replace(tzinfo=None),
                )
            )
        days[item.starts_at.astimezone(here).date()].append(row)
    return sorted(days.items())


def visit_context(request, visit: Visit, **extra) -> dict:
    """What every page of one visit shows: its tabs and the host city's zone."""
    user = request.user
    return {
        "visit": visit,
        "can_manage": permissions.can_manage_visit(user, visit),
        "can_report": permissions.can_view_report(user, visit),
        "invited_ids": permissions.invited_organization_ids(user, visit),
        "site_zone": zone_city(settings.TIME_ZONE),
        "site_zone_key": settings.TIME_ZONE,
        **extra,
    }
