"""Reading an uploaded file: CSV or XLSX, its header row, its cells.

Reading streams the file row by row (csv module, openpyxl read-only); the engine
takes the rows in chunks (directory.importing.engine).
"""

import contextlib
import csv
import datetime
import functools
import io
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.exports import FORMULA_START
from core.importing import (
    ImportFileError,
    numbered_rows,
    sniff_delimiter,
    text_encoding,
)

# Column → accepted header names (compared after normalize_header()), and the
# synonyms of the kinds, cluster statuses and visibilities (see checking.py).
SYNONYMS = json.loads(
    Path(__file__).with_name("synonyms.json").read_text(encoding="utf-8")
)
COLUMNS: dict[str, tuple[str, ...]] = {
    column: tuple(aliases) for column, aliases in SYNONYMS["columns"].items()
}
_HEADER_JUNK = re.compile(r"[\s_\-–.:*()]+")


def normalize_header(text) -> str:
    return _HEADER_JUNK.sub(" ", str(text or "").replace("\ufeff", "").lower()).strip()


_HEADER_INDEX = {
    normalize_header(alias): column
    for column, aliases in COLUMNS.items()
    for alias in aliases
}


@dataclass
class Sheet:
    """The header of an opened spreadsheet and an iterator over its data rows."""

    header: list[str]
    columns: dict[int, str]  # cell index → column name
    ignored: list[str]
    rows: Iterator[tuple[int, list]]  # (row number as the spreadsheet shows it, cells)
    estimated_rows: int | None = None
    encoding: str = (
        ""  # of a CSV file (core.importing.files.ENCODING_LABELS); "" for XLSX
    )

    def record(self, cells: list) -> dict[str, Any]:
        values = {}
        for index, column in self.columns.items():
            if index < len(cells):
                values[column] = cells[index]
        return values


@functools.cache
def _export_labels() -> dict[str, str]:
    """The export's translated headers in every language, so an exported file
    imports back whichever header it carries."""
    from directory.exports import columns  # the export's labels, read once

    labels = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for column in columns():
                if column.name in COLUMNS:
                    labels[normalize_header(str(column.label))] = column.name
    return labels


def _make_sheet(header_cells, rows, estimated=None) -> Sheet:
    header = ["" if cell is None else str(cell).strip() for cell in header_cells]
    columns: dict[int, str] = {}
    ignored = []
    for index, title in enumerate(header):
        key = normalize_header(title)
        column = _HEADER_INDEX.get(key) or _export_labels().get(key)
        if column and column not in columns.values():
            columns[index] = column
        elif title:
            ignored.append(title)
    if "name_uk" not in columns.values() and "name_en" not in columns.values():
        raise ImportFileError(
            _(
                "The first row must name the columns, with at least a name column "
                "(name_uk or “Назва”). Download the template to see them all."
            )
        )
    return Sheet(header, columns, ignored, numbered_rows(rows), estimated)


@contextlib.contextmanager
def open_sheet(binary, filename: str) -> Iterator[Sheet]:
    """Open an uploaded CSV or XLSX file (a binary file object) as a Sheet."""
    binary = getattr(binary, "file", binary)  # unwrap Django's File proxies
    head = binary.read(4)
    binary.seek(0)
    lowered = filename.lower()
    if head.startswith(b"PK\x03\x04") or lowered.endswith((".xlsx", ".xlsm")):
        with _open_xlsx(binary) as sheet:
            yield sheet
    elif lowered.endswith(".xls") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("Old Excel files (.xls) are not supported: save it as .xlsx or CSV.")
        )
    else:
        yield _open_csv(binary)


def _open_csv(binary) -> Sheet:
    encoding = text_encoding(binary)
    text = io.TextIOWrapper(binary, encoding=encoding, newline="")
    first = text.readline()
    if not first.strip():
        raise ImportFileError(_("The file is empty."))
    reader = csv.reader(
        itertools.chain([first], text), delimiter=sniff_delimiter(first)
    )
    sheet = _make_sheet(next(reader), reader)
    sheet.encoding = encoding
    return sheet


@contextlib.contextmanager
def _open_xlsx(binary) -> Iterator[Sheet]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(binary, read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFileError(
            _("This is not a readable XLSX file (%(error)s)."), {"error": str(exc)}
        ) from exc
    try:
        worksheet = workbook.worksheets[0]
        rows = worksheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ImportFileError(_("The file is empty."))
        estimated = (worksheet.max_row - 1) if worksheet.max_row else None
        yield _make_sheet(header, (list(r) for r in rows), estimated)
    finally:
        workbook.close()


def count_rows(binary, filename: str) -> int:
    """Non-blank data rows of a file (a cheap first pass, for the progress bar)."""
    return survey(binary, filename)[0]


def survey(binary, filename: str) -> tuple[int, str]:
    """A file's non-blank data rows (see count_rows()) and the encoding of a CSV
    file ("" for XLSX)."""
    with open_sheet(binary, filename) as sheet:
        if sheet.estimated_rows is not None:
            return sheet.estimated_rows, sheet.encoding
        return sum(1 for _row in sheet.rows), sheet.encoding


def cell_text(value) -> str:
    if type(value) is str:
        value = value.strip()
        # An apostrophe the export put before a formula-like text.
        if value[:1] == "'" and value[1:].startswith(FORMULA_START):
            return value[1:]
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()
