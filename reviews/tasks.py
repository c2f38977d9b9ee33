"""Background work of the reviews app: sending e-mails outside the request."""

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from reviews import emails
from reviews.models import OutboxMessage, ReviewerInvitation


@shared_task(name="reviews.send_reviewer_invitation")
def send_reviewer_invitation(invitation_id: int) -> None:
    invitation = ReviewerInvitation.objects.select_related(
        "call", "user", "invited_by"
    ).get(pk=invitation_id)
    emails.send_reviewer_invitation(invitation)


@shared_task(name="reviews.send_outbox_message")
def send_outbox_message(message_id: int) -> str:
    """Send one checked decision e-mail and mark it SENT (or FAILED, with why)."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if message.status not in (
            OutboxMessage.Status.APPROVED,
            OutboxMessage.Status.FAILED,
        ):
            return message.status
        try:
            send_mail(message.subject, message.body, None, [message.to])
        except Exception as error:
            message.status = OutboxMessage.Status.FAILED
            message.error = str(error)[:300]
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.error = ""
        message.save(update_fields=["status", "sent_at", "error", "updated_at"])
        if message.status == OutboxMessage.Status.SENT:
            emails.notify_decision_sent(message)
    return message.status
