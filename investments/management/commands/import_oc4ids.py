"""Import projects from an OC4IDS project package (a dry run with --dry-run)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from investments.oc4ids import importing


class Command(BaseCommand):
    help = "Import (or with --dry-run, check) an OC4IDS project package."

    def add_arguments(self, parser):
        parser.add_argument("path", help="OC4IDS project package (JSON)")
        parser.add_argument("--dry-run", action="store_true", help="write nothing")
        parser.add_argument("--language", choices=importing.LANGUAGES)
        parser.add_argument(
            "--publish", action="store_true", help="publish new projects"
        )
        parser.add_argument("--user", help="e-mail of the person the import is made by")

    def handle(self, *args, path, dry_run, language, publish, user, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        actor = None
        if user:
            actor = User.objects.filter(email__iexact=user).first()
            if actor is None:
                raise CommandError(f"No user with the e-mail {user}")
        try:
            data = importing.read_package(source.read_bytes())
            if dry_run:
                report = importing.check_package(data, language=language)
            else:
                report = importing.apply_package(
                    data, language=language, by=actor, publish=publish
                )
        except (ValueError, importing.PackageError) as error:
            raise CommandError(str(error)) from error
        for item in report.projects:
            self.stdout.write(
                f"{item.index + 1}. {item.oc4ids_id or '-'}: {item.action}"
            )
            for reason in item.reasons:
                self.stdout.write(f"   rejected: {reason}")
            for note in item.notes:
                self.stdout.write(f"   note: {note}")
            for unmapped in item.unmapped:
                self.stdout.write(f"   not mapped (kept): {unmapped}")
        for unmapped in report.unmapped_package:
            self.stdout.write(f"package field not mapped: {unmapped}")
        phase = "dry run" if dry_run else "applied"
        self.stdout.write(
            f"{phase}: {report.created} created, {report.updated} updated, "
            f"{report.rejected} rejected, {len(report.unmapped)} fields not mapped"
        )
