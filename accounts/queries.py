"""Reads of accounts: the lists staff and admins work with, and the one source of
"who acts for which organizations" (`edited_organization_ids`, `editor_memberships`)."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Invitation, Membership, User


def invitations_with_status(status: str = "") -> QuerySet[Invitation]:
    """Invitations, newest first, optionally only those in one status."""
    now = timezone.now()
    invitations = Invitation.objects.select_related(
        "invited_by", "organization", "accepted_by"
    ).order_by("-created_at", "-pk")
    unused = Q(accepted_at__isnull=True, revoked_at__isnull=True)
    filters = {
        Invitation.Status.PENDING: unused & Q(expires_at__gt=now),
        Invitation.Status.EXPIRED: unused & Q(expires_at__lte=now),
        Invitation.Status.ACCEPTED: Q(accepted_at__isnull=False),
        Invitation.Status.REVOKED: Q(
            accepted_at__isnull=True, revoked_at__isnull=False
        ),
    }
    if status in filters:
        invitations = invitations.filter(filters[status])
    return invitations


def users_for_admin(*, search: str = "", role: str = "") -> QuerySet[User]:
    """Users matching a search by e-mail or name, and a role."""
    users = User.objects.order_by("email")
    search = search.strip()
    if search:
        users = users.filter(
            Q(email__icontains=search) | Q(full_name__icontains=search)
        )
    if role:
        users = users.filter(role=role)
    return users


def memberships_of(user: User) -> QuerySet[Membership]:
    """The organizations a user belongs to, for their account page."""
    return (
        Membership.objects.filter(user=user, organization__deleted_at__isnull=True)
        .select_related("organization")
        .order_by("organization__name_uk")
    )


# Where a user's edited organizations are kept for the rest of the request: the
# user object lives as long as the request does, so this is read at most once.
_EDITED_CACHE = "_mist_edited_organization_ids"


def edited_organization_ids(user) -> frozenset[int]:
    """Ids of the organizations the user edits (acts for): the one source of
    "who acts for which organizations", read once per user object, i.e. once
    per request. Anonymous users act for none."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _EDITED_CACHE, None)
    if cached is None:
        cached = frozenset(
            Membership.objects.filter(user=user, is_editor=True).values_list(
                "organization_id", flat=True
            )
        )
        setattr(user, _EDITED_CACHE, cached)
    return cached


def editor_memberships(
    organization_ids: Iterable[int] | None = None, *, active_only: bool = False
) -> QuerySet[Membership]:
    """The inverse question: the memberships (with their users) of the people who
    act for the given organizations, or for any when None; `active_only` leaves
    out deactivated accounts, for mail."""
    memberships = Membership.objects.filter(is_editor=True).select_related("user")
    if organization_ids is not None:
        memberships = memberships.filter(organization_id__in=organization_ids)
    if active_only:
        memberships = memberships.filter(user__is_active=True)
    return memberships


def forget_edited_organizations(user) -> None:
    """Drop the cached ids after the user's memberships changed."""
    if user is not None and hasattr(user, _EDITED_CACHE):
        delattr(user, _EDITED_CACHE)
