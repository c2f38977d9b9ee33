"""core.storage: random names, file responses, the overlap check, and the move of
files that older versions kept in public media (the data migrations' function)."""

import os
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from core import storage
from directory.models import ImportBatch
from investments.models import ProjectDocument, ProjectPhoto
from tests.investments.factories import ProjectFactory

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010804000000b51c0c02"
    "0000000b4944415478da6364600000000600023081d02f0000000049454e44ae426082"
)


def schema_editor():
    """What a RunPython function reads of its schema editor: the connection."""
    return SimpleNamespace(connection=connection)


def read(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def legacy_import(name: str, content: bytes | None) -> ImportBatch:
    """An import batch as older versions stored it: in public media, under the
    name it was uploaded with (no file at all when `content` is None)."""
    if content is not None:
        assert default_storage.save(name, ContentFile(content)) == name
    return ImportBatch.objects.create(file=name, original_name=os.path.basename(name))


def test_random_name_keeps_only_a_plain_extension(settings):
    names = [
        storage.random_name("imports", "Партнери 2026.XLSX"),
        storage.random_name("imports", "notes"),
        storage.random_name("imports", "x.tar.g z"),
    ]

    assert [os.path.splitext(name)[1] for name in names] == [".xlsx", "", ""]
    assert all(storage.is_random_name(name) for name in names)
    assert all(name.startswith("imports/") for name in names)
    assert len(set(names)) == 3


def test_random_name_is_deconstructed_for_migrations():
    path, args, kwargs = storage.RandomName("logos").deconstruct()

    assert (path, args, kwargs) == ("core.storage.RandomName", ("logos",), {})
    assert storage.RandomName("logos") == storage.RandomName("logos/")


def test_private_storage_overlapping_media_is_an_error(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"

    errors = storage.check_private_outside_media()

    assert [error.id for error in errors] == ["mist.E001"]


def test_private_storage_beside_media_passes_the_check(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media-private"

    assert storage.check_private_outside_media() == []


@pytest.mark.django_db
def test_file_response_shows_only_raster_images_inline():
    project = ProjectFactory()
    photo = ProjectPhoto(project=project)
    photo.image.save("a.png", ContentFile(PNG), save=True)
    document = ProjectDocument(project=project, title_uk="Сторінка", access="open")
    document.file.save("page.html", ContentFile(b"<script>alert(1)</script>"))

    image = storage.file_response(photo.image, filename="a.png", as_attachment=False)
    page = storage.file_response(
        document.file, filename="page.html", as_attachment=False
    )
    image.file_to_stream.close()
    page.file_to_stream.close()

    assert image["Content-Disposition"] == 'inline; filename="a.png"'
    assert page["Content-Disposition"] == 'attachment; filename="page.html"'
    assert page["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_move_files_moves_public_files_to_private_storage_under_random_names(
    settings, django_capture_on_commit_callbacks
):
    batch = legacy_import("imports/partners.csv", b"name_uk\n")

    with django_capture_on_commit_callbacks(execute=True):
        counts = storage.move_files(ImportBatch.objects.all(), "file", "imports")

    batch.refresh_from_db()
    assert counts == {"moved": 1, "missing": 0, "skipped": 0}
    assert storage.is_random_name(batch.file.name)
    assert batch.file.name.startswith("imports/")
    assert batch.file.name.endswith(".csv")
    assert batch.file.storage is storage.private_storage()
    assert read(batch.file) == b"name_uk\n"
    assert batch.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not default_storage.exists("imports/partners.csv")
    assert batch.original_name == "partners.csv"


@pytest.mark.django_db
def test_move_files_keeps_the_old_file_until_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    legacy_import("imports/partners.csv", b"name_uk\n")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        storage.move_files(ImportBatch.objects.all(), "file", "imports")

    assert default_storage.exists("imports/partners.csv")
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_move_files_tolerates_missing_files_and_runs_again(
    django_capture_on_commit_callbacks,
):
    gone = legacy_import("imports/gone.csv", None)
    present = legacy_import("imports/here.csv", b"a\n")

    with django_capture_on_commit_callbacks(execute=True):
        first = storage.move_files(ImportBatch.objects.all(), "file", "imports")
        second = storage.move_files(ImportBatch.objects.all(), "file", "imports")

    gone.refresh_from_db()
    present.refresh_from_db()
    assert first == {"moved": 1, "missing": 1, "skipped": 0}
    assert second == {"moved": 0, "missing": 1, "skipped": 1}
    assert gone.file.name == "imports/gone.csv"
    assert read(present.file) == b"a\n"


@pytest.mark.django_db
def test_directory_migration_moves_import_files(django_capture_on_commit_callbacks):
    migration = import_module("directory.migrations.0007_private_import_files")
    batch = legacy_import("imports/Партнери.xlsx", b"PK\x03\x04")

    with django_capture_on_commit_callbacks(execute=True):
        migration.move_import_files(apps, schema_editor())

    batch.refresh_from_db()
    assert storage.private_storage().exists(batch.file.name)
    assert batch.file.name.endswith(".xlsx")
    assert "Партнери" not in batch.file.name
    assert not default_storage.exists("imports/Партнери.xlsx")
    assert batch.original_name == "Партнери.xlsx"


@pytest.mark.django_db
def test_investments_migration_moves_photos_and_renames_documents(
    settings, django_capture_on_commit_callbacks
):
    migration = import_module("investments.migrations.0002_private_photos")
    project = ProjectFactory()
    default_storage.save("investments/photos/2026/11/draft site.png", ContentFile(PNG))
    photo = ProjectPhoto.objects.create(
        project=project, image="investments/photos/2026/11/draft site.png"
    )
    missing = ProjectPhoto.objects.create(
        project=project, image="investments/photos/2026/11/lost.png"
    )
    private = storage.private_storage()
    private.save("investments/documents/2026/11/budget.pdf", ContentFile(b"%PDF"))
    document = ProjectDocument.objects.create(
        project=project,
        title_uk="Кошторис",
        file="investments/documents/2026/11/budget.pdf",
        original_name="",
        access="open",
    )

    with django_capture_on_commit_callbacks(execute=True):
        migration.move_files(apps, schema_editor())

    photo.refresh_from_db()
    missing.refresh_from_db()
    document.refresh_from_db()
    assert read(photo.image) == PNG
    assert storage.is_random_name(photo.image.name)
    assert photo.image.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not default_storage.exists("investments/photos/2026/11/draft site.png")
    assert missing.image.name == "investments/photos/2026/11/lost.png"
    assert storage.is_random_name(document.file.name)
    assert read(document.file) == b"%PDF"
    assert document.original_name == "budget.pdf"
    assert not private.exists("investments/documents/2026/11/budget.pdf")
