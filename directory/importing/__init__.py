"""Bulk import of organizations from CSV and XLSX: reading, checking, applying.

One engine (`ImportRun`) serves both the dry run and the apply, so what the dry run
promises is what the apply does; the apply checks every row again against the
database as it is by then.

The package, in the order a file goes through it:

- reading: opening a CSV or XLSX file, recognizing its header, reading its cells.
- checking: the vocabularies and the check of one row into model values.
- errors: error codes with parameters, rendered in the reader's language.
- engine: `ImportRun`, which checks (and applies) a file by chunks.
- progress: publishing rows done and heartbeats so other connections see them.
- services: the use cases: upload, dry run, apply.
- recovery: stalled runs, restarting them and giving up on them.
- downloads: the template and the rejected rows as files.

Other code imports from `directory.importing` only; the names below are its API.
"""

from core.importing import ImportFileError
from directory.importing.checking import (
    RowPlan,
    Vocabulary,
    check_row,
    domain_of,
    normalize_key,
)
from directory.importing.downloads import rejected_rows, template_rows
from directory.importing.engine import CHUNK_SIZE, ImportRun
from directory.importing.errors import (
    ERRORS,
    error,
    error_message,
    error_messages,
    field_label,
)
from directory.importing.progress import (
    RUNNING,
    Progress,
    Superseded,
    last_heartbeat,
    processed_rows,
)
from directory.importing.reading import (
    COLUMNS,
    Sheet,
    cell_text,
    count_rows,
    normalize_header,
    open_sheet,
)
from directory.importing.recovery import (
    fail_stalled_imports,
    is_stalled,
    restart_import,
    restart_step,
)
from directory.importing.services import (
    MAX_UPLOAD_BYTES,
    apply_import,
    check_import,
    create_import,
    start_apply,
)

__all__ = [
    "CHUNK_SIZE",
    "COLUMNS",
    "ERRORS",
    "MAX_UPLOAD_BYTES",
    "RUNNING",
    "ImportFileError",
    "ImportRun",
    "Progress",
    "RowPlan",
    "Sheet",
    "Superseded",
    "Vocabulary",
    "apply_import",
    "cell_text",
    "check_import",
    "check_row",
    "count_rows",
    "create_import",
    "domain_of",
    "error",
    "error_message",
    "error_messages",
    "fail_stalled_imports",
    "field_label",
    "is_stalled",
    "last_heartbeat",
    "normalize_header",
    "normalize_key",
    "open_sheet",
    "processed_rows",
    "rejected_rows",
    "restart_import",
    "restart_step",
    "start_apply",
    "template_rows",
]
