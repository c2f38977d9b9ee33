"""E-mails about events, each in its reader's language and time zone."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.emails import absolute_url
from events.models import Registration
from events.timefmt import event_time_text


def _send(template: str, registration: Registration) -> None:
    user = registration.user
    event = registration.event
    with (
        translation.override(user.preferred_language),
        timezone.override(user.time_zone),
    ):
        context = {
            "registration": registration,
            "event": event,
            "user": user,
            "times": event_time_text(event, user.time_zone),
            "url": absolute_url(event.get_absolute_url()),
        }
        subject = render_to_string(f"events/emails/{template}_subject.txt", context)
        body = render_to_string(f"events/emails/{template}_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


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
