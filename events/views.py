"""Pages of the events app: the calendar, an event, registration, organizing."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import is_cluster_staff
from accounts.queries import edited_organization_ids
from core.exports import csv_chunks, download
from core.pagination import paginate
from directory.models import Organization
from events import exports, ical, permissions, queries, services
from events.forms import EventFilterForm, EventForm, RegistrationForm
from events.models import CalendarToken, Event, Registration


def _visible_event(request, slug: str) -> Event:
    return get_object_or_404(queries.events_visible_to(request.user), slug=slug)


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def event_list(request):
    """Upcoming or past events, filtered by kind and words; htmx-aware."""
    form = EventFilterForm(request.GET or None)
    filters = form.filters()
    events = queries.filter_events(queries.events_visible_to(request.user), **filters)
    events = queries.with_own_registration(queries.with_counts(events), request.user)
    page = paginate(request, events)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "events": page.object_list,
        "total": page.paginator.count,
        "can_create": permissions.can_create_event(request.user),
    }
    template = "events/event_list.html"
    if request.htmx and not request.htmx.boosted:
        return render(request, f"{template}#results", context)
    return render(request, template, context)


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
    event = _visible_event(request, slug)
    registration = queries.registration_of(request.user, event)
    if (
        registration is not None
        and registration.status == Registration.Status.CANCELLED
    ):
        active_registration = None
    else:
        active_registration = registration
    confirmed = queries.confirmed_count(event)
    context = {
        "event": event,
        "registration": active_registration,
        "waitlist_position": (
            queries.waitlist_position(active_registration)
            if active_registration
            else None
        ),
        "confirmed": confirmed,
        "places_left": (
            max(event.capacity - confirmed, 0) if event.capacity is not None else None
        ),
        "waitlist_count": event.registrations.filter(
            status=Registration.Status.WAITLISTED
        ).count(),
        "can_register": active_registration is None
        and permissions.can_register(request.user, event),
        "can_edit": permissions.can_edit_event(request.user, event),
        "can_publish": permissions.can_publish_event(request.user, event),
        "can_cancel": permissions.can_cancel_event(request.user, event),
        "registration_form": RegistrationForm(user=request.user),
        "is_past": event.ends_at < timezone.now(),
    }
    return render(request, "events/event_detail.html", context)


@login_required
@require_POST
def event_register(request, slug: str):
    event = _visible_event(request, slug)
    if not permissions.can_register(request.user, event):
        raise PermissionDenied
    form = RegistrationForm(request.POST, user=request.user)
    organization = form.cleaned_data["organization"] if form.is_valid() else None
    try:
        registration = services.register(event, request.user, organization=organization)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(event)
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("You are registered. See you there!"))
    else:
        messages.info(
            request,
            _(
                "The event is full: you are on the waiting list and will move up "
                "automatically when a place opens; we will e-mail you."
            ),
        )
    return redirect(event)


@login_required
@require_http_methods(["GET", "POST"])
def registration_cancel(request, slug: str):
    """Give up one's own place, after confirming."""
    event = _visible_event(request, slug)
    registration = queries.registration_of(request.user, event)
    if registration is None or not permissions.can_cancel_registration(
        request.user, registration
    ):
        raise Http404
    if request.method == "POST":
        services.cancel_registration(registration, by=request.user)
        messages.success(request, _("Your registration is cancelled."))
        return redirect(event)
    return render(
        request,
        "events/registration_cancel.html",
        {"event": event, "registration": registration},
    )


@login_required
@require_GET
def my_events(request):
    """The person's registrations, upcoming first, and their calendar feed."""
    now = timezone.now()
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    registrations = queries.registrations_of(request.user)
    if when == "past":
        registrations = registrations.filter(event__ends_at__lt=now).order_by(
            "-event__starts_at", "-pk"
        )
    else:
        registrations = registrations.filter(event__ends_at__gte=now)
    page = paginate(request, registrations)
    token = services.calendar_token_of(request.user)
    feed_url = request.build_absolute_uri(
        reverse("events:personal-feed", kwargs={"token": token.token})
    )
    context = {
        "page": page,
        "registrations": page.object_list,
        "when": when,
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
    }
    return render(request, "events/my_events.html", context)


@login_required
@require_POST
def calendar_token_regenerate(request):
    services.regenerate_calendar_token(request.user)
    messages.success(
        request,
        _("Your calendar address is new; the old one no longer works."),
    )
    return redirect("events:my-events")


def _organizers_for(user, *, keep=None):
    """Organizations `user` may organize events for (plus `keep`, the current one)."""
    organizations = Organization.objects.alive().order_by("name_uk")
    if is_cluster_staff(user):
        return organizations
    return organizations.filter(Q(pk__in=edited_organization_ids(user)) | Q(pk=keep))


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    if not permissions.can_create_event(request.user):
        raise PermissionDenied
    form = EventForm(request.POST or None, organizers=_organizers_for(request.user))
    if form.is_valid():
        try:
            event = services.create_event(by=request.user, **form.event_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The event is saved as a draft. Publish it when ready.")
            )
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, slug: str):
    event = _visible_event(request, slug)
    if not permissions.can_edit_event(request.user, event):
        raise PermissionDenied
    organizers = _organizers_for(request.user, keep=event.organizer_id)
    form = EventForm(request.POST or None, instance=event, organizers=organizers)
    if form.is_valid():
        try:
            services.update_event(event, by=request.user, **form.event_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
def event_publish(request, slug: str):
    event = _visible_event(request, slug)
    if not permissions.can_publish_event(request.user, event):
        raise PermissionDenied
    services.publish_event(event, by=request.user)
    messages.success(request, _("The event is published."))
    return redirect(event)


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel(request, slug: str):
    """Cancel an event after confirming; everyone registered is told."""
    event = _visible_event(request, slug)
    if not permissions.can_cancel_event(request.user, event):
        raise PermissionDenied
    if request.method == "POST":
        services.cancel_event(event, by=request.user)
        messages.success(
            request, _("The event is cancelled; everyone registered is told by e-mail.")
        )
        return redirect(event)
    registered = event.registrations.exclude(
        status=Registration.Status.CANCELLED
    ).count()
    return render(
        request, "events/event_cancel.html", {"event": event, "registered": registered}
    )


@login_required
@require_GET
def event_participants(request, slug: str):
    """Who registered, for the organizer: confirmed first, then the waiting list."""
    event = _visible_event(request, slug)
    if not permissions.can_see_participants(request.user, event):
        raise PermissionDenied
    status = request.GET.get("status", "")
    participants = queries.participants_of(event)
    if status in Registration.Status.values:
        participants = participants.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        participants = participants.filter(
            Q(user__full_name__icontains=q)
            | Q(user__email__icontains=q)
            | Q(organization__name_uk__icontains=q)
            | Q(organization__name_en__icontains=q)
        )
    page = paginate(request, participants, per_page=50)
    context = {
        "event": event,
        "page": page,
        "participants": page.object_list,
        "status": status,
        "q": q,
        "statuses": Registration.Status.choices,
    }
    return render(request, "events/event_participants.html", context)


@login_required
@require_GET
def event_participants_csv(request, slug: str):
    event = _visible_event(request, slug)
    if not permissions.can_see_participants(request.user, event):
        raise PermissionDenied
    return download(
        csv_chunks(exports.participant_rows(event)), filename=f"{event.slug}.csv"
    )


@require_GET
def event_ics(request, slug: str):
    """One event as an .ics file."""
    event = _visible_event(request, slug)
    return _ics_response(ical.event_calendar(event), f"{event.slug}.ics")


@require_GET
def public_feed(request):
    """Every listed event, in the language of the URL, for calendar apps."""
    since = timezone.now() - datetime.timedelta(days=365)
    events = queries.public_events().filter(ends_at__gte=since).order_by("starts_at")
    language = translation.get_language()
    return _ics_response(ical.public_calendar(events), f"mist-events-{language}.ics")


@require_GET
def personal_feed(request, token: str):
    """A person's registrations (and meetings): the secret token is the key."""
    calendar_token = (
        CalendarToken.objects.select_related("user").filter(token=token).first()
    )
    if calendar_token is None or not calendar_token.user.is_active:
        raise Http404
    user = calendar_token.user
    registrations = queries.registrations_of(user).filter(status__in=queries.ACTIVE)
    # A private event a person lost access to stays out of their feed.
    registrations = registrations.filter(event__in=queries.events_visible_to(user))
    with timezone.override(user.time_zone):
        body = ical.personal_calendar(user, registrations)
    response = _ics_response(body, "mist-my-events.ics")
    response["Cache-Control"] = "private, no-store"
    return response
