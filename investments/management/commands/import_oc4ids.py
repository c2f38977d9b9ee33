"""Import projects from an OC4IDS project package (a dry run with --dry-run).

Every project is reported with all the reasons it is rejected for, every notes and
every path not mapped; the exit status is 1 when any project was rejected."""

from django.core.management.base import CommandError

from core.importing import ImportCommand
from investments.oc4ids import importing


class Command(ImportCommand):
    help = "Import (or with --dry-run, check) an OC4IDS project package."
    file_help = "OC4IDS project package (JSON)"
    dry_run_option = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--language", choices=importing.LANGUAGES)
        parser.add_argument(
            "--publish", action="store_true", help="publish new projects"
        )

    def handle(self, *args, path, dry_run, language, publish, user, **options):
        source = self.source(path)
        actor = self.actor(user)
        try:
            data = importing.read_package(source.read_bytes())
            if dry_run:
                report = importing.check_package(data, language=language)
            else:
                report = importing.apply_package(
                    data, language=language, by=actor, publish=publish
                )
        except ValueError as error:  # importing.PackageError is one
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
        if report.language_needed and not language:
            self.stdout.write(
                f"language: the package does not say which language its texts are "
                f"in; read as {importing.DEFAULT_LANGUAGE} (choose with --language)"
            )
        self.write_summary(
            "dry run" if dry_run else "applied",
            [
                (report.created, "created"),
                (report.updated, "updated"),
                (report.rejected, "rejected"),
                (len(report.unmapped), "fields not mapped"),
            ],
        )
        if report.rejected:
            # A non-zero exit status, so that scripts notice rejected projects.
            raise CommandError(f"{report.rejected} rejected (see above)")
