"""Spreadsheet downloads: one formula-safe CSV/XLSX writer and one response.

    COLUMNS = (
        exports.Column("title", _("Title")),
        exports.Column("starts", _("Starts"), exports.DATETIME),
        exports.Column("places", _("Places"), exports.INTEGER),
    )
    return exports.spreadsheet(
        rows, columns=COLUMNS, fmt=fmt, name="mist-events", title=_("Events")
    )

`rows` is any iterable of lists of cells in the order of `columns`. The header row
carries the columns' labels in the active language; `header="names"` writes the
machine names instead (what scripts and the importers read), `header="both"` the
labels and then the names. An XLSX file also gets a "Data dictionary" sheet: machine
name, label and type of every column. Without `columns`, the first row is the header
and every cell is written as it comes (import templates, rejected rows).

Formats (`FORMATS`): "csv" is RFC 4180 (comma, CRLF); "csv-excel" is the same with
semicolons, which Excel expects where the decimal mark is a comma (Ukrainian and
most European locales). Both start with a BOM, so Excel reads UTF-8, and both quote
every field holding a comma, a semicolon, a quote, a line break or outer spaces, so a
spreadsheet never splits a cell whichever delimiter it assumes. CSV is streamed a
line at a time; XLSX is written row by row (openpyxl's write-only mode, imported
only when a workbook is made) into a temporary file. XLSX numbers, money and dates
are stored as numbers and dates with a number format, so Excel sums and sorts them.

Formulas (OWASP's CSV injection guidance): a CSV cell any part of which would start
a formula once split on either delimiter or a line break — after leading spaces,
with = + - @ tab or carriage return, or their full-width forms (＝ ＋ － ＠) — gets a
leading apostrophe on that part (`'=1+2`, `x;'=HYPERLINK(…)`), which the directory
importer strips again. An XLSX text cell is written as a text cell (type "s"), never
as a formula, so it shows exactly what was entered. Text that is only a signed
number such as a phone number (+380 57 700 00 00) stays as it is: no spreadsheet can
turn it into a call.
"""

import datetime
import decimal
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
FORMATS = ("csv", "csv-excel", "xlsx")
FORMAT_LABELS = {
    "csv": gettext_lazy("CSV (RFC 4180, comma)"),
    "csv-excel": gettext_lazy("CSV (Excel, semicolon)"),
    "xlsx": gettext_lazy("Excel (XLSX)"),
}
DELIMITERS = {"csv": ",", "csv-excel": ";"}
HEADERS = ("labels", "names", "both")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_SIGNED_NUMBER = re.compile(r"[+\-－＋][\d\s().\-/]*")
_PARTS = re.compile(r"([,;\n])")
_LEADING_SPACE = re.compile(r"^[ \u00a0\u3000]*")
_NEEDS_QUOTES = re.compile(r"[,;\"\r\n]|^\s|\s$")

# Column types: text cells, integers, decimal numbers, money (two decimals), dates,
# and times (written in the current time zone; a spreadsheet has no zones).
TEXT, INTEGER, NUMBER, MONEY, DATE, DATETIME = (
    "text",
    "integer",
    "number",
    "money",
    "date",
    "datetime",
)
NUMBER_FORMATS = {
    INTEGER: "0",
    NUMBER: "#,##0.###",
    MONEY: "#,##0.00",
    DATE: "yyyy-mm-dd",
    DATETIME: "yyyy-mm-dd hh:mm",
}
TYPE_LABELS = {
    TEXT: gettext_lazy("text"),
    INTEGER: gettext_lazy("whole number"),
    NUMBER: gettext_lazy("number"),
    MONEY: gettext_lazy("amount of money"),
    DATE: gettext_lazy("date"),
    DATETIME: gettext_lazy("date and time"),
}


@dataclass(frozen=True)
class Column:
    """One column of an export: machine name, translated label, type."""

    name: str
    label: Any
    kind: str = TEXT


def _formula_like(part: str) -> bool:
    stripped = _LEADING_SPACE.sub("", part)
    return stripped.startswith(FORMULA_START) and not _SIGNED_NUMBER.fullmatch(stripped)


def safe_cell(value):
    """`value` for a CSV file: every part of text a spreadsheet could run as a
    formula (split on either delimiter or a line break) starts with an apostrophe."""
    if not isinstance(value, str) or not value:
        return value
    pieces = _PARTS.split(value)
    # pieces alternate text, separator, text...; only the text pieces are checked.
    changed = False
    for index in range(0, len(pieces), 2):
        if _formula_like(pieces[index]):
            pieces[index] = "'" + pieces[index]
            changed = True
    return "".join(pieces) if changed else value


def _wall_time(value: datetime.datetime) -> datetime.datetime:
    """A time as a clock shows it: in its own zone if the caller gave one, a UTC
    time (as the database returns it) in the current zone."""
    if value.tzinfo is datetime.UTC:
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _text(value) -> str:
    """A cell as CSV text: dates in ISO 8601, times in the current zone."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return _wall_time(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _csv_field(text: str) -> str:
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_line(cells, delimiter: str) -> str:
    return delimiter.join(_csv_field(_text(safe_cell(cell))) for cell in cells) + "\r\n"


def _header(columns, header: str) -> list[list]:
    rows = []
    if header in ("labels", "both"):
        rows.append([str(column.label) for column in columns])
    if header in ("names", "both"):
        rows.append([column.name for column in columns])
    return rows


def csv_chunks(
    rows: Iterable[list],
    *,
    columns: tuple[Column, ...] | None = None,
    delimiter: str = ",",
    header: str = "labels",
) -> Iterator[str]:
    """Formula-safe CSV text, a line at a time, starting with a BOM. The header is
    made at once, in the active language: the rest streams after the view returns."""
    head = _header(columns, header) if columns else []
    return _csv_stream(head, rows, delimiter)


def _csv_stream(head: list[list], rows: Iterable[list], delimiter: str):
    yield "\ufeff"
    for row in head:
        yield _csv_line(row, delimiter)
    for row in rows:
        yield _csv_line(row, delimiter)


def _xlsx_value(value, kind: str):
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return _wall_time(value)
    if kind in (INTEGER, NUMBER, MONEY) and isinstance(value, str):
        try:
            value = decimal.Decimal(value)
        except decimal.InvalidOperation:
            return value
    if isinstance(value, decimal.Decimal):
        return int(value) if kind == INTEGER else float(value)
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return value


def _xlsx_cell(sheet, value, kind: str = TEXT):
    from openpyxl.cell import WriteOnlyCell

    value = _xlsx_value(value, kind)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, never a formula, whatever it starts with
    elif value is not None and kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[kind]
    return cell


def xlsx_file(
    rows: Iterable[list],
    *,
    title: str,
    columns: tuple[Column, ...] | None = None,
    header: str = "labels",
):
    """A formula-safe XLSX workbook of `rows`, in a temporary file open at its start;
    with `columns`, typed cells and a data dictionary sheet."""
    import openpyxl  # deferred: slow to import, and only exports need it
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31])
    kinds = [column.kind for column in columns] if columns else []
    if columns:
        sheet.freeze_panes = "A2"
        for row in _header(columns, header):
            cells = [_xlsx_cell(sheet, text) for text in row]
            for cell in cells:
                cell.font = Font(bold=True)
            sheet.append(cells)
    for row in rows:
        sheet.append(
            [
                _xlsx_cell(sheet, value, kinds[index] if index < len(kinds) else TEXT)
                for index, value in enumerate(row)
            ]
        )
    if columns:
        dictionary = workbook.create_sheet(title=_("Data dictionary")[:31])
        dictionary.append(
            [
                _xlsx_cell(dictionary, text)
                for text in (_("Column"), _("Name"), _("Type"))
            ]
        )
        for column in columns:
            dictionary.append(
                [
                    _xlsx_cell(dictionary, text)
                    for text in (
                        str(column.label),
                        column.name,
                        str(TYPE_LABELS[column.kind]),
                    )
                ]
            )
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(target)
    target.seek(0)
    return target


def download(content, *, filename: str) -> StreamingHttpResponse:
    """`content` (an open file, or an iterator of chunks) as an attachment named
    `filename`, whose extension gives the content type."""
    content_type = CONTENT_TYPES[filename.rsplit(".", 1)[-1]]
    if hasattr(content, "read"):
        response = FileResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def header_choice(request) -> str:
    """Which header rows the reader asked for (?header=labels|names|both)."""
    choice = request.GET.get("header", "labels")
    return choice if choice in HEADERS else "labels"


def spreadsheet(
    rows: Iterable[list],
    *,
    fmt: str,
    name: str,
    title: str,
    columns: tuple[Column, ...] | None = None,
    header: str = "labels",
) -> StreamingHttpResponse:
    """`rows` as the download `name`.csv or `name`.xlsx (`fmt`, one of FORMATS), the
    XLSX sheet called `title`; any other format is not found."""
    if fmt in DELIMITERS:
        chunks = csv_chunks(
            rows, columns=columns, delimiter=DELIMITERS[fmt], header=header
        )
        return download(chunks, filename=f"{name}.csv")
    if fmt == "xlsx":
        workbook = xlsx_file(rows, title=title, columns=columns, header=header)
        return download(workbook, filename=f"{name}.xlsx")
    raise Http404
