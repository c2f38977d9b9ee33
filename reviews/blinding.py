"""What a reviewer sees of the submission they review: the one place that blinds it.

Before "no conflict" is confirmed only the title and the summary show; in a blind
call (unless the active phase lifts it) neither the submitters' names nor the
documents' names do, and the other reviewers are numbered, never named.
"""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from exchange import queries as exchange_queries
from exchange.models import SubmissionVersion
from reviews import permissions, queries
from reviews.models import Assignment, Review

PUBLIC_FIELDS = ("title", "summary")


@dataclass
class ReviewerView:
    """The submission as one reviewer may read it."""

    confirmed: bool
    show_names: bool
    pairs: list
    attachments: list = field(default_factory=list)
    others: list = field(default_factory=list)
    changes: list | None = None


def reviewer_view(
    user, assignment: Assignment, review: Review | None, *, since: int | None = None
) -> ReviewerView:
    """The fields, documents, other reviews and changes since the reviewer's last
    visit (or since version `since`: the one they reviewed in the round before)
    that `user` may see on their review page."""
    submission = assignment.submission
    call = submission.call
    confirmed = permissions.can_see_confidential_fields(user, assignment)
    show_names = permissions.reviewer_sees_names(call)
    pairs = exchange_queries.field_pairs(submission, show_names=show_names)
    if not confirmed:
        pairs = [p for p in pairs if p.field in PUBLIC_FIELDS]
        return ReviewerView(confirmed=False, show_names=show_names, pairs=pairs)
    view = ReviewerView(
        confirmed=True,
        show_names=show_names,
        pairs=pairs,
        changes=_changes_since(
            submission,
            since if since is not None else (review.seen_version if review else 0),
        ),
    )
    attachments = exchange_queries.attachments_of(submission)
    for number, attachment in enumerate(attachments, start=1):
        view.attachments.append(
            {
                "name": attachment.original_name
                if show_names
                else _("Attachment %(n)s (PDF)") % {"n": number},
                "size": attachment.size,
                "url": _attachment_url(attachment),
            }
        )
    if permissions.reviewer_sees_other_reviews(call):
        for number, other in enumerate(queries.other_reviews(assignment), start=1):
            view.others.append(
                {"label": _("Reviewer %(n)s") % {"n": number}, "review": other}
            )
    return view


def _attachment_url(attachment) -> str:
    try:
        return reverse(
            "exchange:attachment-download",
            kwargs={"pk": attachment.submission_id, "attachment": attachment.pk},
        )
    except NoReverseMatch:
        return ""


def _changes_since(submission, seen: int):
    if not seen or seen >= submission.version:
        return None
    versions = {
        v.number: v.content
        for v in SubmissionVersion.objects.filter(
            submission=submission, number__in=(seen, submission.version)
        )
    }
    if seen not in versions or submission.version not in versions:
        return None
    return exchange_queries.version_changes(
        versions[seen], versions[submission.version]
    )
