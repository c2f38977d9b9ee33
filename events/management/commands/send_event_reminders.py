from django.core.management.base import BaseCommand

from events.services import send_due_reminders


class Command(BaseCommand):
    help = "E-mail a reminder to everyone confirmed for an event starting within 24 h."

    def handle(self, *args, **options):
        sent = send_due_reminders()
        self.stdout.write(f"Queued {sent} event reminder(s).")
