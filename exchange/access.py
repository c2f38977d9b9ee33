"""Reviewers' access to submissions, granted by apps above exchange through hooks.

`settings.MIST_SUBMISSION_ACCESS_HOOKS` lists dotted paths of
`f(user, submission) -> bool`; the module of each may also define
`reviewer_submission_ids(user) -> set[int]` for lists,
`reviewers_of_submission(submission) -> list[User]` (who hears of a new question)
and `submitter_feedback(user, submission) -> list[dict]` (the released comments
shown beside the form in a revision round). A hook that cannot be imported (its app
not installed yet) grants nothing.
"""

import logging
from functools import cache
from importlib import import_module

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@cache
def _load(paths: tuple[str, ...]) -> tuple[list, list, list]:
    can_view, ids, modules = [], [], []
    for path in paths:
        try:
            can_view.append(import_string(path))
            module = import_module(path.rsplit(".", 1)[0])
        except ImportError:
            logger.info("Submission access hook %s is not available", path)
            continue
        modules.append(module)
        if hasattr(module, "reviewer_submission_ids"):
            ids.append(module.reviewer_submission_ids)
    return can_view, ids, modules


def _hooks() -> tuple[list, list, list]:
    return _load(tuple(getattr(settings, "MIST_SUBMISSION_ACCESS_HOOKS", ())))


def _optional(name: str) -> list:
    return [getattr(m, name) for m in _hooks()[2] if hasattr(m, name)]


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


def reviewers_of_submission(submission) -> list:
    """The people reviewing `submission` (who hear of the submitters' questions)."""
    people = {}
    for hook in _optional("reviewers_of_submission"):
        people.update({user.pk: user for user in hook(submission)})
    return list(people.values())


def submitter_feedback(user, submission) -> list[dict]:
    """The reviewers' comments released to `user` as a submitter, from every hook:
    dicts with "round", "label", "comments", "recommendation"."""
    rows = []
    for hook in _optional("submitter_feedback"):
        rows.extend(hook(user, submission))
    return rows
