"""The visits a person takes part in, item by item, for the events app's personal
feed (MIST_CALENDAR_SOURCES); every change raises an item's SEQUENCE."""

import icalendar
from django.utils.translation import gettext as _

from core.mail import absolute_url
from events.ical import organizer_property
from meetings.calendar import personal_component
from visits import queries
from visits.models import ProgrammeItem, Visit

STATUS = {
    ProgrammeItem.Status.SCHEDULED: "CONFIRMED",
    ProgrammeItem.Status.POSTPONED: "TENTATIVE",
    ProgrammeItem.Status.CANCELLED: "CANCELLED",
}


def item_component(item: ProgrammeItem, user) -> icalendar.Event:
    """One VEVENT for an item, in the person's own zone."""
    visit = item.visit
    component = personal_component(f"visit-item-{item.pk}", item, user)
    summary = str(item.title)
    if item.status == ProgrammeItem.Status.POSTPONED:
        summary = _("%(title)s (postponed)") % {"title": summary}
    component.add("summary", summary)
    places = [p for p in (item.place, str(item.organization or "")) if p]
    if places:
        component.add("location", ", ".join(places))
    url = absolute_url(visit.get_absolute_url())
    component.add("url", url)
    component.add("description", f"{visit.title}\n{url}")
    component.add("status", STATUS[item.status])
    component.add("class", "PRIVATE")
    host = visit.host.get_full_name() if visit.host else str(visit.organization)
    component.add("organizer", organizer_property(host))
    return component


def visit_items(visit: Visit, user) -> list[icalendar.Event]:
    """The whole programme of a visit that `user` may see."""
    return [
        item_component(item, user)
        for item in queries.programme_for(user, visit).select_related(
            "visit__host", "visit__organization"
        )
    ]


def personal_items(user) -> list[icalendar.Event]:
    """Every item of the visits the person joins or hosts (not drafts)."""
    components = []
    for visit in queries.visits_of(user).exclude(status=Visit.Status.DRAFT):
        components.extend(visit_items(visit, user))
    return components
