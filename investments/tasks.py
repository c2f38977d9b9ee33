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


@shared_task(name="investments.send_new_interest_email")
def send_new_interest_email(interest_id: int) -> None:
    interest = (
        Interest.objects.select_related("project", "investor")
        .filter(pk=interest_id)
        .first()
    )
    if interest:
        emails.send_new_interest(interest)


@shared_task(name="investments.send_interest_stage_email")
def send_interest_stage_email(interest_id: int, old_stage: str) -> None:
    interest = (
        Interest.objects.select_related("project", "investor")
        .filter(pk=interest_id)
        .first()
    )
    if interest:
        emails.send_stage_changed(interest, old_stage)


@shared_task(name="investments.send_interest_accepted_email")
def send_interest_accepted_email(interest_id: int) -> None:
    interest = (
        Interest.objects.select_related("project", "investor")
        .filter(pk=interest_id)
        .first()
    )
    if interest:
        emails.send_accepted(interest)


@shared_task(name="investments.remind_stale_interests")
def remind_stale_interests_task() -> int:
    from investments import services

    return services.remind_stale_interests()
