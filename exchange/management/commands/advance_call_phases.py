from django.core.management.base import BaseCommand

from exchange import services


class Command(BaseCommand):
    help = "Switch calls to the phases whose start time has come (idempotent)."

    def handle(self, *args, **options):
        switched = services.advance_phases()
        self.stdout.write(f"Switched {len(switched)} call(s).")
