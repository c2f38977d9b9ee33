"""Who approves and who flags machine translations of a submission."""

from django.utils import timezone

from accounts.permissions import is_cluster_staff
from exchange import permissions as exchange_permissions


def can_approve_translation(user, submission) -> bool:
    """The submitters approve the machine text of their submission before the call
    closes, while they may add the other language."""
    return (
        exchange_permissions.is_submission_member(user, submission)
        and exchange_permissions.can_add_translation(user, submission)
        and timezone.now() < submission.call.closes_at
    )


def can_flag_translation(user, submission) -> bool:
    """A reviewer assigned to the submission flags a translation problem."""
    return exchange_permissions.is_reviewer_of(user, submission)


def can_see_translation_flags(user, submission) -> bool:
    return (
        exchange_permissions.is_submission_member(user, submission)
        or exchange_permissions.is_reviewer_of(user, submission)
        or is_cluster_staff(user)
        or exchange_permissions.is_organizer_editor(user, submission.call)
    )
