"""Importing dated exchange rates (UAH per unit of a currency) from CSV or NBU JSON.

Accepted files:
- CSV with the columns `date, currency, rate, source` (rate = hryvnias per one unit;
  `source` optional), comma, semicolon or tab separated, UTF-8 (or Cyrillic text in
  Windows-1251: core.text.decode_upload), dates as 2026-11-27 or 27.11.2026, decimal
  comma or point;
- the National Bank of Ukraine's exchange-rate export, as JSON (the list the
  NBUStatService `exchange?json` answers: r030, txt, rate, cc, exchangedate) or as CSV
  with those columns (the source is then "NBU").

`check_rates(data)` is the dry run: it reports every bad row (row number, column,
reason) and what would be created, updated or left unchanged. `import_rates(data)`
writes the good rows; importing the same file twice changes nothing.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext

from core import audit
from core.importing import (
    Action,
    Importer,
    ImportFileError,
    Report,
    RowError,
    numbered_rows,
    parse_json,
    read_text,
    sniff_delimiter,
)
from investments.models import ExchangeRate

BASE = "UAH"
NBU_SOURCE = "NBU"
DEFAULT_SOURCE = "CSV"
MAX_ROWS = 50_000
COLUMN_ALIASES = {
    "date": ("date", "rate_date", "exchangedate", "дата"),
    "currency": ("currency", "cc", "code", "валюта"),
    "rate": ("rate", "uah_per_unit", "курс"),
    "source": ("source", "джерело"),
}
SOURCE_MAX = ExchangeRate._meta.get_field("source").max_length
QUANTUM = Decimal("0.000001")


@dataclass
class RateRow:
    row: int
    currency: str
    rate_date: datetime.date
    uah_per_unit: Decimal
    source: str
    action: str = ""  # "create", "update", "unchanged"


@dataclass
class RatesReport(Report):
    """The good rows (`rows`) and every bad row's errors, which reject the row."""

    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""

    @property
    def rejected(self) -> int:
        return len({error.row for error in self.errors})

    @property
    def rejected_rows(self) -> int:  # the rates page's word for it
        return self.rejected

    @property
    def ok(self) -> bool:
        return not self.file_error


def parse_date(value: str) -> datetime.date | None:
    value = (value or "").strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def parse_rate(value) -> Decimal | None:
    text = str(value if value is not None else "").strip().replace(" ", "")
    text = text.replace(",", ".")
    try:
        rate = Decimal(text)
    except InvalidOperation:
        return None
    return rate if rate.is_finite() else None


def _records(data: bytes) -> tuple[list[tuple[int, dict]], bool]:
    """(row number, {column: text}) for every data row, and whether the file is
    in the NBU's format. Raises ImportFileError when the file cannot be read."""
    text = read_text(data).strip()
    if text[0] in "[{":
        payload = parse_json(text)
        if isinstance(payload, dict):
            payload = [payload]
        if not all(isinstance(item, dict) for item in payload):
            raise ImportFileError(gettext("The JSON file is not a list of rates."))
        rows = [
            (number, {str(k).lower(): v for k, v in item.items()})
            for number, item in enumerate(payload, start=1)
        ]
        return rows, True
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader)]
    rows = [
        (number, dict(zip(header, cells, strict=False)))
        for number, cells in numbered_rows(reader)
    ]
    return rows, "cc" in header or "exchangedate" in header


def _column(record: dict, name: str):
    for alias in COLUMN_ALIASES[name]:
        if alias in record:
            return record[alias]
    return None


def _parse(data: bytes, errors: list[RowError]) -> list[RateRow]:
    """The good rows; the bad rows' errors go to `errors`."""
    records, nbu = _records(data)
    if len(records) > MAX_ROWS:
        raise ImportFileError(
            gettext("The file has more than %(max)s rows.") % {"max": MAX_ROWS}
        )
    if records and _column(records[0][1], "date") is None:
        raise ImportFileError(
            gettext(
                "The file has no date column (expected: date, currency, rate, source)."
            )
        )
    rows, seen = [], {}
    for number, record in records:
        row_errors = []
        rate_date = parse_date(str(_column(record, "date") or ""))
        if rate_date is None:
            row_errors.append(
                RowError(
                    number, "date", gettext("Not a date (2026-11-27 or 27.11.2026).")
                )
            )
        currency = str(_column(record, "currency") or "").strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            row_errors.append(
                RowError(
                    number, "currency", gettext("Not a three-letter currency code.")
                )
            )
        elif currency == BASE:
            row_errors.append(
                RowError(
                    number, "currency", gettext("Rates are in hryvnias: UAH is 1.")
                )
            )
        rate = parse_rate(_column(record, "rate"))
        if rate is None or rate <= 0:
            row_errors.append(
                RowError(number, "rate", gettext("Not a positive number."))
            )
        elif rate >= Decimal(10) ** 12:
            row_errors.append(
                RowError(number, "rate", gettext("The rate is too large."))
            )
        source = str(_column(record, "source") or "").strip() or (
            NBU_SOURCE if nbu else DEFAULT_SOURCE
        )
        if len(source) > SOURCE_MAX:
            row_errors.append(
                RowError(
                    number,
                    "source",
                    gettext("Longer than %(max)s characters.") % {"max": SOURCE_MAX},
                )
            )
        if not row_errors and (currency, rate_date) in seen:
            row_errors.append(
                RowError(
                    number,
                    "date",
                    gettext(
                        "Row %(row)s already has a rate of %(currency)s on this date."
                    )
                    % {"row": seen[(currency, rate_date)], "currency": currency},
                )
            )
        if row_errors:
            errors.extend(row_errors)
            continue
        seen[(currency, rate_date)] = number
        rows.append(
            RateRow(number, currency, rate_date, rate.quantize(QUANTUM), source)
        )
    return rows


class RatesImport(Importer):
    """Rates are matched by their natural key, (currency, date)."""

    def __init__(self, data: bytes):
        self.data = data
        self.written = None

    def plan(self) -> tuple[RatesReport, list[RateRow]]:
        report = RatesReport()
        report.rows = _parse(self.data, report.errors)
        if report.rows:
            dates = {row.rate_date for row in report.rows}
            existing = {
                (rate.currency, rate.rate_date): rate
                for rate in ExchangeRate.objects.filter(
                    rate_date__gte=min(dates), rate_date__lte=max(dates)
                )
            }
            for row in report.rows:
                current = existing.get((row.currency, row.rate_date))
                if current is None:
                    row.action = Action.CREATE
                elif (current.uah_per_unit, current.source) == (
                    row.uah_per_unit,
                    row.source,
                ):
                    row.action = Action.UNCHANGED
                else:
                    row.action = Action.UPDATE
        return report, report.rows

    def write(self, row: RateRow, *, by) -> None:
        self.written, _created = ExchangeRate.objects.update_or_create(
            currency=row.currency,
            rate_date=row.rate_date,
            defaults={"uah_per_unit": row.uah_per_unit, "source": row.source},
        )

    def applied(self, report: RatesReport, *, by) -> None:
        if self.written is not None:
            audit.record(
                "investments.rates_imported", self.written, actor=by, **report.counts()
            )


def _unless_unreadable(step) -> RatesReport:
    try:
        return step()
    except ImportFileError as error:
        return RatesReport(file_error=str(error))


def check_rates(data: bytes) -> RatesReport:
    """The dry run: parse, validate and say what each good row would do."""
    return _unless_unreadable(RatesImport(data).check)


def import_rates(data: bytes, *, by=None) -> RatesReport:
    """Write the good rows (created or updated; bad rows are reported, not written)."""
    return _unless_unreadable(lambda: RatesImport(data).apply(by=by))
