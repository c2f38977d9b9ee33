"""The frame every import follows: dry run → report → apply.

- files: reading an upload (its encoding by evidence, JSON, CSV rows) and
  `ImportFileError` for a file that cannot be read at all, with its message kept
  untranslated so each reader sees it in their language.
- report: the actions (create, update, unchanged, reject), `RowError`, `Report` with
  its counts, and `Importer`: a dry run that plans every row without writing, and an
  apply that plans again and writes the rows to create or update, in one transaction
  or one per row, telling a progress callback as it goes.
- command: `ImportCommand`, the management command's file, --user and summary line.
- bulk: for files of many thousand rows, COPY on PostgreSQL and a writer thread
  that stores one chunk while the next is checked.

An app adds an import by subclassing `Importer` with its own mapping (`plan()`,
`write()`): investments.rates and investments.oc4ids.importing do. The directory's
import, which takes 100,000-row files in the background, keeps its own chunked
engine with a stored per-row report, progress and restarts (directory.importing):
a row-by-row apply would cost it most of its speed. It shares the reading, the
bulk writes and the command here.
"""

from core.importing.command import ImportCommand
from core.importing.files import (
    ImportFileError,
    numbered_rows,
    parse_json,
    read_text,
    sniff_delimiter,
    text_encoding,
)
from core.importing.report import WRITTEN, Action, Importer, Report, RowError

__all__ = [
    "WRITTEN",
    "Action",
    "ImportCommand",
    "ImportFileError",
    "Importer",
    "Report",
    "RowError",
    "numbered_rows",
    "parse_json",
    "read_text",
    "sniff_delimiter",
    "text_encoding",
]
