"""Permission-matrix rows of the `talent` app (see tests/matrix/__init__.py).

`build` gives the world's organization (edited by the Role.EDITOR subject; the
EDITOR_ELSEWHERE subject edits another verified local organization) a published,
a draft and a pending role, and adds three specialists, one at each visibility
level; the one visible to organizations has a pending invitation from the world's
organization.
"""

from django.utils import timezone

from talent.models import Role, SpecialistProfile
from tests.factories import UserFactory
from tests.matrix.base import (
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
    STAFF,
    UNAUTHORIZED,
    Row,
    everyone,
    only,
    signed_in,
)
from tests.talent.factories import (
    InvitationFactory,
    RoleFactory,
    SpecialistProfileFactory,
)

Visibility = SpecialistProfile.Visibility


def build(world) -> None:
    organization = world.organization
    visible = SpecialistProfileFactory(
        user=UserFactory(email="specialist@example.org"),
        visibility=Visibility.ORGANIZATIONS,
    )
    world.extra.update(
        role_published=RoleFactory(organization=organization),
        role_draft=RoleFactory(organization=organization, status=Role.Status.DRAFT),
        role_pending=RoleFactory(organization=organization, status=Role.Status.PENDING),
        profile_visible=visible,
        profile_public=SpecialistProfileFactory(
            user=UserFactory(email="public-specialist@example.org"),
            visibility=Visibility.PUBLIC,
        ),
        profile_hidden=SpecialistProfileFactory(
            user=UserFactory(email="hidden-specialist@example.org"),
            visibility=Visibility.AGGREGATE,
        ),
        talent_invitation=InvitationFactory(profile=visible, organization=organization),
    )


def pk_of(key):
    return lambda world: {"pk": world.extra[key].pk}


def role_data(world) -> dict:
    return {
        "organization": world.organization.pk,
        "title_uk": "Розробник",
        "title_en": "Developer",
        "description_uk": "Опис.",
        "description_en": "Description.",
        "work_mode": "remote",
        "salary_currency": "USD",
        "valid_until": (timezone.localdate() + timezone.timedelta(days=30)).isoformat(),
    }


def api_role_data(world) -> dict:
    return {**role_data(world), "organization": world.organization.slug}


OWNERS = EDITORS  # staff and the Role.EDITOR subject
HOME_EDITORS = ("editor", EDITOR_ELSEWHERE)
CREATORS = (*EDITORS, EDITOR_ELSEWHERE)
FIGURES = (*STAFF, "city_officer")


def owners(outcome, *, others, anonymous=LOGIN) -> dict:
    return only(OWNERS, outcome, others=others, anonymous=anonymous)


ROWS: list[Row] = [
    Row("talent:home", everyone(OK)),
    Row("talent:profile-edit", signed_in(OK)),
    Row("talent:profile-edit", signed_in(OK), method="post", note="invalid"),
    Row("talent:profile-download", signed_in(NOT_FOUND), note="no profile"),
    Row("talent:profile-delete", signed_in(NOT_FOUND), note="no profile"),
    Row("talent:matches", signed_in(OK)),
    Row("talent:plan", signed_in(REDIRECT), note="no profile"),
    Row(
        "talent:profile-detail",
        only(HOME_EDITORS, OK, others=NOT_FOUND, anonymous=NOT_FOUND),
        kwargs=pk_of("profile_visible"),
        note="organizations",
    ),
    Row(
        "talent:profile-detail",
        everyone(OK),
        kwargs=pk_of("profile_public"),
        note="public",
    ),
    Row(
        "talent:profile-detail",
        everyone(NOT_FOUND),
        kwargs=pk_of("profile_hidden"),
        note="aggregate",
    ),
    Row(
        "talent:invite",
        only(HOME_EDITORS, OK, others=NOT_FOUND),
        kwargs=pk_of("profile_visible"),
    ),
    Row(
        "talent:invite",
        only(HOME_EDITORS, OK, others=FORBIDDEN),
        kwargs=pk_of("profile_public"),
        note="public",
    ),
    Row(
        "talent:invite",
        signed_in(NOT_FOUND),
        kwargs=pk_of("profile_hidden"),
        method="post",
        note="aggregate",
    ),
    Row("talent:invitation-list", signed_in(OK)),
    Row(
        "talent:invitation-detail",
        only(("editor",), OK, others=NOT_FOUND),
        kwargs=pk_of("talent_invitation"),
    ),
    Row(
        "talent:invitation-respond",
        only(("editor",), FORBIDDEN, others=NOT_FOUND),
        kwargs=pk_of("talent_invitation"),
        method="post",
        data=lambda world: {"answer": "accept"},
    ),
    Row(
        "talent:invitation-respond",
        {**everyone(NOT_ALLOWED), ANONYMOUS: LOGIN},
        kwargs=pk_of("talent_invitation"),
    ),
    Row("talent:role-list", everyone(OK)),
    Row("talent:role-create", only(CREATORS, OK)),
    Row(
        "talent:role-create",
        {**only(CREATORS, OK), **dict.fromkeys(OWNERS, REDIRECT)},
        method="post",
        data=role_data,
    ),
    Row("talent:role-mine", signed_in(OK)),
    Row("talent:moderation-queue", only(STAFF, OK)),
    Row("talent:role-feed", everyone(OK)),
    Row("talent:role-feed-atom", everyone(OK)),
    Row("talent:role-detail", everyone(OK), kwargs=pk_of("role_published")),
    Row(
        "talent:role-detail",
        owners(OK, others=NOT_FOUND, anonymous=NOT_FOUND),
        kwargs=pk_of("role_draft"),
        note="draft",
    ),
    Row(
        "talent:role-edit",
        owners(OK, others=FORBIDDEN),
        kwargs=pk_of("role_published"),
    ),
    Row(
        "talent:role-edit",
        owners(OK, others=NOT_FOUND),
        kwargs=pk_of("role_draft"),
        note="draft",
    ),
    Row(
        "talent:role-submit",
        owners(REDIRECT, others=NOT_FOUND),
        kwargs=pk_of("role_draft"),
        method="post",
    ),
    Row(
        "talent:role-submit",
        {**everyone(NOT_ALLOWED), ANONYMOUS: LOGIN},
        kwargs=pk_of("role_draft"),
    ),
    Row(
        "talent:role-renew",
        owners(REDIRECT, others=FORBIDDEN),
        kwargs=pk_of("role_published"),
        method="post",
    ),
    Row(
        "talent:role-fill",
        owners(REDIRECT, others=FORBIDDEN),
        kwargs=pk_of("role_published"),
        method="post",
    ),
    Row(
        "talent:role-fill",
        {**everyone(NOT_ALLOWED), ANONYMOUS: LOGIN},
        kwargs=pk_of("role_published"),
    ),
    Row("talent:role-moderate", only(STAFF, OK), kwargs=pk_of("role_pending")),
    Row(
        "talent:role-moderate",
        only(STAFF, REDIRECT),
        kwargs=pk_of("role_pending"),
        method="post",
        data=lambda world: {"action": "approve"},
    ),
    Row(
        "talent:role-specialists",
        only(("editor",), OK),
        kwargs=pk_of("role_published"),
    ),
    Row("talent:figures", everyone(OK)),
    Row("talent:figures-staff", only(FIGURES, OK)),
    Row("talent:figures-csv", everyone(OK)),
    Row("talent:survey-import", only(STAFF, OK)),
    Row("talent:survey-import", only(STAFF, OK), method="post", note="no file"),
    # API
    Row("api:talent-profile", signed_in(NOT_FOUND, anonymous=UNAUTHORIZED)),
    Row(
        "api:talent-profile",
        signed_in(OK, anonymous=UNAUTHORIZED),
        method="put",
        data=lambda world: {"consent": True, "intent": "return"},
        json=True,
    ),
    Row("api:talent-matches", signed_in(OK, anonymous=UNAUTHORIZED)),
    Row("api:talent-aggregates", everyone(OK)),
    Row("api:talent-role-list", everyone(OK)),
    Row(
        "api:talent-role-list",
        {
            **only(OWNERS, CREATED, anonymous=UNAUTHORIZED),
            EDITOR_ELSEWHERE: FORBIDDEN,
        },
        method="post",
        data=api_role_data,
        json=True,
    ),
    Row("api:talent-role-detail", everyone(OK), kwargs=pk_of("role_published")),
    Row(
        "api:talent-role-detail",
        owners(OK, others=NOT_FOUND, anonymous=NOT_FOUND),
        kwargs=pk_of("role_draft"),
        note="draft",
    ),
    Row(
        "api:talent-role-submit",
        owners(OK, others=NOT_FOUND, anonymous=UNAUTHORIZED),
        kwargs=pk_of("role_draft"),
        method="post",
    ),
    Row("api:talent-invitation-list", signed_in(OK, anonymous=UNAUTHORIZED)),
    Row(
        "api:talent-invitation-detail",
        only(("editor",), OK, others=NOT_FOUND, anonymous=UNAUTHORIZED),
        kwargs=pk_of("talent_invitation"),
    ),
    Row(
        "api:talent-invitation-respond",
        only(("editor",), FORBIDDEN, others=NOT_FOUND, anonymous=UNAUTHORIZED),
        kwargs=pk_of("talent_invitation"),
        method="post",
        data=lambda world: {"accept": True},
        json=True,
    ),
]
