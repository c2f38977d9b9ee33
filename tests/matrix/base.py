"""Primitives of the permission matrix: subjects, outcomes, rows and the world."""

from collections.abc import Callable
from dataclasses import dataclass, field

from accounts.models import Invitation, Role

ANONYMOUS = "anonymous"
EDITOR_ELSEWHERE = "editor-elsewhere"
ROLES = (ANONYMOUS, *Role.values, EDITOR_ELSEWHERE)

OK = 200
CREATED = 201
ACCEPTED = 202
UNAUTHORIZED = 401
LOGIN = "login"
REDIRECT = "redirect"
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
GONE = 410

STAFF = (Role.ADMIN, Role.STAFF)
ADMIN = (Role.ADMIN,)
EDITORS = (*STAFF, Role.EDITOR)


def everyone(outcome) -> dict:
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome, *, anonymous=LOGIN) -> dict:
    return {**everyone(outcome), ANONYMOUS: anonymous}


def only(roles, outcome, *, others=FORBIDDEN, anonymous=LOGIN) -> dict:
    expect = {**everyone(others), ANONYMOUS: anonymous}
    return {**expect, **dict.fromkeys(roles, outcome)}


@dataclass
class World:
    """What the rows point at: built fresh for every (row, role) case."""

    organization: object
    other_user: object
    invitation: Invitation
    extra: dict = field(default_factory=dict)


def no_kwargs(world) -> dict:
    return {}


@dataclass(frozen=True)
class Row:
    name: str
    expect: dict
    kwargs: Callable[[World], dict] = no_kwargs
    method: str = "get"
    data: Callable[[World], dict] | None = None
    note: str = ""
    json: bool = False  # send `data` as a JSON body (the API)

    @property
    def id(self) -> str:
        return f"{self.name}[{self.method}{'-' + self.note if self.note else ''}]"
