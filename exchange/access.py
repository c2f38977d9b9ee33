"""Reviewers' access to submissions, granted by apps above exchange through hooks.

`settings.MIST_SUBMISSION_ACCESS_HOOKS` lists dotted paths of
`f(user, submission) -> bool`; the module of each may also define
`reviewer_submission_ids(user) -> set[int]` for lists. A hook that cannot be
imported (its app not installed yet) grants nothing.
"""

import logging
from functools import cache
from importlib import import_module

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@cache
def _load(paths: tuple[str, ...]) -> tuple[list, list]:
    can_view, ids = [], []
    for path in paths:
        try:
            can_view.append(import_string(path))
            module = import_module(path.rsplit(".", 1)[0])
        except ImportError:
            logger.info("Submission access hook %s is not available", path)
            continue
        if hasattr(module, "reviewer_submission_ids"):
            ids.append(module.reviewer_submission_ids)
    return can_view, ids


def _hooks() -> tuple[list, list]:
    return _load(tuple(getattr(settings, "MIST_SUBMISSION_ACCESS_HOOKS", ())))


def reviewer_can_view(user, submission) -> bool:
    """True when a hook says `user` reviews `submission`."""
    if not (user and user.is_authenticated):
        return False
    return any(hook(user, submission) for hook in _hooks()[0])


def reviewer_submission_ids(user) -> set[int]:
    """Ids of the submissions `user` reviews, from every hook."""
    if not (user and user.is_authenticated):
        return set()
    found: set[int] = set()
    for hook in _hooks()[1]:
        found |= set(hook(user))
    return found
