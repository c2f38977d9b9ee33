"""Who may see and do what in talent. Pure predicates."""

from django.conf import settings

from accounts.permissions import (
    acts_for,
    is_city_officer,
    is_cluster_staff,
    is_signed_in,
)
from talent.models import Invitation, Role, SpecialistProfile


def is_home_organization(organization) -> bool:
    """A verified organization of the city's directory (in the home country)."""
    return (
        organization is not None
        and organization.deleted_at is None
        and organization.verification == organization.Verification.VERIFIED
        and organization.country.code == settings.MIST_HOME_COUNTRY
    )


def acts_for_home_organization(user) -> bool:
    """The user edits at least one verified local organization (one query, cached
    per request through `home_organization_ids`)."""
    from talent.queries import home_organization_ids

    return is_signed_in(user) and bool(home_organization_ids(user))


def can_have_profile(user) -> bool:
    """Every signed-in person may keep a specialist profile."""
    return is_signed_in(user)


def can_view_profile(user, profile: SpecialistProfile) -> bool:
    """The person themself; a public card for everyone; an organizations-level one
    for editors of verified local organizations. Aggregate-only: nobody else."""
    if profile.user_id is None:
        return False
    if is_signed_in(user) and profile.user_id == user.pk:
        return True
    if profile.visibility == SpecialistProfile.Visibility.PUBLIC:
        return True
    if profile.visibility == SpecialistProfile.Visibility.ORGANIZATIONS:
        return acts_for_home_organization(user)
    return False


def can_invite(user, profile: SpecialistProfile) -> bool:
    """Editors of verified local organizations invite specialists who allow it."""
    return (
        profile.user_id is not None
        and profile.visibility != SpecialistProfile.Visibility.AGGREGATE
        and profile.user_id != getattr(user, "pk", None)
        and acts_for_home_organization(user)
    )


def can_create_role(user) -> bool:
    """Editors of verified local organizations (and staff) post roles."""
    return is_cluster_staff(user) or acts_for_home_organization(user)


def can_edit_role(user, role: Role) -> bool:
    return is_cluster_staff(user) or acts_for(user, role.organization_id)


def can_view_role(user, role: Role) -> bool:
    if role.is_public and role.organization.deleted_at is None:
        return True
    return can_edit_role(user, role)


def can_submit_role(user, role: Role) -> bool:
    return can_edit_role(user, role) and role.may_be_submitted


def can_renew_role(user, role: Role) -> bool:
    return can_edit_role(user, role) and role.may_be_renewed


def can_fill_role(user, role: Role) -> bool:
    return can_edit_role(user, role) and role.status == Role.Status.PUBLISHED


def can_moderate_roles(user) -> bool:
    return is_cluster_staff(user)


def can_see_specialists_for(user, role: Role) -> bool:
    """The role's own editors see the specialists who fit it."""
    return acts_for(user, role.organization_id) and acts_for_home_organization(user)


def is_invited(user, invitation: Invitation) -> bool:
    return is_signed_in(user) and invitation.profile.user_id == user.pk


def is_inviter(user, invitation: Invitation) -> bool:
    return acts_for(user, invitation.organization_id)


def can_view_invitation(user, invitation: Invitation) -> bool:
    return is_invited(user, invitation) or is_inviter(user, invitation)


def can_respond(user, invitation: Invitation) -> bool:
    return is_invited(user, invitation) and invitation.is_open


def can_see_contacts(user, invitation: Invitation) -> bool:
    """Both sides see each other's contact details only after acceptance."""
    return invitation.status == Invitation.Status.ACCEPTED and can_view_invitation(
        user, invitation
    )


def can_view_staff_figures(user) -> bool:
    """Cluster staff and city officers see the fuller aggregate page."""
    return is_cluster_staff(user) or is_city_officer(user)


def can_import_survey(user) -> bool:
    return is_cluster_staff(user)
