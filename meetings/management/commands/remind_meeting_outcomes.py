from django.core.management.base import BaseCommand

from meetings import services


class Command(BaseCommand):
    help = (
        "E-mail each side of a meeting that ended a day ago and has no outcome from "
        "them yet (once per meeting)."
    )

    def handle(self, *args, **options):
        count = services.remind_outcomes()
        self.stdout.write(f"{count} outcome reminder(s) sent.")
