"""Mark import dry runs and applies that stopped making progress as failed."""

from django.conf import settings
from django.core.management.base import BaseCommand

from directory import importing


class Command(BaseCommand):
    help = (
        "Mark as failed every import dry run or apply with no progress for "
        "MIST_IMPORT_STALL_SECONDS (its process ended), so staff can start it again."
    )

    def handle(self, *args, **options):
        failed = importing.fail_stalled_imports()
        self.stdout.write(
            f"{failed} stalled import(s) marked failed "
            f"(no progress for {settings.MIST_IMPORT_STALL_SECONDS} s)"
        )
