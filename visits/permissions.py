"""Who may see and change which delegation visit. Pure predicates."""

from django.utils import timezone

from accounts.permissions import acts_for, is_cluster_staff, is_signed_in
from accounts.queries import edited_organization_ids
from visits.models import ItemOutcome, ProgrammeItem, Visit, VisitInvitation


def _pk(user):
    return getattr(user, "pk", None)


def can_create_visit(user) -> bool:
    """Cluster staff (and platform admins) host delegations."""
    return bool(is_cluster_staff(user))


def can_list_visits(user) -> bool:
    """The staff list of every visit."""
    return bool(is_cluster_staff(user))


def can_manage_visit(user, visit: Visit) -> bool:
    """The host and cluster staff (platform admins included) run a visit."""
    return bool(is_cluster_staff(user)) or (
        bool(is_signed_in(user)) and visit.host_id == _pk(user)
    )


def member_ids(visit: Visit) -> set[int]:
    """The user ids of the delegation, read once per visit object."""
    cached = getattr(visit, "_member_ids", None)
    if cached is None:
        cached = set(visit.members.values_list("user_id", flat=True))
        visit._member_ids = cached
    return cached


def is_member(user, visit: Visit) -> bool:
    """A member of the delegation."""
    return bool(is_signed_in(user)) and _pk(user) in member_ids(visit)


def invited_organization_ids(user, visit: Visit) -> set[int]:
    """The organizations the user edits that the visit invited."""
    edited = edited_organization_ids(user)
    if not edited:
        return set()
    return set(
        visit.invitations.filter(organization_id__in=edited).values_list(
            "organization_id", flat=True
        )
    )


def is_invited_editor(user, visit: Visit) -> bool:
    """An editor of an organization the visit invited."""
    return bool(is_signed_in(user)) and bool(invited_organization_ids(user, visit))


def can_view_visit(user, visit: Visit) -> bool:
    """Host and staff, members, invited organizations' editors; everyone signed in
    when the visit is public."""
    if not is_signed_in(user):
        return False
    return (
        can_manage_visit(user, visit)
        or is_member(user, visit)
        or is_invited_editor(user, visit)
        or (visit.is_public and visit.status != Visit.Status.DRAFT)
    )


def sees_whole_programme(user, visit: Visit) -> bool:
    """Host, staff and members see every item; others only what concerns them."""
    return can_manage_visit(user, visit) or is_member(user, visit)


def can_view_report(user, visit: Visit) -> bool:
    """The report (who met whom, what was agreed) is for the host and members."""
    return sees_whole_programme(user, visit)


def can_answer_invitation(user, invitation: VisitInvitation) -> bool:
    """An editor of the invited organization accepts or declines a pending one."""
    return (
        acts_for(user, invitation.organization_id)
        and invitation.status == VisitInvitation.Status.PENDING
        and invitation.visit.status != Visit.Status.CANCELLED
    )


def outcome_side(user, item: ProgrammeItem) -> str | None:
    """Which side `user` records an outcome for: the delegation (members, host),
    or the host organization (its editors); None when neither."""
    if is_member(user, item.visit) or can_manage_visit(user, item.visit):
        return ItemOutcome.Side.DELEGATION
    if item.organization_id and acts_for(user, item.organization_id):
        return ItemOutcome.Side.HOST
    return None


def can_record_outcome(user, item: ProgrammeItem) -> bool:
    """Each side says what came of an item that has begun and was not called off."""
    return (
        item.status != ProgrammeItem.Status.CANCELLED
        and item.starts_at <= timezone.now()
        and outcome_side(user, item) is not None
    )
