"""iCalendar: one event, the public feed, a person's private feed."""

import datetime

from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from events import ical, queries
from events.models import CalendarToken
from events.views.browsing import _visible_event


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
    body = ical.public_calendar(events, source=request.build_absolute_uri())
    return _ics_response(body, f"mist-events-{language}.ics")


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
        body = ical.personal_calendar(
            user, registrations, source=request.build_absolute_uri()
        )
    response = _ics_response(body, "mist-my-events.ics")
    response["Cache-Control"] = "private, no-store"
    return response
