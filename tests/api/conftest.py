"""API fixtures: a DRF client and a second organization's editor."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture
def api_client(db):
    return APIClient()


@pytest.fixture
def other_editor(db):
    """An organization editor who edits a different organization."""
    user = UserFactory(role=Role.EDITOR, email="other-editor@example.org")
    MembershipFactory(user=user, organization=OrganizationFactory())
    return user


@pytest.fixture
def client_for(api_client):
    """An API client signed in as `user` (anonymous for None)."""

    def make(user):
        if user is not None:
            api_client.force_authenticate(user)
        return api_client

    return make
