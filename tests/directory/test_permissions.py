import pytest
from django.utils import timezone

from accounts.models import Role
from directory import permissions
from directory.models import Organization
from tests.conftest import ROLES
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

STATES = {
    "public": {},
    "members": {"visibility": Organization.Visibility.MEMBERS},
    "pending": {"verification": Organization.Verification.PENDING},
    "rejected": {"verification": Organization.Verification.REJECTED},
    "deleted": {"deleted_at": timezone.now()},
}

# Who may view an organization in each state. "own_editor" edits it.
VIEW = {
    ("anonymous", "public"): True,
    ("anonymous", "members"): False,
    ("anonymous", "pending"): False,
    ("anonymous", "rejected"): False,
    ("anonymous", "deleted"): False,
    ("signed_in", "public"): True,
    ("signed_in", "members"): True,
    ("signed_in", "pending"): False,
    ("signed_in", "rejected"): False,
    ("signed_in", "deleted"): False,
    ("own_editor", "public"): True,
    ("own_editor", "members"): True,
    ("own_editor", "pending"): True,
    ("own_editor", "rejected"): True,
    ("own_editor", "deleted"): False,
    ("staff", "public"): True,
    ("staff", "members"): True,
    ("staff", "pending"): True,
    ("staff", "rejected"): True,
    ("staff", "deleted"): True,
}


def make_user(kind, organization):
    if kind == "anonymous":
        return None
    if kind == "staff":
        return UserFactory(role=Role.STAFF)
    user = UserFactory(role=Role.INVESTOR if kind == "signed_in" else Role.EDITOR)
    if kind == "own_editor":
        MembershipFactory(user=user, organization=organization)
    return user


@pytest.mark.parametrize(("who", "state"), sorted(VIEW))
def test_can_view_organization(db, who, state):
    organization = OrganizationFactory(**STATES[state])
    user = make_user(who, organization)

    assert permissions.can_view_organization(user, organization) is VIEW[(who, state)]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", False), ("signed_in", False), ("own_editor", True), ("staff", True)],
)
def test_can_edit_and_see_private_identifiers(db, who, expected):
    organization = OrganizationFactory()
    user = make_user(who, organization)

    assert permissions.can_edit_organization(user, organization) is expected
    assert permissions.can_see_private_identifiers(user, organization) is expected


def test_member_who_is_not_editor_cannot_edit(db):
    organization = OrganizationFactory()
    user = MembershipFactory(organization=organization, is_editor=False).user

    assert permissions.can_edit_organization(user, organization) is False


def test_inactive_editor_cannot_edit(db):
    organization = OrganizationFactory()
    user = MembershipFactory(organization=organization).user
    user.is_active = False
    user.save()

    assert permissions.can_edit_organization(user, organization) is False


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", False),
        (Role.ADMIN, True),
        (Role.STAFF, True),
        (Role.CITY_OFFICER, False),
        (Role.EDITOR, False),
        (Role.REVIEWER, False),
        (Role.INVESTOR, False),
    ],
)
def test_staff_only_predicates(user_with_role, organization, role, expected):
    user = user_with_role(role)

    assert permissions.can_moderate(user) is expected
    assert permissions.can_delete_organization(user, organization) is expected


def test_roles_table_is_complete():
    assert set(ROLES) == {"anonymous", *Role.values}


@pytest.mark.parametrize(
    ("role", "expected"), [(role, role != "anonymous") for role in ROLES]
)
def test_can_create_organization(user_with_role, role, expected):
    assert permissions.can_create_organization(user_with_role(role)) is expected


@pytest.mark.parametrize(
    ("who", "verification", "expected"),
    [
        ("own_editor", Organization.Verification.VERIFIED, True),
        ("own_editor", Organization.Verification.PENDING, False),
        ("own_editor", Organization.Verification.REJECTED, False),
        ("staff", Organization.Verification.VERIFIED, False),
        ("staff", Organization.Verification.PENDING, False),
    ],
)
def test_edits_go_to_moderation(db, who, verification, expected):
    organization = OrganizationFactory(verification=verification)
    user = make_user(who, organization)

    assert permissions.edits_go_to_moderation(user, organization) is expected


def test_deleted_organization_cannot_be_deleted_again(staff):
    organization = OrganizationFactory(deleted_at=timezone.now())

    assert permissions.can_delete_organization(staff, organization) is False
