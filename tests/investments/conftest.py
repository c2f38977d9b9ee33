import datetime
from decimal import Decimal

import pytest

from accounts.models import Role
from tests.factories import UserFactory
from tests.investments.factories import RateFactory, investor_user


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def officer(db):
    return UserFactory(role=Role.CITY_OFFICER, email="officer@example.org")


@pytest.fixture
def investor(db):
    return investor_user(email="investor@example.org")


@pytest.fixture
def unverified_investor(db):
    return investor_user(verified=False, email="pending-investor@example.org")


@pytest.fixture
def rates(db):
    """USD 41.5 and EUR 45 UAH on 27 Nov 2026 (and older USD 40 on 1 Nov)."""
    return [
        RateFactory(
            currency="USD",
            rate_date=datetime.date(2026, 11, 1),
            uah_per_unit=Decimal("40"),
        ),
        RateFactory(
            currency="USD",
            rate_date=datetime.date(2026, 11, 27),
            uah_per_unit=Decimal("41.5"),
        ),
        RateFactory(
            currency="EUR",
            rate_date=datetime.date(2026, 11, 27),
            uah_per_unit=Decimal("45"),
        ),
    ]
