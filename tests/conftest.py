"""Shared fixtures: one signed-in user per role, and an organization with an editor."""

import pytest

from accounts.models import Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

ROLES = ["anonymous", *Role.values]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def organization(db):
    return OrganizationFactory()


@pytest.fixture
def editor(organization):
    """An organization editor who edits `organization`."""
    user = UserFactory(role=Role.EDITOR, email="editor@example.org")
    MembershipFactory(user=user, organization=organization)
    return user


@pytest.fixture
def staff(db):
    return UserFactory(role=Role.STAFF, email="staff@example.org")


@pytest.fixture
def platform_admin(db):
    return UserFactory(role=Role.ADMIN, email="admin@example.org", is_staff=True)


@pytest.fixture
def user_with_role(db):
    """Make a user of a given role (or None for anonymous)."""

    def make(role):
        if role == "anonymous":
            return None
        return UserFactory(role=role, email=f"{role}@example.org")

    return make
