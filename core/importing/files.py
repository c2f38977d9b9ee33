"""Reading an uploaded file: its text in an encoding told by evidence, its JSON, its
CSV rows; and the one error for a file that cannot be read at all."""

import codecs
import io
import json
import re
from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Uploaded text files: which encoding, by evidence.

_DECODE_CHUNK = 1 << 20
# What Ukrainian (or Russian) text saved as Windows-1251 holds besides ASCII: the
# letters and the typography Word and Excel put in.
_CP1251_TEXT = frozenset(
    "АБВГҐДЕЄЁЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЪЫЭЮЯабвгґдеєёжзиіїйклмнопрстуфхцчшщьъыэюя"
    "«»–—…№’‘“”„\u00a0°§©®•€"
)
_CYRILLIC_LETTER = re.compile(r"[А-ЯЁІЇЄҐа-яёіїєґ]")
_LETTER = re.compile(r"[^\W\d_]")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_ASCII_LETTER = re.compile("[A-Za-z]")
ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "cp1251": "Windows-1251",
}


def _first_invalid_byte(binary, *, start: int = 0) -> tuple[int, int, int] | None:
    """(line, byte offset, byte value) of the first byte that is not UTF-8, or None.

    Reads `binary` from `start` in chunks; offsets count from the file's start."""
    binary.seek(start)
    decoder = codecs.getincrementaldecoder("utf-8")()
    fed = start
    newlines = 0
    while True:
        chunk = binary.read(_DECODE_CHUNK)
        pending = decoder.getstate()[0]
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            # The decoder saw the bytes it held back (never a newline) and the chunk.
            offset = fed - len(pending) + exc.start
            line = 1 + newlines + exc.object[: exc.start].count(b"\n")
            return line, offset, exc.object[exc.start]
        if not chunk:
            return None
        newlines += chunk.count(b"\n")
        fed += len(chunk)


def _looks_cyrillic_cp1251(binary) -> bool:
    """Whether the whole file decodes as Windows-1251 into text that reads as
    Ukrainian: some of its letters Cyrillic (a row of names, e-mail addresses and
    websites is mostly Latin), no stray symbols, no words mixing Cyrillic and Latin
    letters, and not the "Р°РІ" pattern of UTF-8 read as Windows-1251 (every letter
    preceded by Р or С)."""
    binary.seek(0)
    # Letters; Cyrillic ones; of those the capitals Р and С; other non-ASCII
    # characters; words with Cyrillic letters; of those, words with Latin ones too
    # (Latin-1 text read as Windows-1251: "Mьnchen").
    letters = cyrillic = capital_r_s = other = words = mixed = 0
    while chunk := binary.read(_DECODE_CHUNK):
        try:
            text = chunk.decode("cp1251")
        except UnicodeDecodeError:
            return False
        letters += len(_LETTER.findall(text))
        if text.isascii():
            continue
        found = _CYRILLIC_LETTER.findall(text)
        cyrillic += len(found)
        capital_r_s += sum(1 for letter in found if letter in "РС")
        other += sum(1 for char in text if ord(char) > 127 and char not in _CP1251_TEXT)
        for word in _LETTER_RUN.findall(text):
            if _CYRILLIC_LETTER.search(word):
                words += 1
                mixed += bool(_ASCII_LETTER.search(word))
    non_ascii = cyrillic + other
    return bool(
        cyrillic
        and cyrillic >= 0.05 * letters
        and other <= 0.05 * non_ascii
        and capital_r_s < 0.3 * cyrillic
        and mixed <= 0.1 * words
    )


def detect_encoding(binary, *, allow_cp1251: bool = True) -> str:
    """The encoding of an uploaded text file (a binary file object), by evidence.

    UTF-8 (with or without a BOM) when the whole file is valid UTF-8; UTF-16 only
    with its BOM; Windows-1251 only when allowed and the whole file decodes as it
    into Cyrillic text. Otherwise a ValidationError names the line and byte offset
    of the first byte that is not UTF-8. Leaves `binary` at its start."""
    try:
        start = binary.read(4)
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            binary.seek(0)
            try:
                binary.read().decode("utf-16")
            except UnicodeDecodeError as exc:
                raise ValidationError(
                    _("The file says it is UTF-16 but is not (at byte %(offset)s)."),
                    code="invalid_utf16",
                    params={"offset": exc.start},
                ) from None
            return "utf-16"
        bom = start.startswith(codecs.BOM_UTF8)
        invalid = _first_invalid_byte(binary, start=len(codecs.BOM_UTF8) if bom else 0)
        if invalid is None:
            return "utf-8-sig" if bom else "utf-8"
        if allow_cp1251 and not bom and _looks_cyrillic_cp1251(binary):
            return "cp1251"
        line, offset, byte = invalid
        raise ValidationError(
            _(
                "The file is not valid UTF-8 text: line %(line)s has a byte UTF-8 "
                "does not allow (0x%(byte)s at byte offset %(offset)s). Save the "
                "file as UTF-8 (in Excel: “CSV UTF-8”) and upload it again."
            ),
            code="invalid_utf8",
            params={"line": line, "offset": offset, "byte": f"{byte:02X}"},
        )
    finally:
        binary.seek(0)


def decode_upload(data: bytes, *, allow_cp1251: bool = True) -> tuple[str, str]:
    """An uploaded file's text and its encoding (see detect_encoding()); raises
    ValidationError when it is not text in an encoding that can be told for sure."""
    encoding = detect_encoding(io.BytesIO(data), allow_cp1251=allow_cp1251)
    return data.decode(encoding), encoding


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
    """detect_encoding(), raising ImportFileError."""
    try:
        return detect_encoding(binary, allow_cp1251=allow_cp1251)
    except ValidationError as exc:
        raise ImportFileError(exc.message, exc.params) from None


def read_text(data: bytes, *, allow_cp1251: bool = True) -> str:
    """An uploaded file's text (decode_upload()); ImportFileError when it
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
