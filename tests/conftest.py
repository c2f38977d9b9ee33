"""Shared fixtures: one signed-in user per role, and an organization with an editor."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from accounts.models import Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

ROLES = ["anonymous", *Role.values]


DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _default_language():
    """Start every test in Ukrainian: a request to an /en/ page leaves English
    active in the thread, which would change what later tests reverse()."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached pages never carry over from one test to another."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data(request, django_db_blocker):
    """Reference data comes from migrations, but a transactional test's flush wipes
    it for the tests after it; put it back before any test that uses the database."""
    uses_db = request.node.get_closest_marker("django_db") or DB_FIXTURES & set(
        request.fixturenames
    )
    if not uses_db:
        return
    request.getfixturevalue("django_db_setup")
    from directory.models import Sector
    from directory.reference import load_reference_data

    with django_db_blocker.unblock():
        if not Sector.objects.exists():
            load_reference_data()


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
