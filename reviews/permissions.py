"""Who may review, read reviews and decide. Pure predicates, no HTTP."""

from accounts.permissions import is_cluster_staff, is_signed_in
from exchange import permissions as exchange_permissions
from reviews.models import Assignment, Decision


def can_manage_reviews(user, call) -> bool:
    """Staff and the organizer's editors run a call's reviews: reviewers, dashboard,
    decisions and the outbox."""
    return exchange_permissions.can_manage_call(user, call)


def can_invite_reviewers(user, call) -> bool:
    """Staff invite reviewers (accounts for new people are theirs to create)."""
    return is_cluster_staff(user)


def is_own_assignment(user, assignment: Assignment) -> bool:
    """The assignment is the user's own, and they still review for the call."""
    reviewer = assignment.call_reviewer
    return is_signed_in(user) and reviewer.user_id == user.pk and reviewer.is_active


def can_review(user, assignment: Assignment) -> bool:
    """The assigned reviewer works on their review while the submission is in, in
    its current round only: earlier rounds' reviews stay as they were."""
    from exchange.models import Submission

    submission = assignment.submission
    return (
        is_own_assignment(user, assignment)
        and submission.status == Submission.Status.SUBMITTED
        and assignment.round == submission.review_round
    )


def can_see_confidential_fields(user, assignment: Assignment) -> bool:
    """Problem, solution, team, files and funding: only after "no conflict"."""
    return (
        is_own_assignment(user, assignment)
        and assignment.no_conflict_confirmed_at is not None
    )


def reviewer_sees_names(call) -> bool:
    """A reviewer sees submitters' names unless the call is blind (and the active
    phase does not lift it)."""
    return not call.is_blind or call.active_settings().reviewers_see_names


def reviewer_sees_other_reviews(call) -> bool:
    return call.active_settings().reviewers_see_other_reviews


def can_read_confidential_notes(user, call) -> bool:
    """Confidential notes are for the organizers (every read is audited)."""
    return can_manage_reviews(user, call)


def can_record_decision(user, submission) -> bool:
    return can_manage_reviews(user, submission.call)


def can_view_feedback(user, submission) -> bool:
    """Submitters read the feedback once their decision is released; organizers any
    time."""
    if not is_signed_in(user):
        return False
    if can_manage_reviews(user, submission.call):
        return True
    if not exchange_permissions.is_submission_member(user, submission):
        return False
    if submission.review_round > 1:
        # A later round opens only when the earlier decision was released.
        return True
    decision = Decision.objects.filter(submission=submission).first()
    return decision is not None and decision.status == Decision.Status.RELEASED


def can_manage_round(user, submission) -> bool:
    """The organizers choose the reviewers of a second (or later) round."""
    from exchange.models import Submission

    return (
        submission.review_round > 1
        and submission.status == Submission.Status.SUBMITTED
        and can_manage_reviews(user, submission.call)
    )


def submitters_see_reviewer_names(call) -> bool:
    """Submitters read their reviewers' names, unless the call is blind."""
    return not call.is_blind


def can_override_assignment(user) -> bool:
    """Staff may assign a conflicted, unreadable or fully loaded reviewer (with a
    reason)."""
    return is_cluster_staff(user)


def can_edit_outbox_message(user, message) -> bool:
    """The organizers correct a decision e-mail until it goes out."""
    from reviews.models import OutboxMessage

    return message.status == OutboxMessage.Status.PENDING and can_manage_reviews(
        user, message.decision.submission.call
    )
