from django.core.management.base import BaseCommand

from investments import services


class Command(BaseCommand):
    help = "E-mail officers the expressions of interest untouched for N days."

    def handle(self, *args, **options):
        count = services.remind_stale_interests()
        self.stdout.write(f"Reminded about {count} expression(s) of interest.")
