"""Import organizations from a CSV or XLSX file: a dry run, or --apply."""

from django.core.files import File
from django.core.management.base import CommandError

from core.importing import ImportCommand
from directory import importing
from directory.models import ImportBatch


class Command(ImportCommand):
    help = "Check (and with --apply, import) organizations from a CSV or XLSX file."
    file_help = "CSV or XLSX file"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--apply", action="store_true", help="write the organizations"
        )

    def handle(self, *args, path, apply, user, **options):
        source = self.source(path)
        actor = self.actor(user)
        batch = ImportBatch(
            original_name=source.name,
            created_by=actor,
            status=ImportBatch.Status.CHECKING,
        )
        with source.open("rb") as handle:
            batch.file.save(source.name, File(handle), save=False)
        batch.save()
        importing.check_import(batch)
        if apply and batch.status == ImportBatch.Status.CHECKED:
            importing.apply_import(batch, user=actor)
        if batch.status == ImportBatch.Status.FAILED:
            raise CommandError(f"import {batch.pk} failed: {batch.error_message}")
        phase = "applied" if batch.status == ImportBatch.Status.APPLIED else "dry run"
        self.write_summary(
            f"import {batch.pk} ({phase})",
            [
                (batch.total_rows, "rows"),
                (batch.created_count, "created"),
                (batch.updated_count, "updated"),
                (batch.unchanged_count, "unchanged"),
                (batch.rejected_count, "rejected"),
            ],
        )
