"""Hooks exchange calls (setting MIST_SUBMISSION_ACCESS_HOOKS) to let reviewers in.

A reviewer may view a submission (its page, versions, files, the API) when they have an
assignment to it in a call where they are an active reviewer, and have confirmed they
have no conflict of interest: until then only the review page shows them its title and
summary. Exchange never imports this module: it uses dotted paths.
"""

from reviews.models import Assignment, CallReviewer


def _assignments_of(user):
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or not user.is_active
    ):
        return Assignment.objects.none()
    return Assignment.objects.filter(
        call_reviewer__user=user,
        call_reviewer__is_active=True,
        no_conflict_confirmed_at__isnull=False,
    )


def reviewer_can_view(user, submission) -> bool:
    """True when `user` is an active reviewer assigned to `submission` who has
    confirmed having no conflict of interest."""
    return _assignments_of(user).filter(submission_id=submission.pk).exists()


def reviewer_submission_ids(user) -> set[int]:
    """The ids of every submission `user` may view as its reviewer."""
    return set(_assignments_of(user).values_list("submission_id", flat=True))


def reviews_for_a_call(user) -> bool:
    """True when `user` is an active reviewer of some call, whatever their role:
    they sign in with a second factor (MIST_TWO_FACTOR_REQUIRED_HOOKS)."""
    return CallReviewer.objects.filter(user=user, is_active=True).exists()


def reviewers_of_submission(submission) -> list:
    """The active reviewers of the submission's current round who confirmed no
    conflict (they hear of the submitters' questions)."""
    return [
        assignment.call_reviewer.user
        for assignment in Assignment.objects.filter(
            submission_id=submission.pk,
            round=submission.review_round,
            call_reviewer__is_active=True,
            call_reviewer__user__is_active=True,
            no_conflict_confirmed_at__isnull=False,
        ).select_related("call_reviewer__user")
    ]


def submitter_feedback(user, submission) -> list[dict]:
    """The reviewers' comments released to the submitters, for a member of the
    submission (beside the form in a revision round); nothing for anyone else."""
    from exchange.permissions import is_submission_member
    from reviews import queries

    if not is_submission_member(user, submission):
        return []
    if submission.review_round < 2:
        return []
    return queries.feedback_rows(submission, queries.released_decision(submission))
