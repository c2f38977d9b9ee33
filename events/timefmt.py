"""Event times as words: in the event's zone, and the reader's when it differs."""

from django.utils import formats
from django.utils.translation import gettext as _

from events.models import Event
from events.queries import TimeRange, times_of


def _date(value) -> str:
    return formats.date_format(value, "D, j E Y")


def _time(value) -> str:
    return value.strftime("%H:%M")


def range_text(time_range: TimeRange, *, with_date: bool = True) -> str:
    """ "Tue, 12 May 2027, 10:00–18:00" or, over several days, both ends in full."""
    starts, ends = time_range.starts, time_range.ends
    if time_range.same_day:
        times = f"{_time(starts)}–{_time(ends)}"
        return f"{_date(starts)}, {times}" if with_date else times
    return f"{_date(starts)}, {_time(starts)} – {_date(ends)}, {_time(ends)}"


def event_time_text(event: Event, viewer_zone: str | None) -> str:
    """ "Tue, 12 May 2027, 10:00–18:00 Kyiv time (01:00–09:00 in Denver, your
    time)"."""
    times = times_of(event, viewer_zone)
    text = _("%(range)s %(city)s time") % {
        "range": range_text(times.local),
        "city": times.local.city,
    }
    if times.viewer is not None:
        same_date = (
            times.viewer.same_day
            and times.viewer.starts.date() == times.local.starts.date()
        )
        text += " " + _("(%(range)s in %(city)s, your time)") % {
            "range": range_text(times.viewer, with_date=not same_date),
            "city": times.viewer.city,
        }
    return text
