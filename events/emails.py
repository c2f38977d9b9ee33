"""E-mails about events, each in its reader's language and time zone."""

from core import mail
from events.models import Registration
from events.timefmt import event_time_text


def _send(template: str, registration: Registration) -> None:
    user = registration.user
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "times": lambda: event_time_text(event, user.time_zone),
        "url": lambda: mail.absolute_url(event.get_absolute_url()),
    }
    mail.send(f"events/emails/{template}", context, to=user, kind="event")


def _registration(pk: int) -> Registration | None:
    return (
        Registration.objects.select_related("user", "event", "event__organizer")
        .filter(pk=pk)
        .first()
    )


def send_promoted(registration_id: int) -> None:
    """A place opened up: the person moved from the waiting list to confirmed."""
    registration = _registration(registration_id)
    if registration and registration.status == Registration.Status.CONFIRMED:
        _send("promoted", registration)


def send_event_cancelled(registration_id: int) -> None:
    registration = _registration(registration_id)
    if registration:
        _send("cancelled", registration)


def send_reminder(registration_id: int) -> None:
    registration = _registration(registration_id)
    if registration and registration.status == Registration.Status.CONFIRMED:
        _send("reminder", registration)
