"""Import organizations from a CSV or XLSX file: a dry run, or --apply."""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from directory import importing
from directory.models import ImportBatch


class Command(BaseCommand):
    help = "Check (and with --apply, import) organizations from a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV or XLSX file")
        parser.add_argument(
            "--apply", action="store_true", help="write the organizations"
        )
        parser.add_argument(
            "--user", help="e-mail of the staff member the import is made by"
        )

    def handle(self, *args, path, apply, user, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        actor = None
        if user:
            actor = User.objects.filter(email__iexact=user).first()
            if actor is None:
                raise CommandError(f"No user with the e-mail {user}")
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
        self.stdout.write(
            f"import {batch.pk} ({phase}): {batch.total_rows} rows, "
            f"{batch.created_count} created, {batch.updated_count} updated, "
            f"{batch.unchanged_count} unchanged, {batch.rejected_count} rejected"
        )
