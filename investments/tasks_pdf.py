"""Background tasks of the forum's PDFs (run through core.tasks.enqueue)."""

from celery import shared_task

from investments import pdf


@shared_task(name="investments.build_pitch_book")
def build_pitch_book(key: str) -> str:
    """Render the pitch book of the published portfolio and store it under `key`."""
    return pdf.build_pitch_book(key)
