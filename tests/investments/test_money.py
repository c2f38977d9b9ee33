import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from investments.money import RateMissing, convert, short_amount

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """These tests read messages in English (the catalogue has Ukrainian ones too)."""
    with translation.override("en"):
        yield


def test_convert_uses_latest_rate_on_or_before_date(rates):
    result = convert(Decimal("100"), "USD", "UAH", datetime.date(2026, 11, 20))

    assert result.amount == Decimal("4000.00")
    assert result.rate == Decimal("40")
    assert result.rate_date == datetime.date(2026, 11, 1)


def test_convert_between_two_foreign_currencies(rates):
    result = convert(Decimal("90"), "EUR", "USD", datetime.date(2026, 11, 27))

    assert result.amount == Decimal("97.59")
    assert result.rate == Decimal("45") / Decimal("41.5")
    assert result.rate_date == datetime.date(2026, 11, 27)


def test_convert_same_currency_needs_no_rate(db):
    result = convert(Decimal("5"), "EUR", "EUR")

    assert (result.amount, result.rate, result.rate_date) == (Decimal("5"), 1, None)


def test_convert_without_rate_raises(rates):
    with pytest.raises(RateMissing):
        convert(Decimal("5"), "EUR", "UAH", datetime.date(2026, 1, 1))


def test_short_amount():
    assert short_amount(Decimal("48200000")) == "48.2 M"
    assert short_amount(Decimal("950000")) == "950 K"


def test_rates_on_sees_a_new_rate_at_once(rates):
    import datetime as dt

    from investments.money import rates_on
    from tests.investments.factories import RateFactory

    on = dt.date(2026, 11, 28)
    assert rates_on(["USD"], on)["USD"].uah_per_unit == Decimal("41.5")

    RateFactory(currency="USD", rate_date=on, uah_per_unit=Decimal("42"))

    assert rates_on(["USD"], on)["USD"].uah_per_unit == Decimal("42")
