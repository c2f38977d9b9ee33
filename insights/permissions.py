"""Who may see what in insights."""

from accounts.permissions import is_cluster_staff
from investments.permissions import is_city_side


def can_view_staff_insights(user) -> bool:
    """Cluster staff and city officers see exact numbers and the non-public figures."""
    return bool(is_cluster_staff(user) or is_city_side(user))
