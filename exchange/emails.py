"""E-mails of the exchange, each rendered in its reader's language."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from accounts.emails import absolute_url
from accounts.models import User
from exchange.models import Submission


def submitters_of(submission: Submission) -> list[User]:
    """Who hears about a submission: its creator and its organization's editors."""
    people = {
        m.user.pk: m.user
        for m in submission.organization.memberships.filter(
            is_editor=True, user__is_active=True
        ).select_related("user")
    }
    if submission.created_by and submission.created_by.is_active:
        people[submission.created_by.pk] = submission.created_by
    return sorted(people.values(), key=lambda u: u.email)


def send_english_needed(submission: Submission) -> int:
    """Ask the submitters to add English; returns the number of messages sent."""
    sent = 0
    for user in submitters_of(submission):
        with translation.override(user.preferred_language):
            context = {
                "submission": submission,
                "user": user,
                "url": absolute_url(submission.get_absolute_url()),
            }
            subject = render_to_string(
                "exchange/emails/english_needed_subject.txt", context
            )
            body = render_to_string("exchange/emails/english_needed_body.txt", context)
        send_mail(" ".join(subject.split()), body, None, [user.email])
        sent += 1
    return sent
