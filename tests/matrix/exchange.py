"""Permission-matrix rows of the `exchange` app (see tests/matrix/__init__.py).

`build` makes an open call of a partner abroad with a rubric, a draft call, and two
submissions of the world's organization (so the Role.EDITOR subject is their
submitter): a draft and a submitted one with a PDF attached.
"""

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from exchange.models import Attachment, Call, Criterion, Submission
from tests.exchange.factories import CallFactory, SubmissionFactory
from tests.factories import OrganizationFactory
from tests.matrix.base import (
    ANONYMOUS,
    CREATED,
    EDITOR_ELSEWHERE,
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


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build(world) -> None:
    organizer = OrganizationFactory(kind="foreign_partner", country="US")
    call = CallFactory(organizer=organizer, slug="matrix-call")
    Criterion.objects.create(call=call, name_uk="Вплив", name_en="Impact")
    draft_call = CallFactory(
        organizer=organizer, slug="matrix-draft-call", phase=Call.Phase.DRAFT
    )
    draft = SubmissionFactory(call=call, organization=world.organization)
    submitted = SubmissionFactory(
        call=call,
        organization=world.organization,
        status=Submission.Status.SUBMITTED,
        submitted_at=timezone.now(),
        version=1,
    )
    submitted.versions.create(number=1, content=submitted.snapshot())
    attachment = Attachment(submission=submitted, original_name="plan.pdf", size=1)
    attachment.file.save("plan.pdf", ContentFile(_pdf()), save=True)
    world.extra.update(
        ex_call=call,
        ex_draft_call=draft_call,
        ex_draft=draft,
        ex_submitted=submitted,
        ex_attachment=attachment,
    )


def call_slug(key):
    return lambda world: {"slug": world.extra[key].slug}


def sub_pk(key):
    return lambda world: {"pk": world.extra[key].pk}


def attachment_kwargs(world) -> dict:
    return {
        "pk": world.extra["ex_submitted"].pk,
        "attachment": world.extra["ex_attachment"].pk,
    }


def call_data(world) -> dict:
    return {
        "organizer": world.extra["ex_call"].organizer_id,
        "title_en": "Matrix call",
        "time_zone": "America/Denver",
        "opens_at": "2026-12-01T09:00",
        "closes_at": "2026-12-15T18:00",
        "reviews_per_submission": "3",
        "open_to_all_verified": "on",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }


def pdf_upload(world) -> dict:
    return {"file": SimpleUploadedFile("more.pdf", _pdf(), "application/pdf")}


def cells(default, **cells_by_role) -> dict:
    """`default` for every signed-in role, LOGIN for anonymous, then the cells."""
    expect = {**everyone(default), ANONYMOUS: LOGIN}
    for role, outcome in cells_by_role.items():
        expect[role] = outcome
    return expect


def _by(**kwargs) -> dict:
    """Role names as keyword arguments: editor, editor_elsewhere, staff, admin."""
    names = {
        "editor": Role.EDITOR,
        "editor_elsewhere": EDITOR_ELSEWHERE,
        "staff": Role.STAFF,
        "admin": Role.ADMIN,
    }
    return {names[k]: v for k, v in kwargs.items()}


# The submitter (Role.EDITOR) only; everyone else is told it does not exist.
SUBMITTER_ONLY = cells(NOT_FOUND, **_by(editor=OK))
# The submitter and staff read it.
SUBMITTER_AND_STAFF = cells(NOT_FOUND, **_by(editor=OK, staff=OK, admin=OK))
# The submitter acts; staff see it but may not act.
SUBMITTER_ACTS = cells(NOT_FOUND, **_by(editor=OK, staff=FORBIDDEN, admin=FORBIDDEN))
SUBMITTER_POSTS = cells(
    NOT_FOUND, **_by(editor=REDIRECT, staff=FORBIDDEN, admin=FORBIDDEN)
)
EDITORS_ANYWHERE = cells(FORBIDDEN, **_by(editor=OK, editor_elsewhere=OK))

ROWS: list[Row] = [
    Row("exchange:call-list", everyone(OK)),
    Row("exchange:call-create", only(STAFF, OK)),
    Row("exchange:call-create", only(STAFF, REDIRECT), method="post", data=call_data),
    Row("exchange:call-detail", everyone(OK), kwargs=call_slug("ex_call")),
    Row(
        "exchange:call-detail",
        only(STAFF, OK, others=NOT_FOUND, anonymous=NOT_FOUND),
        kwargs=call_slug("ex_draft_call"),
        note="draft",
    ),
    Row("exchange:call-edit", only(STAFF, OK), kwargs=call_slug("ex_call")),
    Row(
        "exchange:call-phase",
        signed_in(NOT_ALLOWED),
        kwargs=call_slug("ex_call"),
    ),
    Row(
        "exchange:call-phase",
        only(STAFF, REDIRECT),
        kwargs=call_slug("ex_call"),
        method="post",
        data=lambda w: {"phase": "review"},
    ),
    Row("exchange:call-submissions", only(STAFF, OK), kwargs=call_slug("ex_call")),
    Row(
        "exchange:submission-create",
        EDITORS_ANYWHERE,
        kwargs=call_slug("ex_call"),
    ),
    Row(
        "exchange:submission-create",
        cells(FORBIDDEN, **_by(editor=REDIRECT, editor_elsewhere=REDIRECT)),
        kwargs=call_slug("ex_call"),
        method="post",
        data=lambda w: {"title_uk": "Новий проєкт"},
    ),
    Row("exchange:my-submissions", signed_in(OK)),
    Row(
        "exchange:submission-detail",
        SUBMITTER_ONLY,
        kwargs=sub_pk("ex_draft"),
        note="draft",
    ),
    Row(
        "exchange:submission-detail",
        SUBMITTER_AND_STAFF,
        kwargs=sub_pk("ex_submitted"),
        note="submitted",
    ),
    Row("exchange:submission-edit", SUBMITTER_ONLY, kwargs=sub_pk("ex_draft")),
    Row(
        "exchange:submission-edit",
        SUBMITTER_ACTS,
        kwargs=sub_pk("ex_submitted"),
        note="submitted",
    ),
    Row("exchange:submission-submit", SUBMITTER_ONLY, kwargs=sub_pk("ex_draft")),
    Row(
        "exchange:submission-submit",
        cells(NOT_FOUND, **_by(editor=REDIRECT)),
        kwargs=sub_pk("ex_draft"),
        method="post",
    ),
    Row("exchange:submission-withdraw", SUBMITTER_ACTS, kwargs=sub_pk("ex_submitted")),
    Row(
        "exchange:submission-withdraw",
        SUBMITTER_POSTS,
        kwargs=sub_pk("ex_submitted"),
        method="post",
    ),
    Row(
        "exchange:submission-english",
        signed_in(NOT_ALLOWED),
        kwargs=sub_pk("ex_submitted"),
    ),
    Row(
        "exchange:submission-english",
        cells(NOT_FOUND, **_by(editor=FORBIDDEN, staff=REDIRECT, admin=REDIRECT)),
        kwargs=sub_pk("ex_submitted"),
        method="post",
        data=lambda w: {"needed": "1"},
    ),
    Row(
        "exchange:submission-translate",
        SUBMITTER_AND_STAFF,
        kwargs=lambda w: {"pk": w.extra["ex_submitted"].pk, "language": "en"},
    ),
    Row("exchange:submission-diff", SUBMITTER_AND_STAFF, kwargs=sub_pk("ex_submitted")),
    Row(
        "exchange:submission-messages",
        SUBMITTER_AND_STAFF,
        kwargs=sub_pk("ex_submitted"),
    ),
    Row(
        "exchange:submission-messages",
        cells(NOT_FOUND, **_by(editor=REDIRECT, staff=REDIRECT, admin=REDIRECT)),
        kwargs=sub_pk("ex_submitted"),
        method="post",
        data=lambda w: {"body": "A question"},
    ),
    Row(
        "exchange:attachment-upload",
        signed_in(NOT_ALLOWED),
        kwargs=sub_pk("ex_submitted"),
    ),
    Row(
        "exchange:attachment-upload",
        SUBMITTER_POSTS,
        kwargs=sub_pk("ex_submitted"),
        method="post",
        data=pdf_upload,
    ),
    Row("exchange:attachment-download", SUBMITTER_AND_STAFF, kwargs=attachment_kwargs),
    Row("exchange:attachment-delete", SUBMITTER_ACTS, kwargs=attachment_kwargs),
    Row(
        "exchange:attachment-delete",
        SUBMITTER_POSTS,
        kwargs=attachment_kwargs,
        method="post",
    ),
]


def api_cells(default, **cells_by_role) -> dict:
    """Like `cells`, with the API's 401 for anonymous."""
    return {**cells(default, **cells_by_role), ANONYMOUS: UNAUTHORIZED}


def api_call_data(world) -> dict:
    return {
        "organizer": world.extra["ex_call"].organizer.slug,
        "title_en": "Matrix API call",
        "opens_at": "2026-12-01T09:00:00Z",
        "closes_at": "2026-12-15T18:00:00Z",
    }


ROWS += [
    Row("api:exchange-call-list", everyone(OK)),
    Row(
        "api:exchange-call-list",
        api_cells(FORBIDDEN, **_by(staff=CREATED, admin=CREATED)),
        method="post",
        data=api_call_data,
        json=True,
    ),
    Row("api:exchange-call-detail", everyone(OK), kwargs=call_slug("ex_call")),
    Row(
        "api:exchange-call-detail",
        api_cells(FORBIDDEN, **_by(staff=OK, admin=OK)),
        kwargs=call_slug("ex_call"),
        method="patch",
        data=lambda w: {"title_en": "Renamed"},
        json=True,
    ),
    Row("api:exchange-submission-list", signed_in(OK, anonymous=UNAUTHORIZED)),
    Row(
        "api:exchange-submission-list",
        api_cells(FORBIDDEN, **_by(editor=CREATED, editor_elsewhere=CREATED)),
        method="post",
        data=lambda w: {"call": w.extra["ex_call"].slug, "title_uk": "API"},
        json=True,
        note="one-organization",
    ),
    Row(
        "api:exchange-submission-detail",
        api_cells(NOT_FOUND, **_by(editor=OK)),
        kwargs=sub_pk("ex_draft"),
        note="draft",
    ),
    Row(
        "api:exchange-submission-detail",
        api_cells(NOT_FOUND, **_by(editor=OK, staff=OK, admin=OK)),
        kwargs=sub_pk("ex_submitted"),
        note="submitted",
    ),
    Row(
        "api:exchange-submission-detail",
        api_cells(NOT_FOUND, **_by(editor=OK)),
        kwargs=sub_pk("ex_draft"),
        method="patch",
        data=lambda w: {"title_en": "Changed"},
        json=True,
    ),
    Row(
        "api:exchange-submission-submit",
        api_cells(NOT_FOUND, **_by(editor=OK)),
        kwargs=sub_pk("ex_draft"),
        method="post",
        json=True,
    ),
    Row(
        "api:exchange-submission-withdraw",
        api_cells(NOT_FOUND, **_by(editor=OK, staff=FORBIDDEN, admin=FORBIDDEN)),
        kwargs=sub_pk("ex_submitted"),
        method="post",
        json=True,
    ),
]
