"""Role predicates, plain functions `(user[, object]) -> bool`: the one permission
vocabulary that pages (each app's permissions.py) and the API (api/permissions.py)
call. Object rules for each app build on these."""

from django.conf import settings
from django.utils.module_loading import import_string

from accounts.models import Role
from accounts.queries import edited_organization_ids


def is_signed_in(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
    )


def is_platform_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_platform_admin)


def is_cluster_staff(user) -> bool:
    """Cluster staff, and platform admins, who may do everything staff do."""
    return bool(user and user.is_authenticated and user.is_cluster_staff)


def has_role(*roles: str):
    def predicate(user) -> bool:
        return is_signed_in(user) and user.role in roles

    return predicate


is_city_officer = has_role(Role.CITY_OFFICER)
is_reviewer = has_role(Role.REVIEWER)
is_investor = has_role(Role.INVESTOR)


def acts_for(user, organization_id: int | None) -> bool:
    """The signed-in user edits (acts for) the organization: the predicate every
    app's "editor of" rule is built on."""
    return is_signed_in(user) and organization_id in edited_organization_ids(user)


def acts_for_any_organization(user) -> bool:
    """The signed-in user edits at least one organization."""
    return is_signed_in(user) and bool(edited_organization_ids(user))


def can_invite(user) -> bool:
    """Cluster staff and admins invite people."""
    return is_cluster_staff(user)


def can_manage_users(user) -> bool:
    """Platform admins list users and change roles."""
    return is_platform_admin(user)


def can_invite_role(user, role: str) -> bool:
    """Staff invite every role but platform admin; only admins create admins."""
    if not can_invite(user):
        return False
    return role != Role.ADMIN or is_platform_admin(user)


def can_manage_invitations(user) -> bool:
    """See, resend and revoke invitations: the people who may send them."""
    return can_invite(user)


def can_change_user(user, other) -> bool:
    """Admins change other people's role and active state, never their own."""
    return can_manage_users(user) and other.pk != user.pk


def can_export_personal_data(user, person) -> bool:
    """A person downloads their own data, nobody else's."""
    return bool(is_signed_in(user)) and user.pk == person.pk


def can_delete_account(user, person) -> bool:
    """A person deletes their own account; a platform admin deletes anyone's (for a
    person who asked by e-mail). An account is deleted once."""
    if not is_signed_in(user) or person.anonymised_at is not None:
        return False
    return user.pk == person.pk or bool(is_platform_admin(user))


def two_factor_required_by_role(user) -> bool:
    """The part of `must_use_two_factor` read from the user row alone (no query):
    the roles in MIST_TWO_FACTOR_REQUIRED_ROLES, superusers and admin-site access."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (
            user.is_superuser
            or user.is_staff
            or user.role in settings.MIST_TWO_FACTOR_REQUIRED_ROLES
        )
    )


def must_use_two_factor(user) -> bool:
    """Platform admins, cluster staff, city officers, reviewers (by role, or by
    reviewing for a call: MIST_TWO_FACTOR_REQUIRED_HOOKS) and anyone with
    admin-site access sign in with a second factor."""
    if two_factor_required_by_role(user):
        return True
    if not is_signed_in(user):
        return False
    return any(
        import_string(path)(user) for path in settings.MIST_TWO_FACTOR_REQUIRED_HOOKS
    )


def can_turn_off_two_factor(user) -> bool:
    """Two-factor sign-in is optional only for those who need not use it."""
    return bool(is_signed_in(user)) and not must_use_two_factor(user)
