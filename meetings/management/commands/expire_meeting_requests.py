from django.core.management.base import BaseCommand

from meetings import services


class Command(BaseCommand):
    help = "Mark pending meeting requests past their expiry time as expired."

    def handle(self, *args, **options):
        count = services.expire_requests()
        self.stdout.write(f"{count} meeting request(s) expired.")
