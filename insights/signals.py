"""Changes in the capabilities below mark the insights figures for a debounced
refresh (a side concern: the figures are a cache of counts)."""

from contextlib import contextmanager

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from insights.services import GROUPS_OF_MODEL, schedule_refresh


def _changed(sender, **kwargs):
    if kwargs.get("raw"):
        return
    schedule_refresh(GROUPS_OF_MODEL[sender._meta.label_lower])


def _projects_created(sender, **kwargs):
    schedule_refresh(GROUPS_OF_MODEL["investments.investmentproject"])


def connect() -> None:
    from investments.signals import projects_created

    for label in GROUPS_OF_MODEL:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"insights-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"insights-{label}-d")
    projects_created.connect(_projects_created, dispatch_uid="insights-projects-bulk")


@contextmanager
def muted():
    """No refresh scheduling inside (bulk loads, which recompute once at the end)."""
    for label in GROUPS_OF_MODEL:
        model = apps.get_model(label)
        post_save.disconnect(sender=model, dispatch_uid=f"insights-{label}")
        post_delete.disconnect(sender=model, dispatch_uid=f"insights-{label}-d")
    from investments.signals import projects_created

    projects_created.disconnect(dispatch_uid="insights-projects-bulk")
    try:
        yield
    finally:
        connect()
