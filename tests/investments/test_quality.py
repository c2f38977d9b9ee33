import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from investments.quality import check_project, describe
from tests.investments.factories import (
    BudgetLineFactory,
    DocumentFactory,
    IndicatorFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """These tests read messages in English (the catalogue has Ukrainian ones too)."""
    with translation.override("en"):
        yield


def codes(project):
    return {w["code"] for w in check_project(project)}


def _complete(**kwargs):
    project = ProjectFactory(**kwargs)
    BudgetLineFactory(
        project=project, amount=project.total_cost, currency=project.currency
    )
    IndicatorFactory(project=project)
    return project


def test_complete_project_has_no_warnings(rates):
    project = _complete()

    assert check_project(project) == []


def test_dates_and_duration_warnings(rates):
    reversed_dates = _complete(
        starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2026, 1, 1)
    )
    long = _complete(
        starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2050, 1, 1)
    )

    assert "dates_reversed" in codes(reversed_dates)
    assert "duration_long" in codes(long)


def test_amount_out_of_range(rates):
    tiny = _complete(total_cost=Decimal("100"), financing_sought=Decimal("50"))

    assert "total_small" in codes(tiny)


def test_breakdown_converted_before_comparing(rates):
    project = _complete()
    project.budget_lines.all().delete()
    # 1,000,000 USD = 41,500,000 UAH at 41.5.
    BudgetLineFactory(project=project, amount=Decimal("41500000"), currency="UAH")

    assert "breakdown_mismatch" not in codes(project)


def test_breakdown_mismatch_warns_with_sum(rates):
    project = _complete()
    BudgetLineFactory(project=project, amount=Decimal("500000"), currency="USD")

    warnings = [w for w in check_project(project) if w["code"] == "breakdown_mismatch"]

    assert len(warnings) == 1
    assert "1\u202f500\u202f000.00 USD" in describe(warnings[0])


def test_missing_rate_is_a_warning_not_an_error(db):
    project = _complete(currency="EUR")

    assert "rate_missing" in codes(project)


def test_readiness_expects_documents(rates):
    project = _complete(readiness="design")

    found = [w for w in check_project(project) if w["code"] == "document_missing"]

    assert [w["params"]["stage"] for w in found] == [
        "pre_feasibility",
        "feasibility",
        "design",
    ]
    DocumentFactory(project=project, document_type="feasibilityStudy")
    assert "feasibility" not in [
        w["params"]["stage"]
        for w in check_project(project)
        if w["code"] == "document_missing"
    ]


def test_english_missing(rates):
    project = _complete(summary_en="", description_en="")

    found = [w for w in check_project(project) if w["code"] == "english_missing"]

    assert found[0]["params"]["fields"] == ["summary_en", "description_en"]
    assert "summary" in describe(found[0])
