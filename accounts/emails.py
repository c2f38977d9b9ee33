"""E-mails about accounts, each rendered in its reader's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import Invitation, Membership


def absolute_url(path: str) -> str:
    """A link for an e-mail: mail is read outside any request, so use SITE_URL."""
    return settings.SITE_URL.rstrip("/") + path


def _send(template: str, context: dict, *, to: str, language: str) -> None:
    with translation.override(language):
        subject = render_to_string(f"accounts/emails/{template}_subject.txt", context)
        body = render_to_string(f"accounts/emails/{template}_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to])


def send_invitation(invitation: Invitation) -> None:
    """The invitation link, in the language the inviter chose."""
    with translation.override(invitation.language):
        url = absolute_url(invitation.get_absolute_url())
    context = {
        "invitation": invitation,
        "url": url,
        "inviter": invitation.invited_by,
        "organization": invitation.organization,
    }
    _send("invitation", context, to=invitation.email, language=invitation.language)


def send_membership_added(membership: Membership, *, added_by) -> None:
    """Tell an existing user they now edit another organization."""
    language = membership.user.preferred_language
    with translation.override(language):
        url = absolute_url(reverse("accounts:me"))
    context = {
        "membership": membership,
        "organization": membership.organization,
        "inviter": added_by,
        "url": url,
    }
    _send("membership_added", context, to=membership.user.email, language=language)


def send_account_deleted(email: str, *, language: str) -> None:
    """Confirm to the old address that the account is deleted, in its language."""
    context = {"site_url": settings.SITE_URL.rstrip("/")}
    _send("account_deleted", context, to=email, language=language)
