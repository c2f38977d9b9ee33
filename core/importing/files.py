"""Reading an uploaded file: its text in an encoding told by evidence, its JSON, its
CSV rows; and the one error for a file that cannot be read at all."""

import json
from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.text import decode_upload, detect_encoding


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message says why.

    The message is kept untranslated (a lazy text and its parameters), so that it can
    be shown in each reader's language, also by a background task."""

    def __init__(self, message, params: dict | None = None):
        super().__init__(message)
        self.message = message
        self.params = params or {}

    def __str__(self):
        return str(self.message) % self.params if self.params else str(self.message)


def text_encoding(binary, *, allow_cp1251: bool = True) -> str:
    """core.text.detect_encoding(), raising ImportFileError."""
    try:
        return detect_encoding(binary, allow_cp1251=allow_cp1251)
    except ValidationError as exc:
        raise ImportFileError(exc.message, exc.params) from None


def read_text(data: bytes, *, allow_cp1251: bool = True) -> str:
    """An uploaded file's text (core.text.decode_upload()); ImportFileError when it
    is not text in an encoding that can be told for sure, or holds nothing."""
    try:
        text = decode_upload(data, allow_cp1251=allow_cp1251)[0]
    except ValidationError as exc:
        raise ImportFileError(exc.message, exc.params) from None
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    return text


def parse_json(text: str):
    """The JSON value of a file's text; ImportFileError saying where it is broken."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            _("The file is not valid JSON (line %(line)s, column %(column)s)."),
            {"line": error.lineno, "column": error.colno},
        ) from None


def sniff_delimiter(line: str) -> str:
    """The separator of a CSV file, from its first line: the most frequent of
    semicolon, comma and tab (Excel writes semicolons where the decimal mark is a
    comma, as in Ukraine)."""
    counts = {d: line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _is_blank(cells) -> bool:
    return all(
        cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells
    )


def numbered_rows(rows: Iterable[list]) -> Iterator[tuple[int, list]]:
    """The data rows under a header row, numbered as a spreadsheet shows them (the
    first one is 2), without the blank ones."""
    for number, cells in enumerate(rows, start=2):
        if not _is_blank(cells):
            yield number, cells
