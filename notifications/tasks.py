"""Background work of notifications: the daily digest run."""

from celery import shared_task


@shared_task(name="notifications.send_digests")
def send_digests_task() -> int:
    """Periodic (every 15 minutes): digests for everyone whose 08:00 has come."""
    from notifications.services import send_digests

    return send_digests()
