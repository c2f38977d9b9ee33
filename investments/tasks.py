"""Background work of the investments app: e-mails, reminders and the forum's PDFs.

Every task lives in this module, the one Celery's autodiscovery imports; heavy
libraries (WeasyPrint, pypdf) are imported inside the tasks that use them."""

from celery import shared_task

from investments import emails
from investments.models import Interest


@shared_task(name="investments.build_pitch_book")
def build_pitch_book(key: str) -> str:
    """Render the pitch book of the published portfolio and store it under `key`."""
    from investments import pdf

    return pdf.build_pitch_book(key)


def _interest(interest_id: int) -> Interest | None:
    """The interest an e-mail task is about; None once it is gone (nothing to send)."""
    return (
        Interest.objects.select_related("project", "investor")
        .filter(pk=interest_id)
        .first()
    )


@shared_task(name="investments.send_new_interest_email")
def send_new_interest_email(interest_id: int) -> None:
    if interest := _interest(interest_id):
        emails.send_new_interest(interest)


@shared_task(name="investments.send_interest_stage_email")
def send_interest_stage_email(interest_id: int, old_stage: str) -> None:
    if interest := _interest(interest_id):
        emails.send_stage_changed(interest, old_stage)


@shared_task(name="investments.send_interest_accepted_email")
def send_interest_accepted_email(interest_id: int) -> None:
    if interest := _interest(interest_id):
        emails.send_accepted(interest)


@shared_task(name="investments.remind_stale_interests")
def remind_stale_interests_task() -> int:
    from investments import services

    return services.remind_stale_interests()
