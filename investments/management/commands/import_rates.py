"""Import dated exchange rates (UAH per unit) from CSV or the NBU's JSON export."""

from django.core.management.base import CommandError

from core.importing import ImportCommand
from investments import rates


class Command(ImportCommand):
    help = "Import (or with --dry-run, check) rates: date, currency, rate, source."
    file_help = "CSV or NBU JSON file"
    dry_run_option = True

    def handle(self, *args, path, dry_run, user, **options):
        data = self.source(path).read_bytes()
        actor = self.actor(user)
        report = (
            rates.check_rates(data) if dry_run else rates.import_rates(data, by=actor)
        )
        if report.file_error:
            raise CommandError(report.file_error)
        for error in report.errors:
            self.stdout.write(f"row {error.row}, {error.column}: {error.message}")
        self.write_summary(
            "dry run" if dry_run else "applied",
            [
                (report.created, "created"),
                (report.updated, "updated"),
                (report.unchanged, "unchanged"),
                (report.rejected, "rows rejected"),
            ],
        )
