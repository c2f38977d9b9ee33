"""Background work of matching: e-mails to the editors of needs and offers."""

from celery import shared_task

from matching import emails
from matching.models import NeedOffer


@shared_task(name="matching.mail_need_offer_editors")
def mail_need_offer_editors(need_offer_id: int, template: str, context: dict) -> None:
    need_offer = NeedOffer.objects.filter(pk=need_offer_id).first()
    if need_offer is not None:
        emails.mail_editors(need_offer, template, **context)


@shared_task(name="matching.remind_expiring_needs_offers")
def remind_expiring_needs_offers_task() -> str:
    """Daily: expire overdue needs and offers, remind the owners of ending ones."""
    from matching import services

    expired = services.expire_needs_offers()
    reminded = services.remind_expiring_needs_offers()
    return f"{expired} expired, {reminded} reminded"
