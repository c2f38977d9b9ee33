import pytest

from accounts import permissions
from accounts.models import Role
from tests.factories import UserFactory

ROLES = [None, *Role.values]


def make(role):
    return None if role is None else UserFactory(role=role, email=f"{role}@example.org")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, False),
        (Role.ADMIN, True),
        (Role.STAFF, True),
        (Role.CITY_OFFICER, False),
        (Role.EDITOR, False),
        (Role.REVIEWER, False),
        (Role.INVESTOR, False),
    ],
)
def test_can_invite(db, role, expected):
    assert permissions.can_invite(make(role)) is expected
    assert permissions.can_manage_invitations(make(role)) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, False),
        (Role.ADMIN, True),
        (Role.STAFF, False),
        (Role.CITY_OFFICER, False),
        (Role.EDITOR, False),
        (Role.REVIEWER, False),
        (Role.INVESTOR, False),
    ],
)
def test_can_manage_users(db, role, expected):
    assert permissions.can_manage_users(make(role)) is expected


@pytest.mark.parametrize(
    ("inviter", "invitee", "expected"),
    [
        (Role.ADMIN, Role.ADMIN, True),
        (Role.ADMIN, Role.STAFF, True),
        (Role.STAFF, Role.ADMIN, False),
        (Role.STAFF, Role.STAFF, True),
        (Role.STAFF, Role.EDITOR, True),
        (Role.EDITOR, Role.EDITOR, False),
        (None, Role.EDITOR, False),
    ],
)
def test_can_invite_role(db, inviter, invitee, expected):
    assert permissions.can_invite_role(make(inviter), invitee) is expected


def test_can_change_user_excludes_self(db):
    admin = make(Role.ADMIN)
    other = make(Role.EDITOR)

    assert permissions.can_change_user(admin, other) is True
    assert permissions.can_change_user(admin, admin) is False
    assert permissions.can_change_user(make(Role.STAFF), other) is False


def test_inactive_admin_has_no_powers(db):
    admin = UserFactory(role=Role.ADMIN, is_active=False)

    assert permissions.can_manage_users(admin) is False
    assert permissions.can_invite(admin) is False
