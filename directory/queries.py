"""Reads of the directory, with the visibility rules views, exports and API share."""

from django.db.models import Q, QuerySet

from accounts.models import Membership
from accounts.permissions import is_cluster_staff
from directory.models import Organization


def organizations_visible_to(user) -> QuerySet[Organization]:
    """Organizations `user` may see: verified public ones for everyone, members-only
    ones for signed-in people, their own for editors, everything alive for staff."""
    alive = Organization.objects.alive()
    if is_cluster_staff(user):
        return alive
    verified = Q(verification=Organization.Verification.VERIFIED)
    if user is None or not user.is_authenticated:
        return alive.filter(verified, visibility=Organization.Visibility.PUBLIC)
    own = Membership.objects.filter(user=user, is_editor=True).values("organization_id")
    return alive.filter(verified | Q(pk__in=own))
