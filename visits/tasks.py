"""Background work of delegation visits."""

from celery import shared_task


@shared_task(name="visits.remind_outcomes")
def remind_outcomes_task() -> int:
    from visits import services

    return services.remind_outcomes()
