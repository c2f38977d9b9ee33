"""The participants of an event as a spreadsheet, for its organizers."""

from django.utils.translation import gettext as _

from events import queries
from events.models import Event

TIME_FORMAT = "%Y-%m-%d %H:%M"


def participant_rows(event: Event) -> list[list]:
    """The header, then one row per registration, times in the event's zone; made at
    once, in the request's language."""
    zone = event.zone
    header = [
        _("Name"),
        _("E-mail"),
        _("Organization"),
        _("Status"),
        _("Registered"),
        _("Moved up"),
    ]
    return [
        header,
        *(
            [
                registration.user.get_full_name(),
                registration.user.email,
                str(registration.organization or ""),
                str(registration.get_status_display()),
                registration.created_at.astimezone(zone).strftime(TIME_FORMAT),
                registration.promoted_at.astimezone(zone).strftime(TIME_FORMAT)
                if registration.promoted_at
                else "",
            ]
            for registration in queries.participants_of(event)
        ),
    ]
