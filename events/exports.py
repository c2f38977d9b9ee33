"""The participants of an event as a spreadsheet, for its organizers."""

from django.utils.translation import gettext_lazy as _

from core.exports import DATETIME, TEXT, Column
from events import queries
from events.models import Event

COLUMNS = (
    Column("name", _("Name"), TEXT),
    Column("email", _("E-mail"), TEXT),
    Column("organization", _("Organization"), TEXT),
    Column("status", _("Status"), TEXT),
    Column("registered", _("Registered"), DATETIME),
    Column("moved_up", _("Moved up"), DATETIME),
)


def participant_rows(event: Event) -> list[list]:
    """One row per registration (in the order of COLUMNS), times in the event's
    zone; made at once, in the request's language."""
    zone = event.zone
    return [
        [
            registration.user.get_full_name(),
            registration.user.email,
            str(registration.organization or ""),
            str(registration.get_status_display()),
            registration.created_at.astimezone(zone),
            registration.promoted_at.astimezone(zone)
            if registration.promoted_at
            else None,
        ]
        for registration in queries.participants_of(event)
    ]
