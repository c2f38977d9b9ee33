"""Permission-matrix rows of the `matching` app (see tests/matrix/__init__.py).

`build` gives the world's organization (edited by the Role.EDITOR subject) a
published need, a draft and a pending one.
"""

from django.utils import timezone

from matching.models import NeedOffer
from tests.matching.factories import NeedOfferFactory
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


def build(world) -> None:
    organization = world.organization
    world.extra.update(
        no_published=NeedOfferFactory(organization=organization),
        no_draft=NeedOfferFactory(
            organization=organization, status=NeedOffer.Status.DRAFT
        ),
        no_pending=NeedOfferFactory(
            organization=organization, status=NeedOffer.Status.PENDING
        ),
    )


def pk_of(key):
    return lambda world: {"pk": world.extra[key].pk}


def create_data(world) -> dict:
    valid_until = timezone.localdate() + timezone.timedelta(days=30)
    return {
        "organization": world.organization.pk,
        "kind": "need",
        "category": "expertise",
        "title_uk": "Експертиза",
        "description_uk": "Потрібна експертиза.",
        "valid_until": valid_until.isoformat(),
    }


def api_create_data(world) -> dict:
    return {**create_data(world), "organization": world.organization.slug}


# Who edits the world's organization: staff and the Role.EDITOR subject.
OWNERS = EDITORS
CREATORS = (*EDITORS, EDITOR_ELSEWHERE)


def owners(outcome, *, others, anonymous=LOGIN) -> dict:
    return only(OWNERS, outcome, others=others, anonymous=anonymous)


ROWS: list[Row] = [
    Row("matching:recommendations", signed_in(OK)),
    Row("matching:profile-edit", signed_in(OK)),
    Row("matching:profile-edit", signed_in(OK), method="post", note="invalid"),
    Row("matching:needoffer-list", everyone(OK)),
    Row("matching:needoffer-create", only(CREATORS, OK)),
    Row(
        "matching:needoffer-create",
        {**only(CREATORS, OK), **dict.fromkeys(OWNERS, REDIRECT)},
        method="post",
        data=create_data,
    ),
    Row("matching:needoffer-mine", signed_in(OK)),
    Row("matching:moderation-queue", only(STAFF, OK)),
    Row("matching:needoffer-detail", everyone(OK), kwargs=pk_of("no_published")),
    Row(
        "matching:needoffer-detail",
        owners(OK, others=NOT_FOUND, anonymous=NOT_FOUND),
        kwargs=pk_of("no_draft"),
        note="draft",
    ),
    Row(
        "matching:needoffer-edit",
        owners(OK, others=FORBIDDEN),
        kwargs=pk_of("no_published"),
    ),
    Row(
        "matching:needoffer-edit",
        owners(OK, others=NOT_FOUND),
        kwargs=pk_of("no_draft"),
        note="draft",
    ),
    Row(
        "matching:needoffer-submit",
        owners(REDIRECT, others=NOT_FOUND),
        kwargs=pk_of("no_draft"),
        method="post",
    ),
    Row(
        "matching:needoffer-submit",
        {**everyone(NOT_ALLOWED), ANONYMOUS: LOGIN},
        kwargs=pk_of("no_draft"),
    ),
    Row(
        "matching:needoffer-renew",
        owners(REDIRECT, others=FORBIDDEN),
        kwargs=pk_of("no_published"),
        method="post",
    ),
    Row(
        "matching:needoffer-renew",
        {**everyone(NOT_ALLOWED), ANONYMOUS: LOGIN},
        kwargs=pk_of("no_published"),
    ),
    Row(
        "matching:needoffer-moderate",
        only(STAFF, OK),
        kwargs=pk_of("no_pending"),
    ),
    Row(
        "matching:needoffer-moderate",
        only(STAFF, REDIRECT),
        kwargs=pk_of("no_pending"),
        method="post",
        data=lambda world: {"action": "approve"},
    ),
    # API
    Row("api:need-offer-list", everyone(OK)),
    Row(
        "api:need-offer-list",
        {
            **only(OWNERS, CREATED, anonymous=UNAUTHORIZED),
            EDITOR_ELSEWHERE: FORBIDDEN,
        },
        method="post",
        data=api_create_data,
        json=True,
    ),
    Row("api:need-offer-detail", everyone(OK), kwargs=pk_of("no_published")),
    Row(
        "api:need-offer-detail",
        owners(OK, others=NOT_FOUND, anonymous=NOT_FOUND),
        kwargs=pk_of("no_draft"),
        note="draft",
    ),
    Row(
        "api:need-offer-detail",
        owners(OK, others=FORBIDDEN, anonymous=UNAUTHORIZED),
        kwargs=pk_of("no_published"),
        method="patch",
        data=lambda world: {"title_en": "Changed"},
        json=True,
    ),
    Row(
        "api:need-offer-submit",
        owners(OK, others=NOT_FOUND, anonymous=UNAUTHORIZED),
        kwargs=pk_of("no_draft"),
        method="post",
    ),
    Row(
        "api:matching-recommendations",
        signed_in(OK, anonymous=UNAUTHORIZED),
    ),
]
