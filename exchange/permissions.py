"""Who may see and change calls and submissions. Pure predicates, no HTTP."""

from django.utils import timezone

from accounts.permissions import acts_for, is_cluster_staff, is_signed_in
from accounts.queries import edited_organization_ids
from directory.models import Organization
from exchange import access
from exchange.models import Call, Submission


def is_organizer_editor(user, call: Call) -> bool:
    """The user edits the organization that runs the call."""
    return acts_for(user, call.organizer_id)


def is_submission_member(user, submission: Submission) -> bool:
    """The user edits the submission's organization or created it."""
    if not is_signed_in(user):
        return False
    if submission.created_by_id == user.pk:
        return True
    return acts_for(user, submission.organization_id)


def is_reviewer_of(user, submission: Submission) -> bool:
    """The reviews app says the user reviews this submission (never a draft)."""
    if submission.status == Submission.Status.DRAFT:
        return False
    return access.reviewer_can_view(user, submission)


# Calls


def can_create_call(user) -> bool:
    return is_cluster_staff(user)


def can_manage_call(user, call: Call) -> bool:
    """Staff and the organizer's editors change a call, its rubric and phases."""
    return is_cluster_staff(user) or is_organizer_editor(user, call)


def can_view_call(user, call: Call) -> bool:
    """Calls past their draft are public; drafts only for those who manage them."""
    return call.is_public or can_manage_call(user, call)


def is_eligible_organization(organization: Organization, call: Call) -> bool:
    """A verified local organization, and on the call's list when it has one."""
    if (
        organization.deleted_at is not None
        or organization.verification != Organization.Verification.VERIFIED
        or str(organization.country) != "UA"
    ):
        return False
    if call.open_to_all_verified:
        return True
    return call.eligible_organizations.filter(pk=organization.pk).exists()


def can_submit_to(user, call: Call, organization: Organization | None = None) -> bool:
    """The call is open and the user edits an eligible organization (the given one
    when passed)."""
    if not is_signed_in(user) or not call.is_open():
        return False
    org_ids = edited_organization_ids(user)
    if organization is not None:
        return organization.pk in org_ids and is_eligible_organization(
            organization, call
        )
    return any(
        is_eligible_organization(org, call)
        for org in Organization.objects.filter(pk__in=org_ids)
    )


# Submissions


def can_view_submission(user, submission: Submission) -> bool:
    """Members see their own (drafts too); staff, the organizer's editors and
    assigned reviewers see submitted and withdrawn ones; nobody else anything."""
    if not is_signed_in(user):
        return False
    if is_submission_member(user, submission):
        return True
    if submission.status == Submission.Status.DRAFT:
        return False
    return (
        is_cluster_staff(user)
        or is_organizer_editor(user, submission.call)
        or is_reviewer_of(user, submission)
    )


def sees_identity(user, submission: Submission) -> bool:
    """Whether the submitters' names and organization may be shown to `user`:
    always, unless the call is blind and the user only reviews it (then the
    active phase's switch decides)."""
    call = submission.call
    if not call.is_blind:
        return True
    if (
        is_submission_member(user, submission)
        or is_cluster_staff(user)
        or is_organizer_editor(user, call)
    ):
        return True
    return call.active_settings().reviewers_see_names


def _phase_allows_edit(call: Call) -> bool:
    if not call.active_settings().submitters_can_edit:
        return False
    return not (
        call.phase == Call.Phase.SUBMISSION and timezone.now() >= call.closes_at
    )


def in_revision(submission: Submission, now=None) -> bool:
    """A "revise and resubmit" round is open: a new version is accepted until its
    deadline."""
    if submission.status != Submission.Status.SUBMITTED:
        return False
    until = submission.resubmit_until
    return until is not None and (now or timezone.now()) < until


def can_edit_submission(user, submission: Submission) -> bool:
    """Members edit drafts and submitted versions while the active phase allows,
    or while a revision round is open."""
    if submission.status == Submission.Status.WITHDRAWN:
        return False
    return is_submission_member(user, submission) and (
        _phase_allows_edit(submission.call) or in_revision(submission)
    )


def is_late_revision(user, submission: Submission) -> bool:
    """A member whose revision round has closed: a new version is refused with the
    deadline, not a bare "forbidden"."""
    return (
        submission.status == Submission.Status.SUBMITTED
        and submission.resubmit_until is not None
        and is_submission_member(user, submission)
        and not can_edit_submission(user, submission)
    )


def can_open_edit_form(user, submission: Submission) -> bool:
    """The edit page opens for those who may edit, and after a revision deadline
    for its members, to tell them it passed (their text kept)."""
    return can_edit_submission(user, submission) or is_late_revision(user, submission)


def can_reopen_submission(user, submission: Submission) -> bool:
    """Those who run the call open a revision round of a submitted project."""
    return submission.status == Submission.Status.SUBMITTED and can_manage_call(
        user, submission.call
    )


def can_submit_submission(user, submission: Submission) -> bool:
    """A draft goes in while the call is open; a submitted one is resubmitted by
    editing while the phase allows."""
    if not is_submission_member(user, submission):
        return False
    if submission.status == Submission.Status.DRAFT:
        return submission.call.is_open()
    return False


def can_withdraw_submission(user, submission: Submission) -> bool:
    """Members withdraw at any time."""
    return submission.status != Submission.Status.WITHDRAWN and (
        is_submission_member(user, submission)
    )


def can_flag_english(user, submission: Submission) -> bool:
    return is_cluster_staff(user) and submission.status != Submission.Status.DRAFT


def can_add_translation(user, submission: Submission) -> bool:
    """Staff and the organizer's editors add the other language to a submitted
    project; members add it whenever they may edit, or when English was asked for."""
    if submission.status == Submission.Status.WITHDRAWN:
        return False
    if is_submission_member(user, submission):
        return can_edit_submission(user, submission) or submission.english_needed
    if submission.status == Submission.Status.DRAFT:
        return False
    return is_cluster_staff(user) or is_organizer_editor(user, submission.call)


def can_manage_attachments(user, submission: Submission) -> bool:
    return can_edit_submission(user, submission)


def can_download_attachment(user, submission: Submission) -> bool:
    return can_view_submission(user, submission)


def can_post_message(
    user, submission: Submission, *, visible: bool | None = None
) -> bool:
    """Submitters and the submission's reviewers talk once it was submitted; staff
    and the organizer's editors join in. `visible`: can_view_submission's answer
    when the caller already has it (a page behind submission_or_404), so that the
    reviewers' hook is not asked twice in one request."""
    if submission.status == Submission.Status.DRAFT:
        return False
    if visible is None:
        visible = can_view_submission(user, submission)
    return visible and is_signed_in(user)


def sees_message_authors(user, submission: Submission) -> bool:
    """Names in the Q&A thread: for those who may know who submitted, and in a
    blind call only for those who run it."""
    return sees_identity(user, submission) and (
        not submission.call.is_blind or can_manage_call(user, submission.call)
    )


def can_save_and_submit(submission: Submission | None) -> bool:
    """A new project or a draft is saved and submitted in one go; a submitted one
    is saved as a new version."""
    return submission is None or submission.status == Submission.Status.DRAFT
