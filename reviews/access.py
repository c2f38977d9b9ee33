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
