import datetime as dt
from decimal import Decimal

from django.utils import timezone

from core import demo
from investments.models import FundingSource
from meetings.models import Meeting


def test_values_resolve_offsets_references_and_strings():
    now = timezone.now()
    project = object()
    values = demo.values(
        FundingSource,
        {"project": "@project", "amount": "120000.50", "secured_on": {"days": -10}},
        {"project": project},
        now=now,
        source_name="Donor",
    )

    assert values == {
        "project": project,
        "amount": Decimal("120000.50"),
        "secured_on": timezone.localdate() - dt.timedelta(days=10),
        "source_name": "Donor",
    }


def test_an_offset_of_a_date_and_time_field_counts_from_now():
    now = timezone.now()

    values = demo.values(Meeting, {"starts_at": {"days": 2, "hours": 3}}, now=now)

    assert values["starts_at"] == now + dt.timedelta(days=2, hours=3)


def test_at_is_a_local_clock_time_in_the_zone():
    moment = demo.at(dt.date(2026, 7, 1), "09:30", "America/Los_Angeles")

    assert moment.isoformat() == "2026-07-01T09:30:00-07:00"
