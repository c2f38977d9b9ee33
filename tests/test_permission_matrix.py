"""The permission matrix: every role (and anonymous) against every named URL.

Each `Row` names a URL, how to build its kwargs from a small `World`, the method, and
the exact outcome for every role. A second test walks the project's URL map and fails
when a named URL has no row, so a new view cannot ship without deciding who may use it.

Subjects are anonymous, one user of every Role, and EDITOR_ELSEWHERE: an organization
editor who edits another organization than the world's. The Role.EDITOR subject edits
the world's organization and its own unpublished one (`own_pending`).

Outcomes: 200/201/202/401/403/404/405 are status codes; LOGIN is a redirect to the
sign-in page; REDIRECT is any other redirect (a form that did its work, a signed-in
user sent away from the sign-in page). The API answers anonymous writes with 401.

To add a view: append a Row to the section of its app (apps after the directory keep
their rows in `tests/matrix/<app>.py`, see `tests/matrix/__init__.py`). Shortcuts build
the expectation dict: `everyone(OK)`, `signed_in(OK)`, `only(STAFF, OK)`, and
`{**base, role: x}` to change single cells.
"""

import datetime
from collections.abc import Callable
from importlib import import_module
from urllib.parse import urlparse

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Invitation, Role
from directory import importing
from directory.models import ImportBatch, Organization, ProfileRevision
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PlaceFactory,
    SectorFactory,
    TagFactory,
    UserFactory,
)
from tests.matrix import APP_MODULES
from tests.matrix.base import (
    ACCEPTED,
    ADMIN,
    ANONYMOUS,
    CREATED,
    EDITOR_ELSEWHERE,
    EDITORS,
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    ROLES,
    STAFF,
    UNAUTHORIZED,
    Row,
    everyone,
    only,
    signed_in,
)
from tests.matrix.base import World as BaseWorld

IMPORT_HEADER = ["name_uk", "name_en", "kind", "edrpou", "website"]
IMPORT_ROWS = [
    ["Компанія Один", "Company One", "it_company", "32855977", "https://one.example"],
    ["", "No Name", "it_company", "", "https://noname.example"],
]


def import_csv() -> bytes:
    lines = [IMPORT_HEADER, *IMPORT_ROWS]
    return "\n".join(",".join(line) for line in lines).encode()


class World(BaseWorld):
    """The base world, plus the import batch made on first use."""

    @property
    def batch(self) -> ImportBatch:
        """A checked import batch with one good and one rejected row (made on first
        use: the dry run is the costly part of the world)."""
        if "batch" not in self.extra:
            batch = ImportBatch(
                original_name="partners.csv", created_by=self.extra["inviter"]
            )
            batch.file.save("partners.csv", ContentFile(import_csv()), save=False)
            batch.save()
            self.extra["batch"] = importing.check_import(batch)
        return self.extra["batch"]


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
    # Unpublished, and edited by the Role.EDITOR subject (see make_actor).
    own_pending = OrganizationFactory(
        verification=Organization.Verification.PENDING, verified_at=None
    )
    deleted = OrganizationFactory(deleted_at=organization.verified_at)
    elsewhere = OrganizationFactory()
    proposer = UserFactory(email="proposer@example.org", role=Role.EDITOR)
    MembershipFactory(user=proposer, organization=organization)
    revision = ProfileRevision.objects.create(
        organization=organization,
        proposed_by=proposer,
        base_version=organization.version,
        changes={"description_en": "Software, and now hardware too."},
    )
    return World(
        organization=organization,
        other_user=other_user,
        invitation=invitation,
        extra={
            "inviter": inviter,
            "unverified": unverified,
            "members_only": members_only,
            "own_pending": own_pending,
            "deleted": deleted,
            "elsewhere": elsewhere,
            "revision": revision,
        },
    )


def make_actor(role: str, world: World):
    """A signed-in user of `role`. The Role.EDITOR subject edits the world's
    organization and `own_pending`; EDITOR_ELSEWHERE edits only `elsewhere`."""
    if role == ANONYMOUS:
        return None
    if role == EDITOR_ELSEWHERE:
        user = UserFactory(role=Role.EDITOR, email="actor-elsewhere@example.org")
        MembershipFactory(user=user, organization=world.extra["elsewhere"])
        return user
    user = UserFactory(role=role, email=f"actor-{role}@example.org")
    if role == Role.EDITOR:
        MembershipFactory(user=user, organization=world.organization)
        MembershipFactory(user=user, organization=world.extra["own_pending"])
    return user


def org_slug(world: World) -> dict:
    return {"slug": world.organization.slug}


def org_pk(world: World) -> dict:
    return {"pk": world.organization.pk}


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


def slug_of(key: str) -> Callable[[World], dict]:
    return lambda world: {"slug": world.extra[key].slug}


def pk_of(key: str) -> Callable[[World], dict]:
    return lambda world: {"pk": world.extra[key].pk}


def missing_pk(world: World) -> dict:
    return {"pk": 999999}


def batch_pk(world: World) -> dict:
    return {"pk": world.batch.pk}


def stalled_batch_pk(world: World) -> dict:
    """The world's batch as an apply whose process died an hour ago."""
    batch = world.batch
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.APPLYING,
        heartbeat_at=batch.created_at - datetime.timedelta(hours=1),
    )
    return {"pk": batch.pk}


def rejected_file(fmt: str) -> Callable[[World], dict]:
    return lambda world: {"pk": world.batch.pk, "fmt": fmt}


def revision_of_deleted(world: World) -> dict:
    revision = ProfileRevision.objects.create(
        organization=world.extra["deleted"],
        proposed_by=world.extra["revision"].proposed_by,
        base_version=1,
        changes={"description_en": "Gone."},
    )
    return {"pk": revision.pk}


def profile_form(key: str | None = None) -> Callable[[World], dict]:
    """A complete, valid profile form for the organization at `key` (the world's
    organization for None), changing only its English description."""

    def build(world: World) -> dict:
        organization = world.extra[key] if key else world.organization
        return {
            "name_uk": organization.name_uk,
            "name_en": organization.name_en,
            "kind": organization.kind,
            "description_uk": organization.description_uk,
            "description_en": "Changed through the form.",
            "legal_form": "none",
            "country": "UA",
            "visibility": organization.visibility,
            "cluster_status": organization.cluster_status,
            "version": organization.version,
        }

    return build


def new_profile_form(world: World) -> dict:
    return {
        "name_uk": "Нова Компанія",
        "name_en": "New Company",
        "kind": Organization.Kind.IT_COMPANY,
        "description_uk": "Опис.",
        "description_en": "About.",
        "legal_form": "none",
        "country": "UA",
        "visibility": Organization.Visibility.PUBLIC,
        "cluster_status": "none",
    }


def reject_with_reason(world: World) -> dict:
    return {"action": "reject", "reason": "Not an IT organization.", "confirm": "on"}


def upload_form(world: World) -> dict:
    return {"file": SimpleUploadedFile("partners.csv", import_csv(), "text/csv")}


# API bodies and vocabulary.


def api_new_organization(world: World) -> dict:
    return {"name_uk": "Нова компанія", "kind": "it_company"}


def api_change(world: World) -> dict:
    # Every organization of the world is at its first version.
    return {"description_en": "Changed through the API.", "version": 1}


def api_replacement(key: str | None = None) -> Callable[[World], dict]:
    """A full PUT body for the organization at `key` (the world's for None)."""

    def build(world: World) -> dict:
        organization = world.extra[key] if key else world.organization
        return {
            "name_uk": organization.name_uk,
            "name_en": organization.name_en,
            "kind": organization.kind,
            "description_uk": organization.description_uk,
            "description_en": "Replaced through the API.",
            "version": organization.version,
        }

    return build


def token_request(world: World) -> dict:
    return {"email": world.other_user.email, "password": "correct-horse-42"}


def sector_code(world: World) -> dict:
    return {"code": SectorFactory(code="X99").code}


def tag_slug(world: World) -> dict:
    return {"slug": TagFactory(slug="zz-matrix").slug}


def place_code(world: World) -> dict:
    return {"code": PlaceFactory(code="UA99000000000000099").code}


# Roles that must use two-factor sign-in and so cannot turn it off.
TWO_FACTOR_REQUIRED = (Role.ADMIN, Role.STAFF, Role.CITY_OFFICER, Role.REVIEWER)

# Signed-in users are sent away from the sign-in page; the others see it.
LOGIN_PAGE = signed_in(REDIRECT, anonymous=OK)

ROWS = [
    # ---- core ----
    Row("core:home", everyone(OK)),
    # Probes for load balancers: public, and they reveal only check names.
    Row("healthz", everyone(OK)),
    Row("readyz", everyone(OK)),
    # The test client calls from loopback, which METRICS_ALLOWED_IPS admits; other
    # addresses and tokens are walked in tests/core/test_metrics.py.
    Row("metrics", everyone(OK)),
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
    # ---- accounts: two-factor sign-in (sessions of force_login are verified; the
    # real steps are in tests/accounts/test_two_factor.py) ----
    Row("accounts:two-factor", signed_in(OK)),
    Row("accounts:two-factor-verify", signed_in(REDIRECT)),
    Row("accounts:two-factor-setup", signed_in(OK)),
    Row("accounts:two-factor-qr", signed_in(NOT_FOUND), note="nothing set up"),
    Row("accounts:two-factor-recovery-codes", signed_in(REDIRECT)),
    Row(
        "accounts:two-factor-disable",
        only(TWO_FACTOR_REQUIRED, FORBIDDEN, others=REDIRECT),
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
    Row(
        "accounts:user-two-factor-reset",
        signed_in(NOT_ALLOWED),
        kwargs=other_user_pk,
    ),
    Row(
        "accounts:user-two-factor-reset",
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
    # ---- accounts: a person's own data (download, delete) ----
    Row("accounts:my-data", signed_in(OK)),
    Row("accounts:my-data-download", signed_in(NOT_ALLOWED)),
    Row("accounts:my-data-download", signed_in(OK), method="post"),
    Row("accounts:account-delete", signed_in(OK)),
    Row(
        "accounts:account-delete",
        signed_in(OK),
        method="post",
        data=lambda w: {"email": "not-mine@example.org"},
        note="wrong-email",
    ),
    Row("accounts:user-delete", only(ADMIN, OK), kwargs=other_user_pk),
    Row(
        "accounts:user-delete",
        only(ADMIN, OK),
        kwargs=other_user_pk,
        method="post",
        data=lambda w: {"email": "not-theirs@example.org"},
        note="wrong-email",
    ),
    Row(
        "accounts:user-delete",
        only(ADMIN, REDIRECT),
        kwargs=other_user_pk,
        method="post",
        data=lambda w: {"email": w.other_user.email},
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
    Row("directory:import-list", signed_in(NOT_ALLOWED), method="post"),
    Row(
        "directory:import-upload",
        only(STAFF, REDIRECT),
        method="post",
        data=upload_form,
    ),
    Row(
        "directory:import-template",
        only(STAFF, OK),
        kwargs=lambda w: {"fmt": "xlsx"},
        note="xlsx",
    ),
    Row(
        "directory:import-template",
        only(STAFF, NOT_FOUND),
        kwargs=lambda w: {"fmt": "exe"},
        note="unknown-format",
    ),
    # ---- directory: more of the profile pages ----
    Row("directory:organization-list", everyone(NOT_ALLOWED), method="post"),
    Row(
        "directory:organization-detail",
        everyone(NOT_ALLOWED),
        kwargs=org_slug,
        method="post",
    ),
    Row(
        "directory:organization-detail",
        only(EDITORS, OK, others=NOT_FOUND, anonymous=NOT_FOUND),
        kwargs=slug_of("own_pending"),
        note="own-pending",
    ),
    Row(
        "directory:organization-detail",
        only(STAFF, OK, others=NOT_FOUND, anonymous=NOT_FOUND),
        kwargs=slug_of("deleted"),
        note="deleted",
    ),
    Row(
        "directory:organization-edit",
        only(EDITORS, OK, others=NOT_FOUND),
        kwargs=slug_of("own_pending"),
        note="own-pending",
    ),
    Row(
        "directory:organization-edit",
        only(STAFF, OK),
        kwargs=slug_of("members_only"),
        note="members-only",
    ),
    Row(
        "directory:organization-edit",
        only(STAFF, NOT_FOUND, others=NOT_FOUND),
        kwargs=slug_of("deleted"),
        note="deleted",
    ),
    Row(
        "directory:organization-edit",
        only(STAFF, NOT_FOUND, others=NOT_FOUND),
        kwargs=lambda w: {"slug": "no-such-organization"},
        note="missing",
    ),
    # An editor's change to a published profile goes to moderation: a redirect too.
    Row(
        "directory:organization-edit",
        only(EDITORS, REDIRECT),
        kwargs=org_slug,
        method="post",
        data=profile_form(),
    ),
    Row(
        "directory:organization-edit",
        only(EDITORS, REDIRECT, others=NOT_FOUND),
        kwargs=slug_of("own_pending"),
        method="post",
        data=profile_form("own_pending"),
        note="own-pending",
    ),
    Row(
        "directory:organization-edit",
        only(STAFF, REDIRECT, others=NOT_FOUND),
        kwargs=slug_of("unverified"),
        method="post",
        data=profile_form("unverified"),
        note="unverified",
    ),
    Row(
        "directory:organization-create",
        signed_in(REDIRECT),
        method="post",
        data=new_profile_form,
    ),
    Row("directory:my-organizations", signed_in(NOT_ALLOWED), method="post"),
    Row("directory:moderation-queue", signed_in(NOT_ALLOWED), method="post"),
    # ---- directory: moderation of one organization (the editor's own pending) ----
    Row(
        "directory:moderate-organization",
        only(STAFF, OK),
        kwargs=pk_of("own_pending"),
    ),
    Row(
        "directory:moderate-organization",
        only(STAFF, NOT_FOUND),
        kwargs=missing_pk,
        note="missing",
    ),
    Row(
        "directory:moderate-organization",
        only(STAFF, NOT_FOUND),
        kwargs=pk_of("deleted"),
        note="deleted",
    ),
    Row(
        "directory:moderate-organization",
        only(STAFF, REDIRECT),
        kwargs=pk_of("own_pending"),
        method="post",
        data=lambda w: {"action": "verify"},
        note="verify",
    ),
    Row(
        "directory:moderate-organization",
        only(STAFF, REDIRECT),
        kwargs=pk_of("own_pending"),
        method="post",
        data=reject_with_reason,
        note="reject",
    ),
    Row(
        "directory:moderate-organization",
        only(STAFF, OK),
        kwargs=pk_of("own_pending"),
        method="post",
        data=lambda w: {"action": "reject", "reason": "Not an IT organization."},
        note="reject-unconfirmed",
    ),
    Row(
        "directory:moderate-organization",
        only(STAFF, REDIRECT),
        kwargs=org_pk,
        method="post",
        data=lambda w: {"action": "delete", "confirm": "yes"},
        note="delete",
    ),
    Row(
        "directory:moderate-organization",
        only(STAFF, NOT_FOUND),
        kwargs=org_pk,
        method="post",
        data=lambda w: {"action": "publish-everything"},
        note="unknown-action",
    ),
    Row(
        "directory:moderate-organization",
        only(STAFF, NOT_FOUND),
        kwargs=missing_pk,
        method="post",
        data=lambda w: {"action": "verify"},
        note="missing",
    ),
    # ---- directory: moderation of proposed changes (to the editor's organization) ----
    Row(
        "directory:moderate-revision",
        only(STAFF, OK),
        kwargs=pk_of("revision"),
    ),
    Row(
        "directory:moderate-revision",
        only(STAFF, NOT_FOUND),
        kwargs=missing_pk,
        note="missing",
    ),
    Row(
        "directory:moderate-revision",
        only(STAFF, NOT_FOUND),
        kwargs=revision_of_deleted,
        note="deleted-organization",
    ),
    Row(
        "directory:moderate-revision",
        only(STAFF, REDIRECT),
        kwargs=pk_of("revision"),
        method="post",
        data=lambda w: {"action": "approve"},
        note="approve",
    ),
    Row(
        "directory:moderate-revision",
        only(STAFF, REDIRECT),
        kwargs=pk_of("revision"),
        method="post",
        data=reject_with_reason,
        note="reject",
    ),
    Row(
        "directory:moderate-revision",
        only(STAFF, NOT_FOUND),
        kwargs=pk_of("revision"),
        method="post",
        data=lambda w: {"action": "publish-everything"},
        note="unknown-action",
    ),
    # ---- directory: import batches ----
    Row("directory:import-detail", only(STAFF, OK), kwargs=batch_pk),
    Row("directory:import-file", only(STAFF, OK), kwargs=batch_pk),
    Row(
        "directory:import-file",
        only(STAFF, NOT_FOUND),
        kwargs=missing_pk,
        note="missing",
    ),
    Row(
        "directory:import-detail",
        only(STAFF, NOT_FOUND),
        kwargs=missing_pk,
        note="missing",
    ),
    Row(
        "directory:import-detail",
        signed_in(NOT_ALLOWED),
        kwargs=batch_pk,
        method="post",
    ),
    Row("directory:import-apply", signed_in(NOT_ALLOWED), kwargs=batch_pk),
    Row(
        "directory:import-apply",
        only(STAFF, REDIRECT),
        kwargs=batch_pk,
        method="post",
        data=lambda w: {"confirm": "yes"},
    ),
    Row(
        "directory:import-apply",
        only(STAFF, NOT_FOUND),
        kwargs=missing_pk,
        method="post",
        data=lambda w: {"confirm": "yes"},
        note="missing",
    ),
    Row("directory:import-restart", signed_in(NOT_ALLOWED), kwargs=batch_pk),
    Row(
        "directory:import-restart",
        only(STAFF, REDIRECT),
        kwargs=stalled_batch_pk,
        method="post",
        data=lambda w: {"confirm": "yes"},
    ),
    Row(
        "directory:import-restart",
        only(STAFF, REDIRECT),
        kwargs=batch_pk,
        method="post",
        data=lambda w: {"confirm": "yes"},
        note="not-stalled",
    ),
    Row(
        "directory:import-restart",
        only(STAFF, NOT_FOUND),
        kwargs=missing_pk,
        method="post",
        data=lambda w: {"confirm": "yes"},
        note="missing",
    ),
    Row("directory:import-rejected", only(STAFF, OK), kwargs=rejected_file("csv")),
    Row(
        "directory:import-rejected",
        only(STAFF, OK),
        kwargs=rejected_file("xlsx"),
        note="xlsx",
    ),
    Row(
        "directory:import-rejected",
        only(STAFF, NOT_FOUND),
        kwargs=rejected_file("exe"),
        note="unknown-format",
    ),
    Row(
        "directory:import-rejected",
        only(STAFF, NOT_FOUND),
        kwargs=lambda w: {"pk": 999999, "fmt": "csv"},
        note="missing",
    ),
    # ---- directory: export (honours visibility; open to everyone) ----
    Row(
        "directory:organization-export",
        everyone(OK),
        kwargs=lambda w: {"fmt": "xlsx"},
        note="xlsx",
    ),
    Row(
        "directory:organization-export",
        everyone(OK),
        kwargs=lambda w: {"fmt": "json"},
        note="json",
    ),
    Row(
        "directory:organization-export",
        everyone(NOT_ALLOWED),
        kwargs=lambda w: {"fmt": "csv"},
        method="post",
    ),
    # ---- api: documents and the token ----
    Row("api:root", everyone(OK)),
    Row("api:root", everyone(NOT_ALLOWED), method="post"),
    Row("api:schema", everyone(OK)),
    Row("api:docs", everyone(OK)),
    Row("api:docs", everyone(NOT_ALLOWED), method="post"),
    Row("api:docs-reference", everyone(OK)),
    Row("api:docs-reference", everyone(NOT_ALLOWED), method="post"),
    Row("api:token", everyone(NOT_ALLOWED)),
    # The token view ignores sessions: anyone with the password gets the token.
    Row("api:token", everyone(OK), method="post", data=token_request, json=True),
    # ---- api: organizations ----
    Row("api:organization-list", everyone(OK)),
    Row(
        "api:organization-list",
        signed_in(CREATED, anonymous=UNAUTHORIZED),
        method="post",
        data=api_new_organization,
        json=True,
    ),
    Row(
        "api:organization-list",
        signed_in(NOT_ALLOWED, anonymous=UNAUTHORIZED),
        method="patch",
        data=api_change,
        json=True,
    ),
    Row(
        "api:organization-list",
        signed_in(NOT_ALLOWED, anonymous=UNAUTHORIZED),
        method="delete",
    ),
    Row("api:organization-detail", everyone(OK), kwargs=org_slug),
    Row(
        "api:organization-detail",
        everyone(NOT_FOUND),
        kwargs=lambda w: {"slug": "no-such-organization"},
        note="missing",
    ),
    Row(
        "api:organization-detail",
        signed_in(OK, anonymous=NOT_FOUND),
        kwargs=slug_of("members_only"),
        note="members-only",
    ),
    Row(
        "api:organization-detail",
        only(STAFF, OK, others=NOT_FOUND, anonymous=NOT_FOUND),
        kwargs=slug_of("unverified"),
        note="unverified",
    ),
    Row(
        "api:organization-detail",
        only(EDITORS, OK, others=NOT_FOUND, anonymous=NOT_FOUND),
        kwargs=slug_of("own_pending"),
        note="own-pending",
    ),
    Row(
        "api:organization-detail",
        everyone(NOT_FOUND),
        kwargs=slug_of("deleted"),
        note="deleted",
    ),
    # Staff changes apply at once; an editor's change to a published profile waits.
    Row(
        "api:organization-detail",
        {
            **only(STAFF, OK, anonymous=UNAUTHORIZED),
            Role.EDITOR: ACCEPTED,
        },
        kwargs=org_slug,
        method="patch",
        data=api_change,
        json=True,
    ),
    Row(
        "api:organization-detail",
        {
            **only(STAFF, OK, anonymous=UNAUTHORIZED),
            Role.EDITOR: ACCEPTED,
        },
        kwargs=org_slug,
        method="put",
        data=api_replacement(),
        json=True,
    ),
    Row(
        "api:organization-detail",
        only(EDITORS, OK, others=NOT_FOUND, anonymous=UNAUTHORIZED),
        kwargs=slug_of("own_pending"),
        method="patch",
        data=api_change,
        json=True,
        note="own-pending",
    ),
    Row(
        "api:organization-detail",
        only(EDITORS, OK, others=NOT_FOUND, anonymous=UNAUTHORIZED),
        kwargs=slug_of("own_pending"),
        method="put",
        data=api_replacement("own_pending"),
        json=True,
        note="own-pending",
    ),
    Row(
        "api:organization-detail",
        only(STAFF, OK, anonymous=UNAUTHORIZED),
        kwargs=slug_of("members_only"),
        method="patch",
        data=api_change,
        json=True,
        note="members-only",
    ),
    Row(
        "api:organization-detail",
        only(STAFF, OK, others=NOT_FOUND, anonymous=UNAUTHORIZED),
        kwargs=slug_of("unverified"),
        method="patch",
        data=api_change,
        json=True,
        note="unverified",
    ),
    Row(
        "api:organization-detail",
        signed_in(NOT_FOUND, anonymous=UNAUTHORIZED),
        kwargs=lambda w: {"slug": "no-such-organization"},
        method="patch",
        data=api_change,
        json=True,
        note="missing",
    ),
    # Removing an organization is moderation work on the site, not an API call.
    Row(
        "api:organization-detail",
        signed_in(NOT_ALLOWED, anonymous=UNAUTHORIZED),
        kwargs=org_slug,
        method="delete",
    ),
    Row(
        "api:organization-detail",
        signed_in(NOT_ALLOWED, anonymous=UNAUTHORIZED),
        kwargs=org_slug,
        method="post",
        data=api_new_organization,
        json=True,
    ),
    # ---- api: vocabularies, read-only for everyone ----
    *[
        row
        for vocabulary, lookup in (
            ("sector", sector_code),
            ("tag", tag_slug),
            ("place", place_code),
        )
        for row in (
            Row(f"api:{vocabulary}-list", everyone(OK)),
            Row(
                f"api:{vocabulary}-list",
                everyone(NOT_ALLOWED),
                method="post",
                data=lambda w: {"code": "X98", "slug": "zz-new"},
                json=True,
            ),
            Row(f"api:{vocabulary}-detail", everyone(OK), kwargs=lookup),
            Row(
                f"api:{vocabulary}-detail",
                everyone(NOT_FOUND),
                kwargs=lambda w, key=("slug" if vocabulary == "tag" else "code"): {
                    key: "NO-SUCH"
                },
                note="missing",
            ),
            Row(
                f"api:{vocabulary}-detail",
                everyone(NOT_ALLOWED),
                kwargs=lookup,
                method="patch",
                data=lambda w: {"name_en": "Renamed"},
                json=True,
            ),
            Row(
                f"api:{vocabulary}-detail",
                everyone(NOT_ALLOWED),
                kwargs=lookup,
                method="delete",
            ),
        )
    ],
]

APPS = [import_module(name) for name in APP_MODULES]
ROWS += [row for app in APPS for row in app.ROWS]

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
    covered = {row.name for row in ROWS}

    missing = named_urls() - covered

    assert missing == set(), f"add permission-matrix rows for: {sorted(missing)}"


def test_matrix_rows_name_existing_urls_and_every_role():
    existing = named_urls()

    stale = {row.name for row in ROWS} - existing
    incomplete = [row.id for row in ROWS if set(row.expect) != set(ROLES)]

    assert stale == set()
    assert incomplete == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_permission_matrix(client, db, row, role):
    world = build_world()
    for app in APPS:
        if hasattr(app, "build"):
            app.build(world)
    actor = make_actor(role, world)
    for app in APPS:
        if hasattr(app, "setup_actor"):
            app.setup_actor(role, world, actor)
    if actor is not None:
        client.force_login(actor)
    url = reverse(row.name, kwargs=row.kwargs(world))
    data = row.data(world) if row.data else {}
    options = {"content_type": "application/json"} if row.json else {}

    response = getattr(client, row.method)(url, data, **options)
    response.close()  # a file download holds its file open until closed

    assert outcome_of(response) == row.expect[role]
