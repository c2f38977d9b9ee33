"""E-mails of the reviews app, each in its reader's language.

Reviewer e-mails name only the call, never a submission's authors or organization,
so a blind call stays blind in the inbox too.
"""

from django.urls import reverse

from core import mail
from reviews.models import ReviewerInvitation


def send_reviewer_invitation(invitation: ReviewerInvitation) -> None:
    """Tell an existing user they now review for a call."""
    context = {
        "invitation": invitation,
        "call": invitation.call,
        "inviter": invitation.invited_by,
        "url": lambda: mail.absolute_url(
            reverse("reviews:reviewer-profile", kwargs={"slug": invitation.call.slug})
        ),
    }
    mail.send(
        "reviews/emails/reviewer_invited",
        context,
        to=invitation.email,
        language=mail.language_of(invitation.user),
        kind="review",
    )
