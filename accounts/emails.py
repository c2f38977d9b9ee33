"""E-mails about accounts: who receives which message, in which language."""

from django.urls import reverse

from accounts.models import Invitation, Membership
from core import mail


def send_invitation(invitation: Invitation) -> None:
    """The invitation link, in the language the inviter chose."""
    context = {
        "invitation": invitation,
        "url": lambda: mail.absolute_url(invitation.get_absolute_url()),
        "inviter": invitation.invited_by,
        "organization": invitation.organization,
    }
    mail.send(
        "accounts/emails/invitation",
        context,
        to=invitation.email,
        language=invitation.language,
        kind="invitation",
    )


def send_membership_added(membership: Membership, *, added_by) -> None:
    """Tell an existing user they now edit another organization."""
    context = {
        "membership": membership,
        "organization": membership.organization,
        "inviter": added_by,
        "url": lambda: mail.absolute_url(reverse("accounts:me")),
    }
    mail.send(
        "accounts/emails/membership_added",
        context,
        to=membership.user,
        kind="organization",
    )


def send_account_deleted(email: str, *, language: str) -> None:
    """Confirm to the old address that the account is deleted, in its language."""
    context = {"site_url": mail.absolute_url("")}
    mail.send("accounts/emails/account_deleted", context, to=email, language=language)
