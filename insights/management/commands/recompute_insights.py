from django.core.management.base import BaseCommand

from insights.services import recompute_all


class Command(BaseCommand):
    help = "Recompute every insights figure (the nightly run does the same)."

    def handle(self, *args, **options):
        rows = recompute_all()
        self.stdout.write(f"Insights recomputed: {rows} figures.")
