"""The shared import frame (core.importing): reading, the apply, the command."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from core.importing import (
    Action,
    Importer,
    ImportFileError,
    Report,
    numbered_rows,
    parse_json,
    read_text,
    sniff_delimiter,
)
from investments import rates
from investments.models import ExchangeRate

RATES = b"date,currency,rate\n2026-11-27,USD,41\n2026-11-27,EUR,45\n"


@dataclass
class Row:
    currency: str
    uah_per_unit: Decimal | None
    action: str = Action.CREATE


class OneTransactionPerRow(Importer):
    row_transactions = True

    def __init__(self, rows):
        self.rows = rows

    def plan(self):
        return Report(rows=self.rows), self.rows

    def write(self, row, *, by):
        ExchangeRate.objects.create(
            currency=row.currency,
            rate_date=datetime.date(2026, 11, 27),
            uah_per_unit=row.uah_per_unit,
        )


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def test_read_text_refuses_an_empty_file():
    with pytest.raises(ImportFileError, match=r"The file is empty\."):
        read_text(b" \n")


def test_parse_json_says_where_the_file_is_broken():
    with pytest.raises(ImportFileError) as caught:
        parse_json('{\n  "projects": [,]\n}')

    assert str(caught.value) == "The file is not valid JSON (line 2, column 16)."


def test_sniff_delimiter_takes_the_most_frequent_separator():
    assert [sniff_delimiter(line) for line in ("a;b;c", "a,b", "a\tb", "a")] == [
        ";",
        ",",
        "\t",
        ",",
    ]


def test_numbered_rows_skip_blank_rows_and_count_from_the_header():
    rows = [["a"], ["", " "], [None], ["b"]]

    assert list(numbered_rows(rows)) == [(2, ["a"]), (5, ["b"])]


@pytest.mark.django_db
def test_apply_tells_progress_after_each_planned_row():
    done = []

    report = rates.RatesImport(RATES).apply(progress=done.append)

    assert done == [1, 2]
    assert (report.applied, report.created) == (True, 2)


@pytest.mark.django_db
def test_a_row_that_cannot_be_saved_is_rejected_and_the_others_are_kept():
    rows = [Row("USD", Decimal(41)), Row("EUR", None), Row("PLN", Decimal(10))]

    report = OneTransactionPerRow(rows).apply()

    assert [row.action for row in report.rows] == ["create", "reject", "create"]
    assert sorted(ExchangeRate.objects.values_list("currency", flat=True)) == [
        "PLN",
        "USD",
    ]


@pytest.mark.django_db
def test_import_command_refuses_an_unknown_user(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_bytes(RATES)

    with pytest.raises(CommandError, match=r"No user with the e-mail nobody@x\.org"):
        call_command("import_rates", str(path), "--user", "nobody@x.org")

    assert ExchangeRate.objects.count() == 0
