"""Shared fixtures: one signed-in user per role, and an organization with an editor."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from accounts import two_factor
from accounts.models import Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

ROLES = ["anonymous", *Role.values]


# Django's own force_login, before _force_login_passes_two_factor wraps it.
_FORCE_LOGIN = Client.force_login

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


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(monkeypatch):
    """`client.force_login(user)` stands for a finished sign-in, second factor
    included, so the many tests that sign in staff, officers, reviewers and admins
    that way see the pages, not the code step. tests/accounts/test_two_factor.py
    signs in through the real pages (or `sign_in_with_password_only`)."""

    def force_login(self, user, backend=None):
        _FORCE_LOGIN(self, user, backend)
        session = self.session
        session[two_factor.VERIFIED_KEY] = user.pk
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def rendered_pages(settings):
    """Every anonymous request renders its page: the shared page cache
    (core.pagecache) is off, for tests that count what a rendering costs."""
    settings.MIST_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def sign_in_with_password_only():
    """Sign `user` in as the password step alone would: the session still owes the
    second factor when the person must use one."""

    def sign_in(client, user):
        _FORCE_LOGIN(client, user)

    return sign_in


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
