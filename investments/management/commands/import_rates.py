"""Import dated exchange rates (UAH per unit) from CSV or the NBU's JSON export."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from investments import rates


class Command(BaseCommand):
    help = "Import (or with --dry-run, check) rates: date, currency, rate, source."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV or NBU JSON file")
        parser.add_argument("--dry-run", action="store_true", help="write nothing")

    def handle(self, *args, path, dry_run, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        data = source.read_bytes()
        report = rates.check_rates(data) if dry_run else rates.import_rates(data)
        if report.file_error:
            raise CommandError(report.file_error)
        for error in report.errors:
            self.stdout.write(f"row {error.row}, {error.column}: {error.message}")
        phase = "dry run" if dry_run else "applied"
        self.stdout.write(
            f"{phase}: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.rejected_rows} rows rejected"
        )
