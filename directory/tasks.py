"""Background work of the directory: the import's dry run and apply.

`attempt` is the batch's start number when the task was queued (see
directory.importing); a task for an earlier start (the batch was started again, or a
broker delivered a dead worker's task once more) or for a batch no longer waiting
for this step does nothing.
"""

import logging

from celery import shared_task

from accounts.models import User
from directory import importing
from directory.models import ImportBatch

logger = logging.getLogger(__name__)


def _current(batch_id: int, attempt: int | None, status: str) -> ImportBatch | None:
    batch = ImportBatch.objects.get(pk=batch_id)
    if attempt is not None and (batch.attempt != attempt or batch.status != status):
        logger.info("Import %s: task of attempt %s superseded", batch_id, attempt)
        return None
    return batch


@shared_task(name="directory.check_import")
def check_import_task(batch_id: int, attempt: int | None = None) -> None:
    if batch := _current(batch_id, attempt, ImportBatch.Status.CHECKING):
        importing.check_import(batch)


@shared_task(name="directory.apply_import")
def apply_import_task(
    batch_id: int, user_id: int | None, attempt: int | None = None
) -> None:
    if batch := _current(batch_id, attempt, ImportBatch.Status.APPLYING):
        user = User.objects.filter(pk=user_id).first() if user_id else None
        importing.apply_import(batch, user=user)
