"""Every stored file of every model, fetched as every subject by every URL that could
reach it: the /media/ path (with DEBUG off, as in production, and on, as in `make
run`) and the permission-checked view.

The file fields are discovered with `apps.get_models()`: a new FileField or ImageField
fails `test_every_file_field_has_a_scenario` until a scenario below says how to store a
file in it and exactly who may fetch it, and fails
`test_every_file_field_is_private_under_a_random_name` unless it is private (or listed
in PUBLIC_FIELDS) and named at random.
"""

import importlib
import os
from dataclasses import dataclass
from urllib.parse import quote, urlparse

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import models
from django.urls import clear_url_caches, reverse
from django.utils import timezone

from accounts.models import Role
from core.storage import private_storage
from directory.models import ImportBatch
from exchange.models import Attachment, Submission
from investments.models import InvestmentProject, ProjectDocument, ProjectPhoto
from tests.exchange.factories import CallFactory, SubmissionFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.investments.factories import ProjectFactory
from tests.reviews.factories import AssignmentFactory, CallReviewerFactory

OK, FORBIDDEN, NOT_FOUND, LOGIN = 200, 403, 404, "login"

ANONYMOUS = "anonymous"
MEMBER = "member"  # signed in, edits no organization
EDITOR = "editor"  # edits the organization the file belongs to
EDITOR_ELSEWHERE = "editor-elsewhere"  # edits another organization
SUBJECTS = (
    ANONYMOUS,
    MEMBER,
    EDITOR,
    EDITOR_ELSEWHERE,
    Role.INVESTOR,
    Role.REVIEWER,  # assigned to the submission whose attachment is fetched
    Role.CITY_OFFICER,
    Role.STAFF,
    Role.ADMIN,
)
CITY = (Role.CITY_OFFICER, Role.STAFF, Role.ADMIN)
STAFF = (Role.STAFF, Role.ADMIN)

# Files meant for everyone, kept in public media (served by the proxy).
PUBLIC_FIELDS = {"directory.Organization.logo"}

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010804000000b51c0c02"
    "0000000b4944415478da6364600000000600023081d02f0000000049454e44ae426082"
)
CSV = "name_uk,name_en,kind\nКомпанія,Company,it_company\n".encode()


def everyone(outcome) -> dict:
    return dict.fromkeys(SUBJECTS, outcome)


def only(subjects, outcome, *, others, anonymous) -> dict:
    return {
        **everyone(others),
        ANONYMOUS: anonymous,
        **dict.fromkeys(subjects, outcome),
    }


def discovered_file_fields() -> list[str]:
    return sorted(
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    )


@dataclass
class World:
    organization: object  # the organization the files belong to
    users: dict  # subject -> user (None for anonymous)


def build_world() -> World:
    organization = OrganizationFactory()
    elsewhere = OrganizationFactory()
    users = {ANONYMOUS: None, MEMBER: UserFactory(role=Role.EDITOR)}
    users[EDITOR] = UserFactory(role=Role.EDITOR)
    MembershipFactory(user=users[EDITOR], organization=organization)
    users[EDITOR_ELSEWHERE] = UserFactory(role=Role.EDITOR)
    MembershipFactory(user=users[EDITOR_ELSEWHERE], organization=elsewhere)
    for role in (Role.INVESTOR, Role.REVIEWER, *CITY):
        users[role] = UserFactory(role=role)
    return World(organization=organization, users=users)


@dataclass
class Stored:
    """One stored file, where its view serves it, who may fetch it there, and the
    name a download carries (None: not checked)."""

    field_file: object
    given: str  # the name the file was uploaded under
    content: bytes
    view_url: str | None
    expect: dict
    filename: str | None = None


def logo(world) -> Stored:
    world.organization.logo.save("Our logo.png", ContentFile(PNG), save=True)
    # Public media: no view; the organization pages link to /media/ directly.
    return Stored(world.organization.logo, "Our logo.png", PNG, None, {})


def import_file(world) -> Stored:
    batch = ImportBatch(original_name="partners.csv", created_by=world.users["staff"])
    batch.file.save("partners.csv", ContentFile(CSV), save=True)
    url = reverse("directory:import-file", kwargs={"pk": batch.pk})
    expect = only(STAFF, OK, others=FORBIDDEN, anonymous=LOGIN)
    return Stored(batch.file, "partners.csv", CSV, url, expect, "partners.csv")


def attachment(world) -> Stored:
    call = CallFactory()
    submission = SubmissionFactory(
        call=call,
        organization=world.organization,
        status=Submission.Status.SUBMITTED,
        submitted_at=timezone.now(),
        version=1,
    )
    AssignmentFactory(
        submission=submission,
        call_reviewer=CallReviewerFactory(call=call, user=world.users["reviewer"]),
        no_conflict_confirmed_at=timezone.now(),
    )
    item = Attachment(submission=submission, original_name="business plan.pdf")
    item.file.save("business plan.pdf", ContentFile(b"%PDF-1.4 plan"), save=True)
    url = reverse(
        "exchange:attachment-download",
        kwargs={"pk": submission.pk, "attachment": item.pk},
    )
    expect = only(
        (EDITOR, Role.REVIEWER, *STAFF), OK, others=NOT_FOUND, anonymous=LOGIN
    )
    given = "business plan.pdf"
    return Stored(item.file, given, b"%PDF-1.4 plan", url, expect, given)


def document(access: str, status: str):
    def make(world) -> Stored:
        project = ProjectFactory(status=status)
        item = ProjectDocument(
            project=project,
            title_uk="Техніко-економічне обґрунтування",
            document_type="feasibility",
            access=access,
            original_name="feasibility study.pdf",
        )
        item.file.save("feasibility study.pdf", ContentFile(b"%PDF-1.4 fs"), save=True)
        url = reverse("investments:document-download", kwargs={"pk": item.pk})
        public = (
            access == ProjectDocument.Access.OPEN
            and status in InvestmentProject.PUBLIC_STATUSES
        )
        expect = (
            everyone(OK)
            if public
            else only(CITY, OK, others=NOT_FOUND, anonymous=NOT_FOUND)
        )
        given = "feasibility study.pdf"
        return Stored(item.file, given, b"%PDF-1.4 fs", url, expect, given)

    return make


def photo(status: str):
    def make(world) -> Stored:
        project = ProjectFactory(status=status)
        item = ProjectPhoto(project=project, caption_en="The site")
        item.image.save("IMG_0042 site.png", ContentFile(PNG), save=True)
        url = reverse("investments:photo", kwargs={"pk": item.pk})
        expect = (
            everyone(OK)
            if status in InvestmentProject.PUBLIC_STATUSES
            else only(CITY, OK, others=NOT_FOUND, anonymous=NOT_FOUND)
        )
        return Stored(item.image, "IMG_0042 site.png", PNG, url, expect)

    return make


Status, Access = InvestmentProject.Status, ProjectDocument.Access
SCENARIOS = {
    "directory.Organization.logo": {"public": logo},
    "directory.ImportBatch.file": {"upload": import_file},
    "exchange.Attachment.file": {"submitted": attachment},
    "investments.ProjectDocument.file": {
        "open-published": document(Access.OPEN, Status.PUBLISHED),
        "limited-published": document(Access.LIMITED, Status.PUBLISHED),
        "restricted-published": document(Access.RESTRICTED, Status.PUBLISHED),
        "open-draft": document(Access.OPEN, Status.DRAFT),
    },
    "investments.ProjectPhoto.image": {
        "published": photo(Status.PUBLISHED),
        "draft": photo(Status.DRAFT),
    },
}
CASES = [
    (field, variant)
    for field in discovered_file_fields()
    for variant in SCENARIOS.get(field, {"(none)": None})
]


def outcome_of(response):
    if response.status_code in (301, 302, 303):
        path = urlparse(response["Location"]).path
        return LOGIN if path.rstrip("/").endswith("/accounts/login") else "redirect"
    return response.status_code


def fetch(client, user, url):
    """GET `url` as `user`, and the body of a file response."""
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    # Reading a file response to its end closes it (the client's wrapper does,
    # without response.close()'s request_finished, which would end the test's
    # database connection on PostgreSQL).
    body = b"".join(response.streaming_content) if response.streaming else b""
    return response, body


def media_url(name: str) -> str:
    return "/media/" + quote(name)


def is_under(path, folder) -> bool:
    path, folder = os.path.abspath(path), os.path.abspath(str(folder))
    return os.path.commonpath([path, folder]) == folder


@pytest.fixture
def urls_as(settings):
    """Rebuild config.urls as a deployment with `debug` and `tasks_mode` builds it
    (it reads both, and MEDIA_ROOT, at import); restored afterwards."""
    import config.urls

    saved = settings.DEBUG, settings.TASKS_MODE

    def build(*, debug: bool, tasks_mode: str) -> None:
        settings.DEBUG, settings.TASKS_MODE = debug, tasks_mode
        importlib.reload(config.urls)
        clear_url_caches()

    yield build
    settings.DEBUG, settings.TASKS_MODE = saved
    importlib.reload(config.urls)
    clear_url_caches()


def test_every_file_field_has_a_scenario():
    missing = set(discovered_file_fields()) - set(SCENARIOS)
    stale = set(SCENARIOS) - set(discovered_file_fields())

    assert missing == set(), "say who may fetch the files of these fields"
    assert stale == set()


@pytest.mark.parametrize("label", discovered_file_fields())
def test_every_file_field_is_private_under_a_random_name(label):
    app_label, model_name, name = label.split(".")
    model = apps.get_model(app_label, model_name)
    field = model._meta.get_field(name)

    names = [field.generate_filename(model(), "Secret plan.pdf") for _ in range(2)]

    if label in PUBLIC_FIELDS:
        assert field.storage is not private_storage()
    else:
        assert field.storage is private_storage()
    assert names[0] != names[1]
    assert not any("Secret" in name or "plan" in name for name in names)


@pytest.mark.parametrize(("label", "variant"), CASES)
def test_stored_file_reaches_exactly_who_may_see_it(
    client, db, settings, urls_as, label, variant
):
    if SCENARIOS.get(label, {}).get(variant) is None:
        pytest.fail(f"{label} has no scenario: add one to SCENARIOS")
    # Production without Celery: Django used to serve /media/ itself there.
    urls_as(debug=False, tasks_mode="thread")
    world = build_world()
    stored = SCENARIOS[label][variant](world)
    name = stored.field_file.name
    path = stored.field_file.path

    outcomes = {}
    for subject, user in world.users.items():
        response, body = fetch(client, user, media_url(name))
        outcomes[subject, "media"] = outcome_of(response)
        if stored.view_url:
            response, body = fetch(client, user, stored.view_url)
            outcomes[subject, "view"] = outcome_of(response)
            if response.status_code == OK:
                assert body == stored.content
                assert response["X-Content-Type-Options"] == "nosniff"
                assert response["Cache-Control"].startswith("private")
                if stored.filename:
                    disposition = response["Content-Disposition"]
                    assert f'filename="{stored.filename}"' in disposition

    expected = {(subject, "media"): NOT_FOUND for subject in SUBJECTS}
    expected.update({(s, "view"): o for s, o in stored.expect.items()})
    assert outcomes == expected
    assert stored.field_file.storage.exists(name)
    assert os.path.splitext(stored.given)[0] not in name
    if label in PUBLIC_FIELDS:
        assert is_under(path, settings.MEDIA_ROOT)
    else:
        assert not is_under(path, settings.MEDIA_ROOT)
        assert is_under(path, settings.PRIVATE_MEDIA_ROOT)


@pytest.mark.parametrize(("label", "variant"), CASES)
def test_debug_media_serves_public_files_only(client, db, urls_as, label, variant):
    if SCENARIOS.get(label, {}).get(variant) is None:
        pytest.fail(f"{label} has no scenario: add one to SCENARIOS")
    urls_as(debug=True, tasks_mode="thread")  # `make run`
    world = build_world()
    stored = SCENARIOS[label][variant](world)

    outcomes = {
        subject: outcome_of(fetch(client, user, media_url(stored.field_file.name))[0])
        for subject, user in world.users.items()
    }

    public = label in PUBLIC_FIELDS
    assert outcomes == everyone(OK if public else NOT_FOUND)
    if public:
        _, body = fetch(client, None, media_url(stored.field_file.name))
        assert body == stored.content


def admin_change_urls(instance) -> list[str]:
    """The admin pages that show `instance`'s file: its own change page, and its
    parents' pages that show it in an inline."""
    urls = []
    registry = admin.site._registry
    if type(instance) in registry:
        urls.append(admin_change_url(instance))
    for field in instance._meta.get_fields():
        if not (field.many_to_one and field.related_model in registry):
            continue
        parent_admin = registry[field.related_model]
        if any(inline.model is type(instance) for inline in parent_admin.inlines):
            urls.append(admin_change_url(getattr(instance, field.name)))
    return urls


def admin_change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


# Organization's admin form has a URLField: Django 5.2 warns about its default scheme.
@pytest.mark.filterwarnings("ignore::django.utils.deprecation.RemovedInDjango60Warning")
@pytest.mark.parametrize(("label", "variant"), CASES)
def test_admin_pages_show_stored_files_without_exposing_them(
    client, db, label, variant
):
    if SCENARIOS.get(label, {}).get(variant) is None:
        pytest.fail(f"{label} has no scenario: add one to SCENARIOS")
    stored = SCENARIOS[label][variant](build_world())
    superuser = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(superuser)
    urls = admin_change_urls(stored.field_file.instance)

    pages = {url: client.get(url) for url in urls}

    assert urls, "the admin shows this model's rows somewhere"
    assert {url: page.status_code for url, page in pages.items()} == dict.fromkeys(
        urls, OK
    )
    for page in pages.values():
        linked = media_url(stored.field_file.name) in page.content.decode()
        assert linked is (label in PUBLIC_FIELDS)


@pytest.mark.parametrize("tasks_mode", ["thread", "eager", "celery"])
def test_production_urls_never_serve_media_whatever_runs_the_tasks(
    client, db, urls_as, tasks_mode
):
    urls_as(debug=False, tasks_mode=tasks_mode)
    organization = OrganizationFactory()
    organization.logo.save("logo.png", ContentFile(PNG), save=True)

    response, body = fetch(client, None, media_url(organization.logo.name))

    assert (response.status_code, body) == (NOT_FOUND, b"")
