"""Stalled runs: detecting them, starting them again, giving up on them.

A run dies with its process (a restart of the embedded server, whose runs are
threads; a killed worker). Every progress write is also a heartbeat
(`ImportBatch.heartbeat_at` through the same channels, a timestamp next to the count
in the cache; directory.importing.progress), so a CHECKING or APPLYING batch whose
heartbeat is older than MIST_IMPORT_STALL_SECONDS is stalled: staff may start it
again (`restart_import`) and `manage.py recover_imports` marks it FAILED. Starting
again is safe: the apply is one transaction, so a dead apply wrote nothing (its
connection closed without a commit and the database rolled it back), and rows are
matched by key, so the new run sees the database as it is. Every start adds one to
`ImportBatch.attempt` and hands the number to its task; a run that finds another
number (a restarted batch, a batch given up on, a task a broker delivered again) has
been superseded and stops without writing: the dry run checks it with each chunk, in
the chunk's transaction, and the apply checks it under a lock on the batch row just
before it commits.
"""

import datetime
import logging

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import ngettext

from core import audit
from core.translation import in_each_language
from directory.importing.progress import RUNNING, last_heartbeat
from directory.models import ImportBatch, ImportRow

logger = logging.getLogger(__name__)


def is_stalled(batch: ImportBatch, *, now: datetime.datetime | None = None) -> bool:
    """Whether a dry run or apply has shown no progress for MIST_IMPORT_STALL_SECONDS,
    so the process running it has most likely ended."""
    if batch.status not in RUNNING:
        return False
    limit = datetime.timedelta(seconds=settings.MIST_IMPORT_STALL_SECONDS)
    return (now or timezone.now()) - last_heartbeat(batch) > limit


def restart_step(batch: ImportBatch) -> str:
    """What may be started again: "check" (a stalled or failed dry run), "apply" (a
    stalled apply) or "" (nothing; a failed apply is applied with the apply form)."""
    if batch.status == ImportBatch.Status.FAILED and not batch.report:
        return "check"
    if not is_stalled(batch):
        return ""
    return "apply" if batch.status == ImportBatch.Status.APPLYING else "check"


def restart_import(batch: ImportBatch, *, user) -> bool:
    """Start a stalled dry run or apply (or a failed dry run) again from the first
    row; False when there is nothing to restart: the run moves again, ended, or
    someone restarted it first."""
    from core.tasks import enqueue
    from directory.tasks import apply_import_task, check_import_task

    step = restart_step(batch)
    if not step:
        return False
    status = (
        ImportBatch.Status.APPLYING if step == "apply" else ImportBatch.Status.CHECKING
    )
    with transaction.atomic():
        # Only if nobody (a run's heartbeat, another restart) changed the batch
        # since it was read.
        started = _as_read(batch).update(
            status=status,
            processed_rows=0,
            error_message_uk="",
            error_message_en="",
            heartbeat_at=timezone.now(),
            attempt=F("attempt") + 1,
        )
        if not started:
            return False
        attempt = batch.attempt + 1
        if step == "apply":
            enqueue(
                apply_import_task, batch.pk, user.pk if user else None, attempt=attempt
            )
        else:
            enqueue(check_import_task, batch.pk, attempt=attempt)
        audit.record("import.restarted", batch, actor=user, step=step, attempt=attempt)
    return True


def _as_read(batch: ImportBatch) -> QuerySet[ImportBatch]:
    """`batch`, only if nobody (a run's heartbeat, a restart) changed its state since
    it was read: an update through it is a compare-and-set."""
    return ImportBatch.objects.filter(
        pk=batch.pk,
        status=batch.status,
        attempt=batch.attempt,
        heartbeat_at=batch.heartbeat_at,
    )


def _stall_message(batch: ImportBatch, minutes: int) -> str:
    if batch.status == ImportBatch.Status.APPLYING:
        return ngettext(
            "The apply stopped: no progress for %(count)s minute, so the process "
            "running it has ended. Nothing was written; apply the import again.",
            "The apply stopped: no progress for %(count)s minutes, so the process "
            "running it has ended. Nothing was written; apply the import again.",
            minutes,
        ) % {"count": minutes}
    return ngettext(
        "The dry run stopped: no progress for %(count)s minute, so the "
        "process running it has ended. Run the dry run again.",
        "The dry run stopped: no progress for %(count)s minutes, so the "
        "process running it has ended. Run the dry run again.",
        minutes,
    ) % {"count": minutes}


def fail_stalled_imports(*, now: datetime.datetime | None = None) -> int:
    """Mark every stalled dry run and apply FAILED, saying why (in each language);
    how many were."""
    now = now or timezone.now()
    minutes = max(1, round(settings.MIST_IMPORT_STALL_SECONDS / 60))
    failed = 0
    for batch in ImportBatch.objects.filter(status__in=RUNNING).order_by("pk"):
        if not is_stalled(batch, now=now):
            continue
        messages = in_each_language(
            lambda batch=batch: _stall_message(batch, minutes), "error_message"
        )
        try:
            with transaction.atomic():
                marked = _as_read(batch).update(
                    status=ImportBatch.Status.FAILED,
                    **messages,
                    attempt=F("attempt") + 1,
                    updated_at=now,
                )
                if marked and batch.status == ImportBatch.Status.CHECKING:
                    # What the dead dry run recorded is a part of a report.
                    ImportRow.objects.filter(batch=batch).delete()
            failed += marked
        except OperationalError:
            # SQLite: a live apply in another process holds the only write lock
            # (its heartbeat sits in that process's cache); it is not stalled.
            if connection.vendor != "sqlite":
                raise
            logger.info("Import %s is locked by a running apply", batch.pk)
    return failed
