"""The frame every import follows: dry run → report → apply.

- files: reading an upload (its encoding by evidence, JSON, CSV rows) and
  `ImportFileError` for a file that cannot be read at all, with its message kept
  untranslated so each reader sees it in their language.
- report: the actions (create, update, unchanged, reject), `RowError`, `Report` with
  its counts, and `Importer`: a dry run that plans every row without writing, and an
  apply that plans again and writes the rows to create or update, in one transaction
  or one per row, telling a progress callback as it goes.
- command: `ImportCommand`, the management command's file, --user and summary line.

An app adds an import by subclassing `Importer` with its own mapping (`plan()`,
`write()`). The directory's import, which takes 100,000-row files in the
background, keeps its own chunked engine with bulk writes and a stored report
(directory.importing), and shares the reading, the actions and the command here.
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
