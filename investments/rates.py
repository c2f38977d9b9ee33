"""Importing dated exchange rates (UAH per unit of a currency) from CSV or NBU JSON.

Accepted files:
- CSV with the columns `date, currency, rate, source` (rate = hryvnias per one unit;
  `source` optional), comma or semicolon separated, UTF-8 (or Cyrillic text in
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
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from core import audit
from core.text import decode_upload
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


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class RateRow:
    row: int
    currency: str
    rate_date: datetime.date
    uah_per_unit: Decimal
    source: str
    action: str = ""  # "create", "update", "unchanged"


@dataclass
class RatesReport:
    rows: list[RateRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    applied: bool = False

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def rejected_rows(self) -> int:
        return len({error.row for error in self.errors})

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
    in the NBU's format. Raises ValueError when the file cannot be read."""
    try:
        text = decode_upload(data)[0].strip()
    except ValidationError as error:
        raise ValueError(error.messages[0]) from None
    if not text:
        raise ValueError(gettext("The file is empty."))
    if text[0] in "[{":
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(gettext("The file is not valid JSON.")) from error
        if isinstance(payload, dict):
            payload = [payload]
        if not all(isinstance(item, dict) for item in payload):
            raise ValueError(gettext("The JSON file is not a list of rates."))
        rows = [
            (number, {str(k).lower(): v for k, v in item.items()})
            for number, item in enumerate(payload, start=1)
        ]
        return rows, True
    dialect = (
        ";"
        if text.splitlines()[0].count(";") > text.splitlines()[0].count(",")
        else ","
    )
    reader = csv.reader(io.StringIO(text), delimiter=dialect)
    header = [cell.strip().lower() for cell in next(reader)]
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append((number, dict(zip(header, cells, strict=False))))
    return rows, "cc" in header or "exchangedate" in header


def _column(record: dict, name: str):
    for alias in COLUMN_ALIASES[name]:
        if alias in record:
            return record[alias]
    return None


def _parse(data: bytes, report: RatesReport) -> list[RateRow]:
    try:
        records, nbu = _records(data)
    except ValueError as error:
        report.file_error = str(error)
        return []
    if len(records) > MAX_ROWS:
        report.file_error = gettext("The file has more than %(max)s rows.") % {
            "max": MAX_ROWS
        }
        return []
    if records and _column(records[0][1], "date") is None:
        report.file_error = gettext(
            "The file has no date column (expected: date, currency, rate, source)."
        )
        return []
    rows, seen = [], {}
    for number, record in records:
        errors = []
        rate_date = parse_date(str(_column(record, "date") or ""))
        if rate_date is None:
            errors.append(
                RowError(
                    number, "date", gettext("Not a date (2026-11-27 or 27.11.2026).")
                )
            )
        currency = str(_column(record, "currency") or "").strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            errors.append(
                RowError(
                    number, "currency", gettext("Not a three-letter currency code.")
                )
            )
        elif currency == BASE:
            errors.append(
                RowError(
                    number, "currency", gettext("Rates are in hryvnias: UAH is 1.")
                )
            )
        rate = parse_rate(_column(record, "rate"))
        if rate is None or rate <= 0:
            errors.append(RowError(number, "rate", gettext("Not a positive number.")))
        elif rate >= Decimal(10) ** 12:
            errors.append(RowError(number, "rate", gettext("The rate is too large.")))
        source = str(_column(record, "source") or "").strip() or (
            NBU_SOURCE if nbu else DEFAULT_SOURCE
        )
        if len(source) > SOURCE_MAX:
            errors.append(
                RowError(
                    number,
                    "source",
                    gettext("Longer than %(max)s characters.") % {"max": SOURCE_MAX},
                )
            )
        if not errors and (currency, rate_date) in seen:
            errors.append(
                RowError(
                    number,
                    "date",
                    gettext(
                        "Row %(row)s already has a rate of %(currency)s on this date."
                    )
                    % {"row": seen[(currency, rate_date)], "currency": currency},
                )
            )
        if errors:
            report.errors.extend(errors)
            continue
        seen[(currency, rate_date)] = number
        rows.append(
            RateRow(number, currency, rate_date, rate.quantize(QUANTUM), source)
        )
    return rows


def check_rates(data: bytes) -> RatesReport:
    """The dry run: parse, validate and say what each good row would do."""
    report = RatesReport()
    rows = _parse(data, report)
    if rows:
        dates = {row.rate_date for row in rows}
        existing = {
            (rate.currency, rate.rate_date): rate
            for rate in ExchangeRate.objects.filter(
                rate_date__gte=min(dates), rate_date__lte=max(dates)
            )
        }
        for row in rows:
            current = existing.get((row.currency, row.rate_date))
            if current is None:
                row.action = "create"
            elif (
                current.uah_per_unit == row.uah_per_unit
                and current.source == row.source
            ):
                row.action = "unchanged"
            else:
                row.action = "update"
    report.rows = rows
    return report


@transaction.atomic
def import_rates(data: bytes, *, by=None) -> RatesReport:
    """Write the good rows (created or updated; bad rows are reported, not written)."""
    report = check_rates(data)
    if not report.ok:
        return report
    written = None
    for row in report.rows:
        if row.action == "unchanged":
            continue
        written, _created = ExchangeRate.objects.update_or_create(
            currency=row.currency,
            rate_date=row.rate_date,
            defaults={"uah_per_unit": row.uah_per_unit, "source": row.source},
        )
    report.applied = True
    if written is None:
        return report
    audit.record(
        "investments.rates_imported",
        written,
        actor=by,
        created=report.created,
        updated=report.updated,
        rejected=report.rejected_rows,
    )
    return report
