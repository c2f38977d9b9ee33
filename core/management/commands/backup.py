from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write the database, MEDIA_ROOT and PRIVATE_MEDIA_ROOT to one .tar.gz archive "
        "with a SHA-256 manifest (see docs/deploy.md, 'Backup and restore')."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            nargs="?",
            help="archive path (default: mist-backup-<UTC time>.tar.gz here)",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, output=None, database="default", **options):
        if output is None:
            output = f"mist-backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        path = Path(output).resolve()
        try:
            summary = create_backup(path, database=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up the {summary.vendor} database and {summary.files} file(s) "
            f"to {path} ({summary.size} bytes)."
        )
