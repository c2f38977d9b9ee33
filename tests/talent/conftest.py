import pytest

from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture
def company():
    """A verified local organization."""
    return OrganizationFactory(
        name_en="Kharkiv Soft",
        name_uk="Харків Софт",
        email="jobs@kharkiv-soft.example",
        phone="+380 57 700 00 00",
    )


@pytest.fixture
def hirer(company):
    """An editor of `company`."""
    user = UserFactory(full_name="Hanna Hirer", email="hanna@kharkiv-soft.example")
    MembershipFactory(user=user, organization=company)
    return user


@pytest.fixture
def staff():
    from accounts.models import Role

    return UserFactory(role=Role.STAFF)
