"""Background work of events: e-mails and the reminder run."""

from celery import shared_task

from events import emails


@shared_task(name="events.send_promoted")
def send_promoted_task(registration_id: int) -> None:
    emails.send_promoted(registration_id)


@shared_task(name="events.send_event_cancelled")
def send_event_cancelled_task(registration_id: int) -> None:
    emails.send_event_cancelled(registration_id)


@shared_task(name="events.send_reminder")
def send_reminder_task(registration_id: int) -> None:
    emails.send_reminder(registration_id)


@shared_task(name="events.send_due_reminders")
def send_due_reminders_task() -> int:
    """Periodic: queue the reminders of events starting within 24 hours."""
    from events.services import send_due_reminders

    return send_due_reminders()
