"""Keep the recommendation index fresh: a change to a row it holds is recorded
after the commit, and every process patches that row alone (recommend.record_change).

Signals only bust the cache here (see STYLE.md); no domain flow runs through them.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from matching import recommend, scoring

PROFILE = "profile"


def _record(*keys) -> None:
    transaction.on_commit(lambda: recommend.record_change(*keys))


def _saved_or_deleted(kind: str):
    def handler(sender, instance, **kwargs) -> None:
        _record((kind, instance.pk))

    return handler


def _profile_saved_or_deleted(sender, instance, **kwargs) -> None:
    _record((PROFILE, instance.user_id))


def _links_changed(kind: str):
    """Tags or sectors of a row changed, from either side of the link. (The
    handlers made here are connected with weak=False: nothing else holds them.)"""

    def handler(sender, instance, action, reverse, pk_set, **kwargs) -> None:
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if not reverse:
            _record((kind, instance.pk))
        elif pk_set is not None:
            _record(*((kind, pk) for pk in pk_set))
        else:  # a tag cleared from every row: which ones is not known
            transaction.on_commit(recommend.rebuild_index)

    return handler


def _profile_links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _record((PROFILE, instance.user_id))
    else:
        transaction.on_commit(recommend.rebuild_index)


def _project_saved(sender, instance, **kwargs) -> None:
    def refresh():
        recommend.refresh_project_document(instance)
        recommend.record_change((scoring.PROJECT, instance.pk))

    transaction.on_commit(refresh)


def _projects_created(sender, projects, **kwargs) -> None:
    # The terms now (the instances are not kept until the commit).
    documents = [(project.pk, recommend.project_terms(project)) for project in projects]

    def refresh():
        recommend.refresh_project_documents(documents)
        recommend.record_change(*((scoring.PROJECT, pk) for pk, _terms in documents))

    transaction.on_commit(refresh)


def connect() -> None:
    from directory.models import Organization
    from matching.models import MatchProfile, NeedOffer

    uid = "matching-index"
    for model, kind in (
        (Organization, scoring.ORGANIZATION),
        (NeedOffer, scoring.NEED_OFFER),
    ):
        handler = _saved_or_deleted(kind)
        post_save.connect(
            handler, sender=model, weak=False, dispatch_uid=f"{uid}-save-{kind}"
        )
        post_delete.connect(
            handler, sender=model, weak=False, dispatch_uid=f"{uid}-del-{kind}"
        )
        links = _links_changed(kind)
        for through in (model.tags.through, model.sectors.through):
            m2m_changed.connect(
                links, sender=through, weak=False, dispatch_uid=f"{uid}-{through}"
            )
    post_save.connect(
        _profile_saved_or_deleted, sender=MatchProfile, dispatch_uid=f"{uid}-save-mp"
    )
    post_delete.connect(
        _profile_saved_or_deleted, sender=MatchProfile, dispatch_uid=f"{uid}-del-mp"
    )
    for through in (MatchProfile.tags.through, MatchProfile.sectors.through):
        m2m_changed.connect(
            _profile_links_changed, sender=through, dispatch_uid=f"{uid}-{through}"
        )
    project = recommend.project_model()
    if project is not None:
        post_save.connect(_project_saved, sender=project, dispatch_uid=f"{uid}-p")
        from investments.signals import projects_created

        projects_created.connect(_projects_created, dispatch_uid=f"{uid}-pbulk")
        post_delete.connect(
            _saved_or_deleted(scoring.PROJECT),
            sender=project,
            weak=False,
            dispatch_uid=f"{uid}-pdel",
        )
        links = _links_changed(scoring.PROJECT)
        for through in (project.tags.through, project.sectors.through):
            m2m_changed.connect(
                links, sender=through, weak=False, dispatch_uid=f"{uid}-{through}"
            )
