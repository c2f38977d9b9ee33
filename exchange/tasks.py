"""Background work of the exchange: e-mails and the automatic phase switch."""

from celery import shared_task

from exchange import emails, services
from exchange.models import Submission


@shared_task(name="exchange.send_english_needed")
def send_english_needed_task(submission_id: int) -> int:
    submission = Submission.objects.select_related("organization", "call").get(
        pk=submission_id
    )
    if not submission.english_needed:
        return 0
    return emails.send_english_needed(submission)


@shared_task(name="exchange.advance_call_phases")
def advance_call_phases_task() -> int:
    return len(services.advance_phases())
