import pytest

from accounts.models import Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.visits.factories import VisitFactory, VisitMemberFactory


@pytest.fixture
def host(db):
    return UserFactory(
        email="host@example.org", full_name="Олена Шевченко", role=Role.STAFF
    )


@pytest.fixture
def visit(host):
    """A planned visit of a Silicon Valley company, hosted by `host`."""
    return VisitFactory(
        host=host,
        organization=OrganizationFactory(
            name_uk="Сіліконова компанія",
            name_en="Valley Robotics",
            country="US",
            kind="foreign_partner",
        ),
        title_uk="Делегація з Кремнієвої долини",
        title_en="Silicon Valley delegation",
    )


@pytest.fixture
def member(visit):
    return VisitMemberFactory(
        visit=visit,
        user=UserFactory(
            email="ann@example.com",
            full_name="Ann Lee",
            role=Role.INVESTOR,
            time_zone="America/Los_Angeles",
            preferred_language="en",
        ),
    ).user


@pytest.fixture
def local_org(db):
    return OrganizationFactory(
        name_uk="Харківська робототехніка", name_en="Kharkiv Robotics"
    )


@pytest.fixture
def local_editor(local_org):
    user = UserFactory(email="editor@kharkiv.example", full_name="Іван Коваль")
    MembershipFactory(user=user, organization=local_org)
    return user
