"""`manage.py backup` and `restore`: a populated site round-trips with nothing lost;
a damaged or altered archive is refused before anything changes."""

import contextlib
import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from accounts.models import Membership, Role
from core import audit
from core.models import AuditEntry
from directory.models import ImportBatch, Organization
from exchange.models import Attachment
from investments.models import ProjectPhoto
from tests.events.factories import RegistrationFactory
from tests.exchange.factories import SubmissionFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.investments.factories import DocumentFactory, InterestFactory, ProjectFactory
from tests.matching.factories import NeedOfferFactory
from tests.reviews.factories import ReviewFactory

# Backups read committed data only (pg_dump is another process; SQLite's backup API
# waits for the test's own open transaction forever): every test commits.
pytestmark = pytest.mark.django_db(transaction=True)


def png(color: str) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), color).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=f"{color}.png")


def populate() -> None:
    """A small site with rows in every app and files in both media folders."""
    admin = UserFactory(role=Role.ADMIN, email="admin@example.org", is_staff=True)
    for index, color in enumerate(("red", "green", "blue")):
        organization = OrganizationFactory(name_uk=f"Ґудзик і Їжак {index}")
        organization.logo.save(f"logo-{index}.png", png(color))
        MembershipFactory(organization=organization)
        audit.record("organization.created", organization, actor=admin, n=index)
    ImportBatch.objects.create(
        file=ContentFile("назва;ЄДРПОУ\nТест;12345678\n".encode(), name="import.csv"),
        original_name="Імпорт.csv",
        created_by=admin,
        report=[{"phase": "uploaded"}],
    )
    for index in range(2):
        submission = SubmissionFactory()
        Attachment.objects.create(
            submission=submission,
            file=ContentFile(b"%PDF-1.4 " + bytes([index]) * 100, name="a.pdf"),
            original_name=f"План {index}.pdf",
            size=109,
            uploaded_by=admin,
        )
        audit.record("submission.created", submission, actor=admin)
    ReviewFactory()
    project = ProjectFactory()
    DocumentFactory(project=project)
    ProjectPhoto.objects.create(project=project, image=png("white"), caption_uk="Фото")
    InterestFactory(project=project)
    RegistrationFactory()
    NeedOfferFactory()


def fingerprint(alias: str = "default") -> dict:
    """Row count and a hash of every row of every model in the database `alias`."""
    result = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        rows = list(model._base_manager.using(alias).order_by("pk").values_list())
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        result[model._meta.label] = (len(rows), digest)
    return result


def file_hashes(*roots: Path) -> dict:
    """Relative path → SHA-256 of every file under each root."""
    result = {}
    for root in roots:
        for path in sorted(Path(root).rglob("*")):
            if path.is_file():
                key = f"{Path(root).name}/{path.relative_to(root)}"
                result[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


@pytest.fixture
def site(settings, tmp_path):
    """A populated site with its media under tmp_path; returns the two roots."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    populate()
    return settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT


@contextlib.contextmanager
def fresh_database_for(tmp_path):
    """`default` points at a new, empty database of the same kind while the test runs.

    (The test database's own connection is put aside, not closed: SQLite's in-memory
    test database would vanish with it.)
    """
    settings_dict = connection.settings_dict
    saved_name, saved_connection = settings_dict["NAME"], connection.connection
    if connection.vendor == "postgresql":
        name = f"{saved_name}_restore"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    else:
        name = str(tmp_path / "restored.sqlite3")
    connection.connection = None
    settings_dict["NAME"] = name
    try:
        yield name
    finally:
        connection.close()
        settings_dict["NAME"] = saved_name
        connection.connection = saved_connection
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_backup_writes_one_private_archive_with_a_manifest(site, tmp_path):
    archive = tmp_path / "site.tar.gz"

    call_command("backup", str(archive), stdout=io.StringIO())

    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    files = file_hashes(*site)
    assert set(manifest["members"]) == {manifest["database"]["file"], *files}
    assert manifest["database"]["vendor"] == connection.vendor
    for name, digest in files.items():
        assert manifest["members"][name]["sha256"] == digest
    assert sorted(names) == sorted([*manifest["members"], "manifest.json"])
    # Public media holds the three logos; the import file, two attachments, the
    # document and the photo are private.
    assert len([n for n in names if n.startswith("media/")]) == 3
    assert len([n for n in names if n.startswith("private/")]) == 5


def test_restore_into_the_same_database_brings_everything_back(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    rows, files = fingerprint(), file_hashes(*site)
    assert sum(count for count, _ in rows.values()) > 50
    call_command("backup", str(archive), stdout=io.StringIO())
    # Everything changes after the backup: rows gone, rows added, files gone and added.
    AuditEntry.objects.all().delete()
    Membership.objects.all().delete()
    Organization.objects.update(description_uk="Змінено")
    OrganizationFactory(name_uk="Нова після резервної копії")
    shutil.rmtree(site[0] / "logos")
    (site[1] / "stray.pdf").write_bytes(b"not in the backup")

    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)

    assert fingerprint() == rows
    assert file_hashes(*site) == files
    assert "every checksum matches" in out.getvalue()
    # The restored database is one the site works with: sequences continue.
    newest = OrganizationFactory()
    assert newest.pk > max(
        Organization.objects.exclude(pk=newest.pk).values_list("pk", flat=True)
    )


def test_restore_into_an_empty_database_and_empty_folders(site, tmp_path, settings):
    archive = tmp_path / "site.tar.gz"
    rows, files = fingerprint(), file_hashes(*site)
    call_command("backup", str(archive), stdout=io.StringIO())
    settings.MEDIA_ROOT = tmp_path / "new" / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "new" / "private"

    with fresh_database_for(tmp_path) as name:
        assert connection.introspection.table_names() == []
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())
        restored = fingerprint()
        assert connection.settings_dict["NAME"] == name

    assert restored == rows
    assert file_hashes(settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT) == files


def rewrite_archive(source: Path, target: Path, change) -> None:
    """Copy the archive member by member, letting `change(name, data)` alter it."""
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            for name, content in change(member.name, data):
                info = tarfile.TarInfo(name)
                info.size = len(content)
                new.addfile(info, io.BytesIO(content))


@pytest.fixture
def backed_up(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    return archive


def assert_nothing_restored(site, rows, files):
    assert fingerprint() == rows
    assert file_hashes(*site) == files


def tampered_member(name, data):
    if name.startswith("private/exchange/"):
        data = data.replace(b"%PDF", b"%PDX")
    yield name, data


def dropped_member(name, data):
    if not name.startswith("media/logos/"):
        yield name, data


def extra_member(name, data):
    yield name, data
    if name == "manifest.json":
        yield "media/logos/extra.png", b"smuggled"


def escaping_member(name, data):
    yield name, data
    if name == "manifest.json":
        yield "../../etc/evil", b"escape"


def foreign_vendor(name, data):
    if name == "manifest.json":
        manifest = json.loads(data)
        other = (
            "sqlite" if manifest["database"]["vendor"] == "postgresql" else "postgresql"
        )
        manifest["database"]["vendor"] = other
        data = json.dumps(manifest).encode()
    yield name, data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (tampered_member, "checksum mismatch: private/exchange/"),
        (dropped_member, "missing: media/logos/"),
        (extra_member, "not in the manifest: media/logos/extra.png"),
        (escaping_member, "unexpected member '../../etc/evil'"),
        (foreign_vendor, "names no database dump"),
    ],
)
def test_restore_refuses_an_altered_archive_and_changes_nothing(
    site, backed_up, tmp_path, change, message
):
    altered = tmp_path / "altered.tar.gz"
    rewrite_archive(backed_up, altered, change)
    OrganizationFactory(name_uk="Після копії")
    rows, files = fingerprint(), file_hashes(*site)

    with pytest.raises(CommandError, match="Nothing was changed") as error:
        call_command("restore", str(altered), "--yes", stdout=io.StringIO())

    assert message in str(error.value)
    assert_nothing_restored(site, rows, files)
    assert not (tmp_path.parent / "etc").exists()


def test_restore_refuses_a_truncated_archive(site, backed_up, tmp_path):
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(backed_up.read_bytes()[: backed_up.stat().st_size // 2])
    rows, files = fingerprint(), file_hashes(*site)

    with pytest.raises(CommandError, match="cannot be read"):
        call_command("restore", str(truncated), "--yes", stdout=io.StringIO())

    assert_nothing_restored(site, rows, files)


def test_restore_refuses_an_archive_of_another_database_kind(site, tmp_path):
    archive = tmp_path / "other.tar.gz"
    vendor = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    dump = {"postgresql": "database/mist.pgdump", "sqlite": "database/mist.sqlite3"}
    content = b"dump"
    manifest = {
        "format": "mist-backup",
        "version": 1,
        "created": "2026-01-01T00:00:00+00:00",
        "database": {"vendor": vendor, "file": dump[vendor]},
        "members": {
            dump[vendor]: {
                "sha256": hashlib.sha256(content).hexdigest(),
                "size": len(content),
            }
        },
    }
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in (
            (dump[vendor], content),
            ("manifest.json", json.dumps(manifest).encode()),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    rows, files = fingerprint(), file_hashes(*site)

    with pytest.raises(CommandError, match=f"holds a {vendor} database"):
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())

    assert_nothing_restored(site, rows, files)


def test_restore_without_yes_needs_a_terminal(site, backed_up, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    OrganizationFactory(name_uk="Після копії")
    rows, files = fingerprint(), file_hashes(*site)

    with pytest.raises(CommandError, match="pass --yes"):
        call_command("restore", str(backed_up), stdout=io.StringIO())

    assert_nothing_restored(site, rows, files)


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize(("answer", "restored"), [("no\n", False), ("yes\n", True)])
def test_restore_asks_at_a_terminal(site, backed_up, monkeypatch, answer, restored):
    rows_at_backup = fingerprint()
    OrganizationFactory(name_uk="Після копії")
    rows = fingerprint()
    monkeypatch.setattr("sys.stdin", Terminal(answer))

    if restored:
        call_command("restore", str(backed_up), stdout=io.StringIO())
        assert fingerprint() == rows_at_backup
    else:
        with pytest.raises(CommandError, match="cancelled"):
            call_command("restore", str(backed_up), stdout=io.StringIO())
        assert fingerprint() == rows


def test_restore_names_a_missing_archive(db, tmp_path):
    with pytest.raises(CommandError, match="No archive at"):
        call_command("restore", str(tmp_path / "none.tar.gz"), "--yes")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs pg_dump")
def test_backup_without_pg_dump_says_so_and_leaves_no_file(site, tmp_path, monkeypatch):
    (tmp_path / "out").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))

    with pytest.raises(CommandError, match="pg_dump is not on PATH"):
        call_command("backup", str(tmp_path / "out" / "site.tar.gz"))

    assert list((tmp_path / "out").iterdir()) == []
