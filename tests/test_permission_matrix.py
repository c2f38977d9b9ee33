"""The permission matrix: every role (and anonymous) against every named URL.

Each `Row` names a URL, how to build its kwargs from a small `World`, the method, and
the exact outcome for every role. A second test walks the project's URL map and fails
when a named URL has no row, so a new view cannot ship without deciding who may use it.

Outcomes: 200/403/404/405/410 are status codes; LOGIN is a redirect to the sign-in
page; REDIRECT is any other redirect (a form that did its work, a signed-in user sent
away from the sign-in page).

To add a view: append a Row to the section of its app. Shortcuts build the expectation
dict: `everyone(OK)`, `signed_in(OK)`, `only(STAFF, OK)`, and `{**base, role: x}` to
change single cells.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Invitation, Role
from directory.models import Organization
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, *Role.values)

OK = 200
LOGIN = "login"
REDIRECT = "redirect"
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
GONE = 410

STAFF = (Role.ADMIN, Role.STAFF)
ADMIN = (Role.ADMIN,)


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


def build_world() -> World:
    organization = OrganizationFactory()
    other_user = UserFactory(email="other@example.org", role=Role.INVESTOR)
    inviter = UserFactory(email="inviter@example.org", role=Role.STAFF)
    invitation = Invitation.objects.create(
        email="invited@example.org",
        role=Role.REVIEWER,
        organization=organization,
        invited_by=inviter,
    )
    unverified = OrganizationFactory(
        verification=Organization.Verification.PENDING, verified_at=None
    )
    members_only = OrganizationFactory(visibility=Organization.Visibility.MEMBERS)
    return World(
        organization=organization,
        other_user=other_user,
        invitation=invitation,
        extra={"unverified": unverified, "members_only": members_only},
    )


def make_actor(role: str, world: World):
    """A signed-in user of `role`; an organization editor edits the world's org."""
    if role == ANONYMOUS:
        return None
    user = UserFactory(role=role, email=f"actor-{role}@example.org")
    if role == Role.EDITOR:
        MembershipFactory(user=user, organization=world.organization)
    return user


def no_kwargs(world: World) -> dict:
    return {}


@dataclass(frozen=True)
class Row:
    name: str
    expect: dict
    kwargs: Callable[[World], dict] = no_kwargs
    method: str = "get"
    data: Callable[[World], dict] | None = None
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}[{self.method}{'-' + self.note if self.note else ''}]"


def org_slug(world: World) -> dict:
    return {"slug": world.organization.slug}


def other_user_pk(world: World) -> dict:
    return {"pk": world.other_user.pk}


def invitation_pk(world: World) -> dict:
    return {"pk": world.invitation.pk}


def invitation_token(world: World) -> dict:
    return {"token": world.invitation.token}


def reset_link(world: World) -> dict:
    user = world.other_user
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def invitation_data(world: World) -> dict:
    return {"email": "new-person@example.org", "role": Role.EDITOR, "language": "en"}


def accept_data(world: World) -> dict:
    return {
        "full_name": "Olena Invited",
        "password1": "a-long-Passphrase-77",
        "password2": "a-long-Passphrase-77",
    }


# Signed-in users are sent away from the sign-in page; the others see it.
LOGIN_PAGE = signed_in(REDIRECT, anonymous=OK)

ROWS = [
    # ---- core ----
    Row("core:home", everyone(OK)),
    # ---- accounts: sign-in and passwords ----
    Row("accounts:login", LOGIN_PAGE),
    Row("accounts:logout", everyone(NOT_ALLOWED)),
    Row("accounts:logout", everyone(REDIRECT), method="post"),
    Row("accounts:password-reset", everyone(OK)),
    Row("accounts:password-reset-done", everyone(OK)),
    Row("accounts:password-reset-confirm", everyone(REDIRECT), kwargs=reset_link),
    Row("accounts:password-reset-complete", everyone(OK)),
    Row("accounts:password-change", signed_in(OK)),
    Row("accounts:password-change-done", signed_in(OK)),
    Row("accounts:me", signed_in(OK)),
    Row(
        "accounts:me",
        signed_in(REDIRECT),
        method="post",
        data=lambda w: {
            "full_name": "Someone",
            "preferred_language": "en",
            "time_zone": "Europe/Kyiv",
        },
    ),
    # ---- accounts: invitations ----
    Row("accounts:invitation-list", only(STAFF, OK)),
    Row("accounts:invitation-create", only(STAFF, OK)),
    Row(
        "accounts:invitation-create",
        only(STAFF, REDIRECT),
        method="post",
        data=invitation_data,
    ),
    Row("accounts:invitation-resend", signed_in(NOT_ALLOWED), kwargs=invitation_pk),
    Row(
        "accounts:invitation-resend",
        only(STAFF, REDIRECT),
        kwargs=invitation_pk,
        method="post",
    ),
    Row("accounts:invitation-revoke", only(STAFF, OK), kwargs=invitation_pk),
    Row(
        "accounts:invitation-revoke",
        only(STAFF, REDIRECT),
        kwargs=invitation_pk,
        method="post",
    ),
    Row(
        "accounts:invitation-revoke",
        only(STAFF, NOT_FOUND),
        kwargs=lambda w: {"pk": 999999},
        note="missing",
    ),
    Row("accounts:invitation-accept", everyone(OK), kwargs=invitation_token),
    Row(
        "accounts:invitation-accept",
        everyone(REDIRECT),
        kwargs=invitation_token,
        method="post",
        data=accept_data,
    ),
    Row(
        "accounts:invitation-accept",
        everyone(NOT_FOUND),
        kwargs=lambda w: {"token": "no-such-token"},
        note="unknown",
    ),
    # ---- accounts: platform admin ----
    Row("accounts:user-list", only(ADMIN, OK)),
    Row("accounts:user-detail", only(ADMIN, OK), kwargs=other_user_pk),
    Row(
        "accounts:user-detail",
        only(ADMIN, REDIRECT),
        kwargs=other_user_pk,
        method="post",
        data=lambda w: {"role": Role.REVIEWER},
    ),
    Row(
        "accounts:user-detail",
        only(ADMIN, NOT_FOUND),
        kwargs=lambda w: {"pk": 999999},
        note="missing",
    ),
    Row("accounts:user-deactivate", only(ADMIN, OK), kwargs=other_user_pk),
    Row(
        "accounts:user-deactivate",
        only(ADMIN, REDIRECT),
        kwargs=other_user_pk,
        method="post",
    ),
    Row("accounts:user-reactivate", only(ADMIN, OK), kwargs=other_user_pk),
    Row(
        "accounts:user-reactivate",
        only(ADMIN, REDIRECT),
        kwargs=other_user_pk,
        method="post",
    ),
    # ---- directory: pages that need nothing but the world's organization ----
    Row("directory:organization-list", everyone(OK)),
    Row("directory:organization-detail", everyone(OK), kwargs=org_slug),
    Row(
        "directory:organization-detail",
        everyone(NOT_FOUND),
        kwargs=lambda w: {"slug": "no-such-organization"},
        note="missing",
    ),
    Row(
        "directory:organization-detail",
        signed_in(OK, anonymous=NOT_FOUND),
        kwargs=lambda w: {"slug": w.extra["members_only"].slug},
        note="members-only",
    ),
    Row(
        "directory:organization-detail",
        only(STAFF, OK, others=NOT_FOUND, anonymous=NOT_FOUND),
        kwargs=lambda w: {"slug": w.extra["unverified"].slug},
        note="unverified",
    ),
    Row(
        "directory:organization-edit",
        only(STAFF, OK, others=NOT_FOUND),
        kwargs=lambda w: {"slug": w.extra["unverified"].slug},
        note="unverified",
    ),
    Row(
        "directory:organization-edit",
        only((*STAFF, Role.EDITOR), OK),
        kwargs=org_slug,
    ),
    Row("directory:organization-create", signed_in(OK)),
    Row("directory:my-organizations", signed_in(OK)),
    Row("directory:moderation-queue", only(STAFF, OK)),
    Row("directory:organization-export", everyone(OK), kwargs=lambda w: {"fmt": "csv"}),
    Row(
        "directory:organization-export",
        everyone(NOT_FOUND),
        kwargs=lambda w: {"fmt": "exe"},
        note="unknown-format",
    ),
    Row("directory:import-list", only(STAFF, OK)),
    Row("directory:import-upload", only(STAFF, OK)),
    Row("directory:import-template", only(STAFF, OK), kwargs=lambda w: {"fmt": "csv"}),
    # ---- directory (objects under moderation and import batches) and api ----
    # Rows for these are completed by the lead; until then their names are listed
    # in PENDING so the coverage test knows them.
]

PENDING = {
    "directory:moderate-organization",
    "directory:moderate-revision",
    "directory:import-detail",
    "directory:import-apply",
    "directory:import-rejected",
    "api:root",
    "api:schema",
    "api:docs",
    "api:token",
    "api:organization-list",
    "api:organization-detail",
    "api:sector-list",
    "api:sector-detail",
    "api:tag-list",
    "api:tag-detail",
    "api:place-list",
    "api:place-detail",
}

SKIPPED_NAMESPACES = ("admin",)
SKIPPED_NAMES = {"set_language", "static", "media"}


def named_urls(patterns=None, namespace=()) -> set[str]:
    """Every named URL of the project, namespaced, i18n patterns included."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            names |= named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(":".join((*namespace, pattern.name)))
    return {
        name
        for name in names
        if name.split(":")[0] not in SKIPPED_NAMESPACES and name not in SKIPPED_NAMES
    }


def outcome_of(response):
    if response.status_code in (301, 302, 303):
        path = urlparse(response["Location"]).path
        return LOGIN if path.rstrip("/").endswith("/accounts/login") else REDIRECT
    return response.status_code


def test_every_named_url_has_a_matrix_row():
    covered = {row.name for row in ROWS} | PENDING

    missing = named_urls() - covered

    assert missing == set(), f"add permission-matrix rows for: {sorted(missing)}"


def test_matrix_rows_name_existing_urls_and_every_role():
    existing = named_urls()

    stale = {row.name for row in ROWS} - existing
    incomplete = [row.id for row in ROWS if set(row.expect) != set(ROLES)]

    assert stale == set()
    assert incomplete == []


def test_pending_names_have_no_rows_yet():
    """A name moves out of PENDING once it gets its rows."""
    assert PENDING & {row.name for row in ROWS} == set()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_permission_matrix(client, db, row, role):
    world = build_world()
    actor = make_actor(role, world)
    if actor is not None:
        client.force_login(actor)
    url = reverse(row.name, kwargs=row.kwargs(world))
    data = row.data(world) if row.data else {}

    response = getattr(client, row.method)(url, data)

    assert outcome_of(response) == row.expect[role]
