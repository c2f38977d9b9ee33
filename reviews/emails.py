"""E-mails of the reviews app, each in its reader's language.

Reviewer e-mails name only the call, never a submission's authors or organization,
so a blind call stays blind in the inbox too.
"""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.emails import absolute_url
from reviews.models import ReviewerInvitation


def send_reviewer_invitation(invitation: ReviewerInvitation) -> None:
    """Tell an existing user they now review for a call."""
    user = invitation.user
    language = user.preferred_language if user else "en"
    with translation.override(language):
        context = {
            "invitation": invitation,
            "call": invitation.call,
            "inviter": invitation.invited_by,
            "url": absolute_url(
                reverse(
                    "reviews:reviewer-profile", kwargs={"slug": invitation.call.slug}
                )
            ),
        }
        subject = render_to_string(
            "reviews/emails/reviewer_invited_subject.txt", context
        )
        body = render_to_string("reviews/emails/reviewer_invited_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [invitation.email])
