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
        # The person (not the bare address): their notification preference holds.
        to=invitation.user or invitation.email,
        language=mail.language_of(invitation.user),
        kind="review",
    )


def _deadline(submission):
    from exchange.queries import deadline

    return lambda: str(deadline(submission.resubmit_until, submission.call))


def send_round_opened(submission) -> int:
    """Tell the submitters their project is open for a revised version, until when,
    and where the reviewers' comments are."""
    from exchange.emails import submitters_of

    context = {
        "submission": submission,
        "call": submission.call,
        "deadline": _deadline(submission),
        "url": lambda: mail.absolute_url(
            reverse("exchange:submission-edit", kwargs={"pk": submission.pk})
        ),
    }
    return mail.send(
        "reviews/emails/round_opened",
        context,
        to=submitters_of(submission),
        kind="submission",
    )


def send_round_assigned(assignments) -> int:
    """Tell each reviewer of a new round's assignment (the call and the round,
    never the submitters)."""
    sent = 0
    for assignment in assignments:
        submission = assignment.submission
        context = {
            "call": submission.call,
            "round": assignment.round,
            "deadline": _deadline(submission),
            "url": lambda pk=submission.pk: mail.absolute_url(
                reverse("reviews:review-edit", kwargs={"pk": pk})
            ),
        }
        sent += mail.send(
            "reviews/emails/round_assigned",
            context,
            to=assignment.call_reviewer.user,
            kind="review",
        )
    return sent


def notify_assigned(assignments) -> int:
    """A new assignment shows in the reviewer's notification centre (no e-mail)."""
    from django.utils.translation import gettext

    offered = 0
    for assignment in assignments:
        call = assignment.submission.call

        def title(call=call):
            return gettext("New submission to review in “%(call)s”") % {
                "call": call.title
            }

        def link(pk=assignment.submission_id):
            return reverse("reviews:review-edit", kwargs={"pk": pk})

        offered += mail.notify(
            assignment.call_reviewer.user, kind="review", title=title, link=link
        )
    return offered


def notify_assigned_automatically(call, new_per_reviewer: dict[int, int]) -> int:
    """An automatic assignment run gave reviewers new submissions: one notice per
    reviewer (by CallReviewer pk) saying how many, linking to their reviews."""
    from django.utils.translation import ngettext

    from reviews.models import CallReviewer

    offered = 0
    reviewers = CallReviewer.objects.filter(pk__in=new_per_reviewer).select_related(
        "user"
    )
    for reviewer in reviewers.order_by("pk"):
        count = new_per_reviewer[reviewer.pk]

        def title(count=count):
            return ngettext(
                "%(count)s new submission to review in “%(call)s”",
                "%(count)s new submissions to review in “%(call)s”",
                count,
            ) % {"count": count, "call": call.title}

        offered += mail.notify(
            reviewer.user,
            kind="review",
            title=title,
            link=lambda: reverse("reviews:my-reviews"),
        )
    return offered


def notify_decision_sent(message) -> int:
    """The decision e-mail went out: its subject shows in the submitter's
    notification centre too, linking to the feedback."""
    from accounts.models import User

    user = User.objects.filter(email__iexact=message.to, is_active=True).first()
    if user is None:
        return 0
    submission_pk = message.decision.submission_id
    return mail.notify(
        user,
        kind="submission",
        title=message.subject,
        link=lambda: reverse(
            "reviews:submission-feedback", kwargs={"pk": submission_pk}
        ),
    )
