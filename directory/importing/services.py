"""The use cases of an import: upload a file, run its dry run, apply it.

A restarted batch supersedes its earlier run, which then writes nothing
(directory.importing.recovery).
"""

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from core import audit
from core.importing import ImportFileError
from core.translation import in_each_language
from directory.importing.engine import CHUNK_SIZE, ImportRun
from directory.importing.progress import Progress, Superseded
from directory.importing.reading import survey
from directory.models import ImportBatch, ImportRow

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def _store_outcome(batch: ImportBatch, run: ImportRun, status: str) -> None:
    batch.status = status
    batch.total_rows = batch.processed_rows = run.processed
    batch.created_count = run.counts[ImportRow.Action.CREATE]
    batch.updated_count = run.counts[ImportRow.Action.UPDATE]
    batch.unchanged_count = run.counts[ImportRow.Action.UNCHANGED]
    batch.rejected_count = run.counts[ImportRow.Action.REJECT]
    batch.report = run.summary()
    batch.error_message_uk = batch.error_message_en = ""
    batch.heartbeat_at = timezone.now()


def _mark_failed(batch: ImportBatch, exc: Exception) -> None:
    batch.status = ImportBatch.Status.FAILED
    messages = in_each_language(lambda: _failure_message(exc), "error_message")
    for name, text in messages.items():
        setattr(batch, name, text)
    ImportBatch.objects.filter(pk=batch.pk, attempt=batch.attempt).update(
        status=batch.status, updated_at=timezone.now(), **messages
    )


def _still_current(batch: ImportBatch, status: str) -> bool:
    """Locks the batch row (until the transaction ends) and tells whether this run
    is still the batch's current attempt."""
    return (
        ImportBatch.objects.select_for_update()
        .filter(pk=batch.pk, attempt=batch.attempt, status=status)
        .exists()
    )


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, ImportFileError):
        return str(exc)
    return gettext("Unexpected error, nothing was written: %(error)s") % {
        "error": f"{type(exc).__name__}: {exc}"
    }


def create_import(*, uploaded_file, user) -> ImportBatch:
    """Store an uploaded file as a new batch and start its dry run in the background."""
    from core.tasks import enqueue
    from directory.tasks import check_import_task

    name = uploaded_file.name.rsplit("/", 1)[-1][:255]
    if not name.lower().endswith((".csv", ".xlsx", ".xlsm", ".txt")):
        raise ValidationError(
            gettext("Upload a CSV or an XLSX file (this one is %(name)s).")
            % {"name": name},
            code="file_type",
        )
    if uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            gettext("The file is larger than %(size)s MB.")
            % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="file_size",
        )
    with transaction.atomic():
        batch = ImportBatch(
            original_name=name,
            created_by=user if user and user.is_authenticated else None,
            status=ImportBatch.Status.CHECKING,
            heartbeat_at=timezone.now(),
        )
        batch.file.save(name, uploaded_file, save=False)
        batch.save()
        enqueue(check_import_task, batch.pk, attempt=batch.attempt)
    return batch


def check_import(batch: ImportBatch, *, chunk_size: int = CHUNK_SIZE) -> ImportBatch:
    """The dry run: check every row and record what applying would do. Writes no
    organization."""
    batch.status = ImportBatch.Status.CHECKING
    batch.processed_rows = 0
    try:
        with batch.file.open("rb") as binary:
            batch.total_rows, batch.encoding = survey(binary, batch.original_name)
    except Exception as exc:
        _mark_failed(batch, exc)
        return batch
    with transaction.atomic():
        if not ImportBatch.objects.filter(pk=batch.pk, attempt=batch.attempt).update(
            status=batch.status,
            processed_rows=0,
            total_rows=batch.total_rows,
            encoding=batch.encoding,
            heartbeat_at=timezone.now(),
        ):
            logger.info("Dry run of import %s superseded", batch.pk)
            return batch
        ImportRow.objects.filter(batch=batch).delete()
    progress = Progress(batch, in_transaction=False)
    run = ImportRun(batch, apply=False, chunk_size=chunk_size, progress=progress)
    try:
        run.run()
    except Superseded:
        logger.info("Dry run of import %s superseded", batch.pk)
        return batch
    except Exception as exc:
        if not isinstance(exc, ImportFileError):
            logger.exception("Dry run of import %s failed", batch.pk)
        with transaction.atomic():
            if _still_current(batch, ImportBatch.Status.CHECKING):
                ImportRow.objects.filter(batch=batch).delete()
                _mark_failed(batch, exc)
        return batch
    with transaction.atomic():
        if not _still_current(batch, ImportBatch.Status.CHECKING):
            logger.info("Dry run of import %s superseded", batch.pk)
            return batch
        _store_outcome(batch, run, ImportBatch.Status.CHECKED)
        batch.save()
    cache.delete(Progress.cache_key(batch))
    return batch


def start_apply(batch: ImportBatch, *, user) -> bool:
    """Queue the apply of a checked batch; False when it is not in a state to apply
    (already applying or applied, or not checked yet)."""
    from core.tasks import enqueue
    from directory.tasks import apply_import_task

    with transaction.atomic():
        started = ImportBatch.objects.filter(
            pk=batch.pk,
            status__in=[ImportBatch.Status.CHECKED, ImportBatch.Status.FAILED],
            report__phase__isnull=False,
        ).update(
            status=ImportBatch.Status.APPLYING,
            processed_rows=0,
            error_message_uk="",
            error_message_en="",
            heartbeat_at=timezone.now(),
            attempt=F("attempt") + 1,
        )
        if started:
            attempt = ImportBatch.objects.values_list("attempt", flat=True).get(
                pk=batch.pk
            )
            enqueue(
                apply_import_task, batch.pk, user.pk if user else None, attempt=attempt
            )
    return bool(started)


def apply_import(
    batch: ImportBatch,
    *,
    user=None,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
) -> ImportBatch:
    """Apply a batch in one transaction: check every row again, create and update
    organizations, record each row's outcome. On any error nothing is written and
    the batch is FAILED with the message. A run superseded by a restart
    (directory.importing.recovery) writes nothing and leaves the batch alone."""
    if not ImportBatch.objects.filter(pk=batch.pk, attempt=batch.attempt).update(
        status=ImportBatch.Status.APPLYING,
        processed_rows=0,
        heartbeat_at=timezone.now(),
    ):
        logger.info("Apply of import %s superseded", batch.pk)
        return batch
    batch.status = ImportBatch.Status.APPLYING
    progress = Progress(batch, in_transaction=True)
    run = ImportRun(
        batch,
        apply=True,
        user=user,
        chunk_size=chunk_size,
        progress=progress,
        on_chunk=on_chunk,
    )
    try:
        with transaction.atomic():
            ImportRow.objects.filter(batch=batch).delete()
            run.run()
            progress.close()  # before this connection locks the batch row below
            if not _still_current(batch, ImportBatch.Status.APPLYING):
                raise Superseded
            _store_outcome(batch, run, ImportBatch.Status.APPLIED)
            batch.applied_at = timezone.now()
            batch.save()
            audit.record(
                "import.applied",
                batch,
                actor=user,
                file=batch.original_name,
                created=batch.created_count,
                updated=batch.updated_count,
                unchanged=batch.unchanged_count,
                rejected=batch.rejected_count,
            )
    except Superseded:
        logger.info("Apply of import %s superseded; nothing written", batch.pk)
    except Exception as exc:
        if not isinstance(exc, ImportFileError):
            logger.exception("Apply of import %s failed", batch.pk)
        _mark_failed(batch, exc)
    finally:
        progress.close()
        cache.delete(Progress.cache_key(batch))
    return batch
