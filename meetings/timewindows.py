"""Working-hour windows two people share, across time zones and daylight-saving changes.

Each person's working hours are local wall-clock times in their own zone
(`User.time_zone`). A weekday's hours become aware datetimes through zoneinfo on that
very date, so a window moves by an hour for the weeks when one country has switched its
clocks and the other has not (the US moves in March and November one to three weeks
before Europe). All intervals returned are in UTC.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

UTC = dt.UTC
# Hours assumed for a person who has not stated any: Monday to Friday, 9:00–18:00.
DEFAULT_HOURS = [(weekday, dt.time(9), dt.time(18)) for weekday in range(5)]


@dataclass(frozen=True)
class Window:
    """A stretch of time both people are working, in UTC."""

    start: dt.datetime
    end: dt.datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def contains(self, start: dt.datetime, end: dt.datetime) -> bool:
        return self.start <= start and end <= self.end


def zone_of(user) -> zoneinfo.ZoneInfo:
    """The user's zone, the site's (TIME_ZONE) when it is missing or unknown."""
    try:
        return zoneinfo.ZoneInfo(user.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def hours_of(user) -> list[tuple[int, dt.time, dt.time]]:
    """(weekday, start, end) rows of the user's stated hours, or the default ones."""
    rows = [(h.weekday, h.start, h.end) for h in user.working_hours.all()]
    return rows or DEFAULT_HOURS


def working_intervals(user, start: dt.datetime, end: dt.datetime) -> list[Window]:
    """The user's working hours between `start` and `end` (aware), as UTC windows."""
    zone = zone_of(user)
    by_weekday: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for weekday, begin, finish in hours_of(user):
        by_weekday.setdefault(weekday, []).append((begin, finish))
    first = start.astimezone(zone).date() - dt.timedelta(days=1)
    last = end.astimezone(zone).date() + dt.timedelta(days=1)
    windows = []
    day = first
    while day <= last:
        for begin, finish in by_weekday.get(day.weekday(), ()):
            local_start = dt.datetime.combine(day, begin, tzinfo=zone)
            local_end = dt.datetime.combine(day, finish, tzinfo=zone)
            w_start = max(local_start.astimezone(UTC), start)
            w_end = min(local_end.astimezone(UTC), end)
            if w_start < w_end:
                windows.append(Window(w_start, w_end))
        day += dt.timedelta(days=1)
    return sorted(windows, key=lambda w: w.start)


def intersect(a: list[Window], b: list[Window]) -> list[Window]:
    """Pairwise overlaps of two sorted window lists."""
    result = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i].start, b[j].start)
        end = min(a[i].end, b[j].end)
        if start < end:
            result.append(Window(start, end))
        if a[i].end < b[j].end:
            i += 1
        else:
            j += 1
    return result


def common_windows(
    user_a, user_b, days: int = 14, *, now: dt.datetime | None = None
) -> list[Window]:
    """Windows in the next `days` days inside both people's working hours (UTC)."""
    start = (now or timezone.now()).astimezone(UTC)
    end = start + dt.timedelta(days=days)
    return intersect(
        working_intervals(user_a, start, end), working_intervals(user_b, start, end)
    )


def within_common_hours(user_a, user_b, start: dt.datetime, end: dt.datetime) -> bool:
    """Whether [start, end) lies inside both people's working hours."""
    margin = dt.timedelta(days=1)
    windows = intersect(
        working_intervals(user_a, start - margin, end + margin),
        working_intervals(user_b, start - margin, end + margin),
    )
    return any(w.contains(start, end) for w in windows)
