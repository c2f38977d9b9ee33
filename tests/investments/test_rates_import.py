"""Exchange-rate import: dry run with per-row errors, idempotent apply, NBU format."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from investments import rates
from investments.models import ExchangeRate
from tests.investments.fixtures import sample


@pytest.fixture(autouse=True)
def _in_english():
    """These tests read messages in English (the catalogue has Ukrainian ones too)."""
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_dry_run_reports_each_bad_row_and_writes_nothing():
    report = rates.check_rates(sample("rates.csv").read_bytes())

    errors = {(e.row, e.column) for e in report.errors}
    assert errors == {(5, "date"), (6, "currency"), (7, "rate"), (8, "date")}
    assert [row.currency for row in report.rows] == ["USD", "EUR", "USD"]
    assert report.rows[1].uah_per_unit == Decimal("45.100000")
    assert report.rows[2].source == "CSV"
    assert ExchangeRate.objects.count() == 0


@pytest.mark.django_db
def test_import_is_idempotent():
    data = sample("rates.csv").read_bytes()

    first = rates.import_rates(data)
    second = rates.import_rates(data)

    assert (first.created, first.updated) == (3, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert ExchangeRate.objects.get(
        currency="EUR", rate_date=datetime.date(2026, 11, 27)
    ).uah_per_unit == Decimal("45.1")


@pytest.mark.django_db
def test_changed_rate_updates():
    rates.import_rates(b"date,currency,rate\n2026-11-27,USD,41\n")

    report = rates.import_rates(b"date,currency,rate\n2026-11-27,USD,42\n")

    assert report.updated == 1
    assert ExchangeRate.objects.get().uah_per_unit == Decimal("42")


@pytest.mark.django_db
def test_nbu_json_export_is_accepted():
    report = rates.import_rates(sample("nbu_rates.json").read_bytes())

    assert report.created == 2
    assert ExchangeRate.objects.get(currency="USD").source == "NBU"


@pytest.mark.django_db
def test_semicolon_csv_with_nbu_columns():
    data = "exchangedate;cc;rate\n27.11.2026;USD;41,5\n".encode("cp1251")

    report = rates.check_rates(data)

    assert [(r.currency, r.source) for r in report.rows] == [("USD", "NBU")]


def test_file_without_date_column_is_refused():
    report = rates.check_rates(b"currency,rate\nUSD,41\n")

    assert "no date column" in report.file_error


@pytest.mark.django_db
def test_command_dry_run(capsys):
    call_command("import_rates", str(sample("rates.csv")), "--dry-run")

    out = capsys.readouterr().out
    assert "row 7, rate: Not a positive number." in out
    assert "dry run: 3 created, 0 updated, 0 unchanged, 4 rows rejected" in out


@pytest.mark.django_db
def test_rates_page_dry_run_then_apply(client, officer, django_assert_max_num_queries):
    client.force_login(officer)
    with sample("rates.csv").open("rb") as handle:
        response = client.post(reverse("investments:rates"), {"file": handle})
    assert response.context["report"].created == 3

    response = client.post(
        reverse("investments:rates-apply"), {"token": response.context["token"]}
    )

    assert response.context["report"].applied
    assert ExchangeRate.objects.count() == 3
    with django_assert_max_num_queries(10):
        page = client.get(reverse("investments:rates"))
    assert len(page.context["page"]) == 3


def test_utf8_file_with_a_bad_byte_is_refused_naming_the_line():
    content = "date,currency,rate,source\n2026-11-27,USD,41.5,НБУ\n".encode()
    content = content.replace("НБУ".encode(), "Н".encode() + b"\xff" + "БУ".encode())

    report = rates.check_rates(content)

    offset = content.index(b"\xff")
    assert report.file_error.startswith(
        "The file is not valid UTF-8 text: line 2 has a byte UTF-8 does not allow "
        f"(0xFF at byte offset {offset})."
    )
    assert report.rows == []
