"""A person's meetings as iCalendar items for the events app's personal feed."""

import datetime

import icalendar
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.inflection import inflect_name
from core.mail import absolute_url
from events.ical import organizer_property, site_host
from meetings import queries


def personal_component(uid: str, obj, user) -> icalendar.Event:
    """A VEVENT of `user`'s personal feed for `obj` (a meeting, a visit's item:
    its times, `updated_at` and `sequence`), times with the TZID of their zone."""
    from meetings.timewindows import zone_of

    zone = zone_of(user)
    component = icalendar.Event()
    component.add("uid", f"{uid}@{site_host()}")
    component.add("dtstamp", obj.updated_at.astimezone(datetime.UTC))
    component.add("sequence", obj.sequence)
    component.add("dtstart", obj.starts_at.astimezone(zone))
    component.add("dtend", obj.ends_at.astimezone(zone))
    return component


def meeting_component(meeting, user) -> icalendar.Event:
    """One VEVENT for `user`'s meeting."""
    request = meeting.request
    other = request.other_side(user)
    other_org = (
        request.recipient_organization
        if other.pk == request.recipient_id
        else request.requester_organization
    )
    component = personal_component(f"meeting-{meeting.pk}", meeting, user)
    who = other.get_full_name()
    if get_language() == "uk":  # "Зустріч з Юлією Ткач": the name after "з"
        who = inflect_name(who, "instrumental")
    if other_org is not None:
        who = f"{who} ({other_org})"
    component.add("summary", _("Meeting with %(name)s") % {"name": who})
    parts = []
    if request.event_id:
        parts.append(str(request.event.title))
    if meeting.table_id:
        parts.append(_("Table %(name)s") % {"name": meeting.table.name})
    if parts:
        component.add("location", ", ".join(parts))
    url = absolute_url(meeting.get_absolute_url())
    component.add("url", url)
    component.add("description", url)
    component.add("status", "CONFIRMED")
    component.add("class", "PRIVATE")
    # The person who asked for the meeting organizes it; the platform's address
    # stands for theirs, which a feed must not publish.
    component.add("organizer", organizer_property(request.requester.get_full_name()))
    return component


def personal_items(user) -> list[icalendar.Event]:
    """The user's scheduled meetings (only their own) for the personal feed."""
    return [
        meeting_component(meeting, user)
        for meeting in queries.meetings_of(user).filter(starts_at__isnull=False)
        if meeting.status == meeting.Status.SCHEDULED
    ]
