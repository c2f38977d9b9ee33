"""Spreadsheet downloads: one formula-safe CSV/XLSX writer and one response.

    return exports.spreadsheet(rows, fmt="csv", name="mist-events", title="Events")

`rows` is any iterable of lists, the header first. CSV is streamed a line at a time
(with a BOM, so Excel reads UTF-8); XLSX is written row by row (openpyxl's
write-only mode, imported only when a workbook is made) into a temporary file.

Every text cell passes `safe_cell`: text a spreadsheet would run as a formula
(OWASP's leading = + - @ tab and carriage return) gets a leading apostrophe, which
the directory importer strips again. Numbers stay numbers, and so does text that is
only a signed number such as a phone number (+380 57 700 00 00), which no
spreadsheet can turn into a call.
"""

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils.http import content_disposition_header

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"[+\-][\d\s().\-/]*")


def safe_cell(value):
    """`value`, with text a spreadsheet would run as a formula made inert."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not _SIGNED_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write() returns the text, for streaming csv."""

    def write(self, value):
        return value


def csv_chunks(rows: Iterable[list]) -> Iterator[str]:
    """Formula-safe CSV text, a line at a time, starting with a BOM."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def xlsx_file(rows: Iterable[list], *, title: str):
    """A formula-safe XLSX workbook of `rows`, in a temporary file open at its start."""
    import openpyxl  # deferred: slow to import, and only exports need it

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
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


def spreadsheet(
    rows: Iterable[list], *, fmt: str, name: str, title: str
) -> StreamingHttpResponse:
    """`rows` as the download `name`.csv or `name`.xlsx (`fmt`), the XLSX sheet
    called `title`; any other format is not found."""
    if fmt == "csv":
        return download(csv_chunks(rows), filename=f"{name}.csv")
    if fmt == "xlsx":
        return download(xlsx_file(rows, title=title), filename=f"{name}.xlsx")
    raise Http404
