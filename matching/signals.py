"""Keep the recommendation index fresh: a change to anything it holds marks it stale.

Signals only bust the cache here (see STYLE.md); no domain flow runs through them.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from matching import recommend


def _stale(sender, **kwargs) -> None:
    transaction.on_commit(recommend.invalidate_index)


def _project_saved(sender, instance, **kwargs) -> None:
    def refresh():
        recommend.refresh_project_document(instance)
        recommend.invalidate_index()

    transaction.on_commit(refresh)


def _projects_created(sender, projects, **kwargs) -> None:
    # The terms now (the instances are not kept until the commit).
    documents = [(project.pk, recommend.project_terms(project)) for project in projects]

    def refresh():
        recommend.refresh_project_documents(documents)
        recommend.invalidate_index()

    transaction.on_commit(refresh)


def connect() -> None:
    from directory.models import Organization
    from matching.models import NeedOffer

    uid = "matching-index"
    for model in (Organization, NeedOffer):
        post_save.connect(_stale, sender=model, dispatch_uid=f"{uid}-save-{model}")
        post_delete.connect(_stale, sender=model, dispatch_uid=f"{uid}-del-{model}")
        for through in (model.tags.through, model.sectors.through):
            m2m_changed.connect(_stale, sender=through, dispatch_uid=f"{uid}-{through}")
    project = recommend.project_model()
    if project is not None:
        post_save.connect(_project_saved, sender=project, dispatch_uid=f"{uid}-p")
        post_delete.connect(_stale, sender=project, dispatch_uid=f"{uid}-pdel")
        from investments.signals import projects_created

        projects_created.connect(_projects_created, dispatch_uid=f"{uid}-pbulk")
        for through in (project.tags.through, project.sectors.through):
            m2m_changed.connect(_stale, sender=through, dispatch_uid=f"{uid}-{through}")
