"""Background work of the directory: the import's dry run and apply."""

from celery import shared_task

from accounts.models import User
from directory import importing
from directory.models import ImportBatch


@shared_task(name="directory.check_import")
def check_import_task(batch_id: int) -> None:
    batch = ImportBatch.objects.get(pk=batch_id)
    importing.check_import(batch)


@shared_task(name="directory.apply_import")
def apply_import_task(batch_id: int, user_id: int | None) -> None:
    batch = ImportBatch.objects.get(pk=batch_id)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    importing.apply_import(batch, user=user)
