"""Background work of insights: the debounced refresh and the nightly recomputation."""

from celery import shared_task

from insights import services


@shared_task(name="insights.refresh_insights")
def refresh_insights() -> int:
    return services.run_pending_refresh()


@shared_task(name="insights.recompute_insights")
def recompute_insights() -> int:
    return services.recompute_all()
