"""Background work of accounts: sending mail outside the request."""

from celery import shared_task

from accounts import emails
from accounts.models import Invitation, Membership, User


@shared_task(name="accounts.send_invitation")
def send_invitation(invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("invited_by", "organization").get(
        pk=invitation_id
    )
    emails.send_invitation(invitation)


@shared_task(name="accounts.send_membership_added")
def send_membership_added(membership_id: int, added_by_id: int | None) -> None:
    membership = Membership.objects.select_related("user", "organization").get(
        pk=membership_id
    )
    added_by = User.objects.filter(pk=added_by_id).first()
    emails.send_membership_added(membership, added_by=added_by)


@shared_task(name="accounts.send_account_deleted")
def send_account_deleted(email: str, language: str) -> None:
    """The address is passed in: the account no longer holds it."""
    emails.send_account_deleted(email, language=language)
