"""Permission-matrix rows of the `translations` app (see tests/matrix/__init__.py).

They use the exchange rows' draft of the world's organization (its submitters, the
Role.EDITOR subject, approve machine translations) and the reviews rows' submitted
submission (the Role.REVIEWER subject reviews it and flags translation problems).
Without machine translations in the world, an allowed POST answers with a message
and a redirect.
"""

from accounts.models import Role
from tests.matrix.base import (
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    REDIRECT,
    STAFF,
    Row,
    everyone,
    signed_in,
)


def pk_of(key):
    return lambda world: {"pk": world.extra[key].pk}


def flag_data(world) -> dict:
    return {"text": "summary_en", "note": "“Drivers” became “pilots”."}


ROWS: list[Row] = [
    Row(
        "translations:submission-approve",
        signed_in(NOT_ALLOWED),
        kwargs=pk_of("ex_draft"),
    ),
    Row(
        "translations:submission-approve",
        {
            **everyone(NOT_FOUND),
            "anonymous": LOGIN,
            Role.EDITOR: REDIRECT,
        },
        kwargs=pk_of("ex_draft"),
        method="post",
    ),
    Row(
        "translations:submission-flag",
        signed_in(NOT_ALLOWED),
        kwargs=pk_of("reviews_submission"),
    ),
    Row(
        "translations:submission-flag",
        {
            **everyone(NOT_FOUND),
            "anonymous": LOGIN,
            **dict.fromkeys(STAFF, 403),
            Role.EDITOR: 403,
            Role.REVIEWER: REDIRECT,
        },
        kwargs=pk_of("reviews_submission"),
        method="post",
        data=flag_data,
    ),
]
