"""The events app's pages, one module per area; the URLs name them from here."""

from events.views.browsing import event_detail, event_list, event_month
from events.views.feeds import event_ics, personal_feed, public_feed
from events.views.organizing import (
    event_cancel,
    event_create,
    event_edit,
    event_participants,
    event_participants_csv,
    event_publish,
)
from events.views.registration import (
    calendar_token_regenerate,
    event_register,
    my_events,
    registration_cancel,
)

__all__ = [
    "calendar_token_regenerate",
    "event_cancel",
    "event_create",
    "event_detail",
    "event_edit",
    "event_ics",
    "event_list",
    "event_month",
    "event_participants",
    "event_participants_csv",
    "event_publish",
    "event_register",
    "my_events",
    "personal_feed",
    "public_feed",
    "registration_cancel",
]
