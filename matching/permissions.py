"""Who may see and change needs, offers and match profiles. Pure predicates."""

from accounts.permissions import (
    acts_for,
    acts_for_any_organization,
    is_cluster_staff,
    is_signed_in,
)
from matching.models import NeedOffer


def can_view_need_offer(user, need_offer: NeedOffer) -> bool:
    """Published ones for everyone; the rest for their editors and staff."""
    if need_offer.is_public and need_offer.organization.deleted_at is None:
        return True
    return is_cluster_staff(user) or acts_for(user, need_offer.organization_id)


def can_create_need_offer(user) -> bool:
    """Editors of an organization (and staff) post needs and offers."""
    return is_cluster_staff(user) or acts_for_any_organization(user)


def can_edit_need_offer(user, need_offer: NeedOffer) -> bool:
    return is_cluster_staff(user) or acts_for(user, need_offer.organization_id)


def can_submit_need_offer(user, need_offer: NeedOffer) -> bool:
    return can_edit_need_offer(user, need_offer) and need_offer.may_be_submitted


def can_renew_need_offer(user, need_offer: NeedOffer) -> bool:
    return can_edit_need_offer(user, need_offer) and need_offer.may_be_renewed


def can_moderate_needs_offers(user) -> bool:
    return is_cluster_staff(user)


def can_have_recommendations(user) -> bool:
    """Every signed-in person gets recommendations and keeps a match profile."""
    return is_signed_in(user)
