"""Permission-matrix rows of the `investments` app (see tests/matrix/__init__.py).

`build` makes a published project (`inv_public`) with an open, a limited and a
restricted document and a photo, a second published project (`inv_other`), a draft
with a photo, and an expression of interest of another investor in `inv_public`.
`setup_actor`
verifies the Role.INVESTOR subject and gives them an accepted interest in
`inv_public` with the confidentiality terms confirmed, so its limited document is
open to them (and to nobody else outside the city).
"""

import base64

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role
from investments.models import (
    Interest,
    InvestmentProject,
    InvestorVerification,
    ProjectDocument,
    ProjectPhoto,
)
from tests.investments.factories import (
    DocumentFactory,
    InterestFactory,
    ProjectFactory,
    investor_user,
)
from tests.matrix.base import (
    ANONYMOUS,
    CREATED,
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

CITY = (*STAFF, Role.CITY_OFFICER)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def build(world) -> None:
    public = ProjectFactory(slug="matrix-project", code="MX-1")
    other = ProjectFactory(slug="matrix-other", code="MX-2")
    draft = ProjectFactory(
        slug="matrix-draft",
        code="MX-3",
        status=InvestmentProject.Status.DRAFT,
        published_at=None,
    )
    documents = {
        access: DocumentFactory(project=public, access=access)
        for access in ProjectDocument.Access.values
    }
    photo = ProjectPhoto(project=public, caption_en="Site")
    photo.image.save("site.png", ContentFile(PNG), save=True)
    draft_photo = ProjectPhoto(project=draft, caption_en="Draft site")
    draft_photo.image.save("draft.png", ContentFile(PNG), save=True)
    interest = InterestFactory(
        project=public, investor=investor_user(email="matrix-investor@example.org")
    )
    world.extra.update(
        inv_public=public,
        inv_other=other,
        inv_draft=draft,
        inv_open_doc=documents["open"],
        inv_limited_doc=documents["limited"],
        inv_restricted_doc=documents["restricted"],
        inv_photo=photo,
        inv_draft_photo=draft_photo,
        inv_interest=interest,
    )


def setup_actor(role, world, user) -> None:
    if role != Role.INVESTOR or user is None:
        return
    InvestorVerification.objects.update_or_create(
        user=user, defaults={"status": InvestorVerification.Status.VERIFIED}
    )
    now = timezone.now()
    Interest.objects.create(
        project=world.extra["inv_public"],
        investor=user,
        instrument="loan",
        amount=100,
        currency="USD",
        stage=Interest.Stage.MEETING,
        stage_changed_at=now,
        accepted_at=now,
        terms_confirmed_at=now,
    )


def slug_of(key):
    return lambda world: {"slug": world.extra[key].slug}


def pk_of(key):
    return lambda world: {"pk": world.extra[key].pk}


def investor_pk(world) -> dict:
    return {"pk": world.extra["inv_interest"].investor_id}


def city(outcome, *, others=FORBIDDEN, anonymous=LOGIN) -> dict:
    return only(CITY, outcome, others=others, anonymous=anonymous)


def cells(default, anonymous, **by_role) -> dict:
    expect = {**everyone(default), ANONYMOUS: anonymous}
    expect.update(by_role)
    assert set(expect) == set(ROLES)
    return expect


def interest_data(world) -> dict:
    return {"instrument": "loan", "amount": "1000", "currency": "USD", "message": "Hi"}


def api_interest_data(world) -> dict:
    return {**interest_data(world), "project": world.extra["inv_other"].slug}


def api_new_project(world) -> dict:
    return {
        "code": "MX-API",
        "title_uk": "Проєкт з API",
        "strategy_area": "safety",
        "owner": world.extra["inv_public"].owner_id,
        "total_cost": "1000000",
        "financing_sought": "500000",
        "project_sector": ["governance"],
        "instruments": ["grant"],
    }


LIMITED = cells(NOT_FOUND, NOT_FOUND, **dict.fromkeys(CITY, OK), investor=OK)
CITY_ONLY_404 = city(OK, others=NOT_FOUND, anonymous=NOT_FOUND)
API_CITY_WRITE = city(OK, anonymous=UNAUTHORIZED)

ROWS: list[Row] = [
    Row("investments:project-list", everyone(OK)),
    Row("investments:project-list", everyone(NOT_ALLOWED), method="post"),
    Row("investments:catalogue-map", everyone(OK)),
    Row("investments:project-create", city(OK)),
    Row("investments:project-manage", city(OK)),
    Row("investments:project-detail", everyone(OK), kwargs=slug_of("inv_public")),
    Row(
        "investments:project-detail",
        CITY_ONLY_404,
        kwargs=slug_of("inv_draft"),
        note="draft",
    ),
    Row("investments:project-edit", city(OK), kwargs=slug_of("inv_public")),
    Row(
        "investments:project-edit",
        city(OK, others=NOT_FOUND),
        kwargs=slug_of("inv_draft"),
        note="draft",
    ),
    Row(
        "investments:project-status",
        signed_in(NOT_ALLOWED),
        kwargs=slug_of("inv_public"),
    ),
    Row(
        "investments:project-status",
        city(REDIRECT),
        kwargs=slug_of("inv_public"),
        method="post",
        data=lambda w: {"status": "in_negotiation"},
    ),
    Row("investments:project-history", city(OK), kwargs=slug_of("inv_public")),
    Row("investments:project-files", city(OK), kwargs=slug_of("inv_public")),
    Row(
        "investments:document-download",
        everyone(OK),
        kwargs=pk_of("inv_open_doc"),
        note="open",
    ),
    Row(
        "investments:document-download",
        LIMITED,
        kwargs=pk_of("inv_limited_doc"),
        note="limited",
    ),
    Row(
        "investments:document-download",
        CITY_ONLY_404,
        kwargs=pk_of("inv_restricted_doc"),
        note="restricted",
    ),
    Row(
        "investments:document-delete",
        city(REDIRECT),
        kwargs=pk_of("inv_open_doc"),
        method="post",
    ),
    Row("investments:photo", everyone(OK), kwargs=pk_of("inv_photo")),
    Row(
        "investments:photo",
        CITY_ONLY_404,
        kwargs=pk_of("inv_draft_photo"),
        note="draft",
    ),
    Row(
        "investments:photo-delete",
        city(REDIRECT),
        kwargs=pk_of("inv_photo"),
        method="post",
    ),
    Row(
        "investments:interest-create",
        only([Role.INVESTOR], OK),
        kwargs=slug_of("inv_other"),
    ),
    Row(
        "investments:interest-create",
        only([Role.INVESTOR], REDIRECT),
        kwargs=slug_of("inv_other"),
        method="post",
        data=interest_data,
    ),
    Row("investments:my-interests", signed_in(OK)),
    Row(
        "investments:interest-terms",
        cells(NOT_FOUND, LOGIN, **dict.fromkeys(CITY, FORBIDDEN)),
        kwargs=pk_of("inv_interest"),
        note="another's",
    ),
    Row("investments:verification-request", signed_in(NOT_ALLOWED)),
    Row(
        "investments:verification-request",
        only([Role.INVESTOR], REDIRECT),
        method="post",
        data=lambda w: {"note": "A fund in Denver."},
    ),
    Row("investments:pipeline", city(OK)),
    Row("investments:interest-detail", city(OK), kwargs=pk_of("inv_interest")),
    Row(
        "investments:interest-move",
        city(REDIRECT),
        kwargs=pk_of("inv_interest"),
        method="post",
        data=lambda w: {"stage": "contacted"},
    ),
    Row(
        "investments:interest-accept",
        city(REDIRECT),
        kwargs=pk_of("inv_interest"),
        method="post",
    ),
    Row("investments:dashboard", city(OK)),
    Row("investments:investor-list", only(STAFF, OK)),
    Row(
        "investments:investor-verify",
        only(STAFF, REDIRECT),
        kwargs=investor_pk,
        method="post",
        data=lambda w: {"decision": "verify"},
    ),
    # ---- API ----
    Row("api:investment-project-list", everyone(OK)),
    Row(
        "api:investment-project-list",
        only(CITY, CREATED, anonymous=UNAUTHORIZED),
        method="post",
        data=api_new_project,
        json=True,
    ),
    Row(
        "api:investment-project-detail",
        everyone(OK),
        kwargs=slug_of("inv_public"),
    ),
    Row(
        "api:investment-project-detail",
        CITY_ONLY_404,
        kwargs=slug_of("inv_draft"),
        note="draft",
    ),
    Row(
        "api:investment-project-detail",
        API_CITY_WRITE,
        kwargs=slug_of("inv_public"),
        method="patch",
        data=lambda w: {
            "title_en": "Changed",
            "version": w.extra["inv_public"].version,
        },
        json=True,
    ),
    Row(
        "api:investment-project-status",
        API_CITY_WRITE,
        kwargs=slug_of("inv_public"),
        method="post",
        data=lambda w: {"status": "in_negotiation"},
        json=True,
    ),
    Row("api:investment-interest-list", signed_in(OK, anonymous=UNAUTHORIZED)),
    Row(
        "api:investment-interest-list",
        only([Role.INVESTOR], CREATED, anonymous=UNAUTHORIZED),
        method="post",
        data=api_interest_data,
        json=True,
    ),
    Row(
        "api:investment-interest-detail",
        city(OK, others=NOT_FOUND, anonymous=UNAUTHORIZED),
        kwargs=pk_of("inv_interest"),
    ),
    Row(
        "api:investment-interest-move",
        city(OK, others=NOT_FOUND, anonymous=UNAUTHORIZED),
        kwargs=pk_of("inv_interest"),
        method="post",
        data=lambda w: {"stage": "contacted"},
        json=True,
    ),
    Row(
        "api:investment-interest-confirm-terms",
        city(FORBIDDEN, others=NOT_FOUND, anonymous=UNAUTHORIZED),
        kwargs=pk_of("inv_interest"),
        method="post",
        json=True,
    ),
]

ROWS += [  # oc4ids
    Row("investments:open-data", everyone(OK)),
    Row("investments:oc4ids-export", everyone(OK)),
    Row("investments:portfolio-export", everyone(OK), kwargs=lambda w: {"fmt": "csv"}),
    Row("investments:publication-policy", everyone(OK)),
    Row("investments:oc4ids-import", city(OK)),
    Row(
        "investments:project-party-add",
        city(REDIRECT),
        kwargs=slug_of("inv_public"),
        method="post",
        data=lambda w: {"party": "no-such-party"},
    ),
    Row("investments:oc4ids-import-apply", city(NOT_FOUND), method="post"),
    Row("investments:rates", city(OK)),
    Row("investments:rates-apply", city(NOT_FOUND), method="post"),
    Row("investments:project-passport", everyone(OK), kwargs=slug_of("inv_public")),
    Row(
        "investments:project-passport",
        city(OK, others=NOT_FOUND, anonymous=NOT_FOUND),
        kwargs=slug_of("inv_draft"),
        note="draft",
    ),
    Row("investments:pitch-book", city(OK)),
    Row("investments:pitch-book-download", city(NOT_FOUND)),
    Row("api:investments-oc4ids", everyone(OK)),
]
