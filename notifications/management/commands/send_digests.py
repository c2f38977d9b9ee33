from django.core.management.base import BaseCommand

from notifications.services import send_digests


class Command(BaseCommand):
    help = "Send the daily digest to everyone whose local 08:00 has passed today."

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} digest e-mails sent.")
