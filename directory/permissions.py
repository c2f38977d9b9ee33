"""Who may see and change what in the directory. Pure predicates, no HTTP."""

from accounts.permissions import acts_for, is_cluster_staff, is_signed_in
from directory.models import PROFILE_FIELDS, STAFF_FIELDS, Organization


def is_editor_of(user, organization: Organization | None) -> bool:
    return organization is not None and acts_for(user, organization.pk)


def can_view_organization(user, organization: Organization) -> bool:
    """Public profiles for everyone; members-only for signed-in people; the rest
    only for their editors and staff."""
    if organization.deleted_at is not None:
        return is_cluster_staff(user)
    if organization.verification == Organization.Verification.VERIFIED:
        if organization.visibility == Organization.Visibility.PUBLIC:
            return True
        if is_signed_in(user):
            return True
    return is_cluster_staff(user) or is_editor_of(user, organization)


def can_edit_organization(user, organization: Organization) -> bool:
    return is_cluster_staff(user) or is_editor_of(user, organization)


def settable_fields(user) -> tuple[str, ...]:
    """The profile fields `user` may set: only cluster staff set the cluster's own
    (STAFF_FIELDS). The form, the API and the services all ask here."""
    return PROFILE_FIELDS + STAFF_FIELDS if is_cluster_staff(user) else PROFILE_FIELDS


def can_see_private_identifiers(user, organization: Organization) -> bool:
    """A sole proprietor's taxpayer number is personal data."""
    return can_edit_organization(user, organization)


def can_moderate(user) -> bool:
    return is_cluster_staff(user)


def can_import(user) -> bool:
    return is_cluster_staff(user)


def can_export(user) -> bool:
    """Anyone may export what they can see; the export honours visibility."""
    return True


def can_create_organization(user) -> bool:
    return is_signed_in(user)


def can_delete_organization(user, organization: Organization) -> bool:
    """Only cluster staff remove organizations (softly, audited)."""
    return is_cluster_staff(user) and organization.deleted_at is None


def edits_go_to_moderation(user, organization: Organization) -> bool:
    """An editor's changes to a published profile wait for staff; staff's do not."""
    return (
        not is_cluster_staff(user)
        and organization.verification == Organization.Verification.VERIFIED
    )
