"""E-mails of the exchange: who hears about a submission, and what."""

from accounts.models import User
from core import mail
from directory.emails import editors_of
from exchange.models import Submission


def submitters_of(submission: Submission) -> list[User]:
    """Who hears about a submission: its creator and its organization's editors."""
    people = {user.pk: user for user in editors_of(submission.organization)}
    if submission.created_by and submission.created_by.is_active:
        people[submission.created_by.pk] = submission.created_by
    return sorted(people.values(), key=lambda u: u.email)


def send_english_needed(submission: Submission) -> int:
    """Ask the submitters to add English; returns the number of messages sent."""
    context = {
        "submission": submission,
        "url": lambda: mail.absolute_url(submission.get_absolute_url()),
    }
    return mail.send(
        "exchange/emails/english_needed",
        context,
        to=submitters_of(submission),
        kind="submission",
    )
