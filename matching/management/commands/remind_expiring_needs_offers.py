from django.core.management.base import BaseCommand

from matching import services


class Command(BaseCommand):
    help = (
        "Expire needs and offers past their date and remind the editors of those "
        "ending soon (once each)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=services.REMIND_DAYS_BEFORE,
            help="Remind this many days before the end.",
        )

    def handle(self, *args, days, **options):
        expired = services.expire_needs_offers()
        reminded = services.remind_expiring_needs_offers(days=days)
        self.stdout.write(f"{expired} expired, {reminded} reminded")
