"""Finding events: the list, the month calendar, an event's page."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core import jsonld
from core.pagination import paginate
from core.views import render_page
from events import permissions, queries, structured_data
from events.filters import EventFilter
from events.forms import RegistrationForm
from events.models import Event, Registration


def _visible_event(request, slug: str, *, may=None) -> Event:
    """The event the user may see (else 404); with `may`, a predicate on the user
    and the event that must also hold (else 403)."""
    event = get_object_or_404(queries.events_visible_to(request.user), slug=slug)
    if may is not None and not may(request.user, event):
        raise PermissionDenied
    return event


@require_GET
def event_list(request):
    """Upcoming or past events, filtered by kind and words; htmx-aware."""
    filterset = EventFilter(
        request.GET, queryset=queries.events_visible_to(request.user)
    )
    events = queries.with_own_registration(
        queries.with_counts(filterset.qs), request.user
    )
    page = paginate(request, events)
    context = {
        "form": filterset.form,
        "filters": filterset.values(),
        "page": page,
        "events": page.object_list,
        "total": page.paginator.count,
        "can_create": permissions.can_create_event(request.user),
    }
    return render_page(request, "events/event_list.html", context)


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    is_today: bool
    events: list = field(default_factory=list)


def _month_grid(year: int, month: int, events, zone) -> list[list[Day]]:
    today = timezone.now().astimezone(zone).date()
    weeks = []
    by_date: dict[datetime.date, Day] = {}
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row = []
        for date in week:
            day = Day(date, date.month == month, date == today)
            by_date[date] = day
            row.append(day)
        weeks.append(row)
    for event in events:
        first = event.starts_at.astimezone(zone).date()
        last = event.ends_at.astimezone(zone).date()
        date = first
        while date <= last:
            if date in by_date:
                by_date[date].events.append(event)
            date += datetime.timedelta(days=1)
    return weeks


@require_GET
def event_month(request, year: int | None = None, month: int | None = None):
    """A month of events in the viewer's time zone: a grid, a list on a phone."""
    zone = timezone.get_current_timezone()
    if year is None or month is None:
        now = timezone.now().astimezone(zone)
        year, month = now.year, now.month
    if not (1 <= month <= 12 and 1900 < year < 2200):
        raise Http404
    grid = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    events = list(
        queries.with_own_registration(
            queries.events_between(
                queries.events_visible_to(request.user), grid[0][0], grid[-1][-1], zone
            ),
            request.user,
        )
    )
    first = datetime.date(year, month, 1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    weekdays = [
        datetime.date(2024, 1, 1) + datetime.timedelta(days=n) for n in range(7)
    ]  # 1 January 2024 was a Monday
    context = {
        "weeks": _month_grid(year, month, events, zone),
        "events": events,
        "in_month": [
            event
            for event in events
            if event.starts_at.astimezone(zone).date() < following
            and event.ends_at.astimezone(zone).date() >= first
        ],
        "month": first,
        "previous": previous,
        "following": following,
        "weekdays": weekdays,
        "zone_name": timezone.get_current_timezone_name(),
        "can_create": permissions.can_create_event(request.user),
    }
    return render(request, "events/event_month.html", context)


@require_GET
def event_detail(request, slug: str):
    """An event: times in its zone and the viewer's, places left, registration."""
    # The counts come with the event's row, not two more COUNT queries.
    event = get_object_or_404(
        queries.with_counts(queries.events_visible_to(request.user)), slug=slug
    )
    registration = queries.registration_of(request.user, event)
    if (
        registration is not None
        and registration.status == Registration.Status.CANCELLED
    ):
        active_registration = None
    else:
        active_registration = registration
    confirmed = event.confirmed_count
    places_left = (
        max(event.capacity - confirmed, 0) if event.capacity is not None else None
    )
    context = {
        "event": event,
        "registration": active_registration,
        "waitlist_position": (
            queries.waitlist_position(active_registration)
            if active_registration
            else None
        ),
        "confirmed": confirmed,
        "places_left": places_left,
        "waitlist_count": event.waitlist_count,
        "can_register": active_registration is None
        and permissions.can_register(request.user, event),
        "can_give_up_place": active_registration is not None
        and permissions.can_give_up_place(request.user, active_registration),
        "may_register_after_sign_in": permissions.may_register_after_sign_in(
            request.user, event
        ),
        "can_edit": permissions.can_edit_event(request.user, event),
        "can_publish": permissions.can_publish_event(request.user, event),
        "can_cancel": permissions.can_cancel_event(request.user, event),
        "registration_form": RegistrationForm(user=request.user),
        "is_past": event.ends_at < timezone.now(),
        "jsonld": jsonld.script_body(
            structured_data.event_jsonld(
                event,
                absolute=request.build_absolute_uri,
                places_left=places_left,
            )
        )
        if event.is_listed
        else "",
    }
    return render(request, "events/event_detail.html", context)
