from django.core.management.base import BaseCommand

from matching import recommend


class Command(BaseCommand):
    help = "Recompute the term vectors recommendations compare texts with."

    def handle(self, *args, **options):
        counts = recommend.refresh_match_index()
        self.stdout.write(
            ", ".join(f"{count} {kind}" for kind, count in counts.items())
        )
