import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from core.backup import BackupError, restore_backup, summarize, unpack_and_verify


class Command(BaseCommand):
    help = (
        "Replace the database, MEDIA_ROOT and PRIVATE_MEDIA_ROOT with a backup made by "
        "`manage.py backup`, after checking every file of it against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz written by `manage.py backup`")
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="do not ask for confirmation (the restore destroys current data)",
        )

    def handle(self, *args, archive, database="default", yes=False, **options):
        with tempfile.TemporaryDirectory(prefix="mist-restore-") as staging:
            try:
                manifest = unpack_and_verify(Path(archive), Path(staging))
            except BackupError as error:
                raise CommandError(f"{error} Nothing was changed.") from error
            summary = summarize(manifest)
            name = connections[database].settings_dict["NAME"]
            self.stdout.write(
                f"Verified {archive}: a {summary.vendor} database and {summary.files} "
                f"file(s) from {summary.created}; every checksum matches."
            )
            if not yes:
                self.confirm(name)
            try:
                restore_backup(Path(staging), manifest, database=database)
            except BackupError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the database {name} and {summary.files} file(s) into "
            f"{settings.MEDIA_ROOT} and {settings.PRIVATE_MEDIA_ROOT}. Run "
            "`manage.py migrate` if this code is newer than the backup."
        )

    def confirm(self, name):
        if not sys.stdin.isatty():
            raise CommandError(
                "A restore replaces the current data: pass --yes to confirm it."
            )
        answer = input(
            f"This REPLACES the database {name} and every file in {settings.MEDIA_ROOT}"
            f" and {settings.PRIVATE_MEDIA_ROOT}. Type 'yes' to go on: "
        )
        if answer.strip().lower() != "yes":
            raise CommandError("Restore cancelled; nothing was changed.")
