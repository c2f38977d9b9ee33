"""Backing up and restoring a whole site: the database and both media folders.

One archive (`.tar.gz`) holds

- `database/mist.pgdump` (PostgreSQL: `pg_dump --format=custom`) or
  `database/mist.sqlite3` (SQLite: a copy made with SQLite's online backup API);
- `media/…` — every file under MEDIA_ROOT, `private/…` — under PRIVATE_MEDIA_ROOT;
- `manifest.json` — the format, the database vendor, and the SHA-256 and size of every
  other member.

The database goes in its own native format rather than a portable `dumpdata` JSON:
only the database itself copies everything faithfully — sequences, the PostgreSQL
search column, index and function and the SQLite FTS5 tables and triggers that
migrations create with raw SQL, `django_migrations` itself — in one consistent
snapshot, while the site keeps running, at a speed and memory use that do not grow
with the ORM. The price is that an archive restores into the same kind of database it
came from (a PostgreSQL backup into PostgreSQL, SQLite into SQLite).

Restoring verifies every member against the manifest before it changes anything,
then replaces the database in one transaction and the media folders' contents.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.utils import timezone

from core.pagecache import bump_version

FORMAT = "mist-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {
    "postgresql": "database/mist.pgdump",
    "sqlite": "database/mist.sqlite3",
}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass
class Summary:
    """What an archive holds: its manifest's figures."""

    created: str
    vendor: str
    files: int
    size: int


def media_roots() -> dict[str, Path]:
    """Archive prefix → folder of the site's files."""
    return {
        "media": Path(settings.MEDIA_ROOT),
        "private": Path(settings.PRIVATE_MEDIA_ROOT),
    }


class _HashingReader:
    """A file wrapper that hashes what is read through it (what goes into the tar)."""

    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.sha256 = hashlib.sha256()

    def read(self, size=-1):
        data = self.fileobj.read(size)
        self.sha256.update(data)
        return data


def _postgres_env(settings_dict: dict) -> dict:
    """libpq's variables for a connection's settings (keeps the password off argv)."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = options["sslmode"]
    return env


def _require_program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not on PATH: install the PostgreSQL client of the server's "
            "major version (Debian: apt-get install postgresql-client)."
        )
    return path


def _run(command: list[str], *, env: dict, what: str) -> None:
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.stdout}")


def _dump_database(alias: str, target: Path) -> str:
    """Write the database behind `alias` to `target`; return its vendor."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        _run(
            [
                _require_program("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
            ],
            env=_postgres_env(connection.settings_dict),
            what="pg_dump",
        )
    elif connection.vendor == "sqlite":
        if connection.in_atomic_block:
            # SQLite's backup would wait for this very transaction to end: forever.
            raise BackupError("A backup cannot run inside a database transaction.")
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        raise BackupError(
            f"Backing up a {connection.vendor} database is not supported."
        )
    return connection.vendor


def _files_under(root: Path):
    """Every regular file under `root`, sorted; symbolic links are not followed."""
    if not root.is_dir():
        return
    for directory, subdirectories, files in os.walk(root):
        subdirectories.sort()
        for name in sorted(files):
            path = Path(directory, name)
            if path.is_file() and not path.is_symlink():
                yield path


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> dict:
    info = archive.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as handle:
        reader = _HashingReader(handle)
        archive.addfile(info, reader)
    return {"sha256": reader.sha256.hexdigest(), "size": info.size}


def create_backup(output: Path, *, database: str = "default") -> Summary:
    """Write the database and both media folders to the archive `output`."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    members: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="mist-backup-") as staging:
        dump = Path(staging, "database")
        vendor = _dump_database(database, dump)
        partial = output.with_name(f".{output.name}.partial")
        # The archive holds everyone's private data: readable by its owner only.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with (
                os.fdopen(descriptor, "wb") as raw,
                tarfile.open(fileobj=raw, mode="w:gz") as archive,
            ):
                members[DATABASE_FILES[vendor]] = _add_file(
                    archive, dump, DATABASE_FILES[vendor]
                )
                for prefix, root in media_roots().items():
                    for path in _files_under(root):
                        name = f"{prefix}/{path.relative_to(root).as_posix()}"
                        members[name] = _add_file(archive, path, name)
                manifest = {
                    "format": FORMAT,
                    "version": VERSION,
                    "created": timezone.now().isoformat(),
                    "database": {"vendor": vendor, "file": DATABASE_FILES[vendor]},
                    "members": members,
                }
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(timezone.now().timestamp())
                info.mode = 0o600
                archive.addfile(info, io.BytesIO(data))
            partial.replace(output)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return Summary(
        created=manifest["created"],
        vendor=vendor,
        files=len(members) - 1,
        size=output.stat().st_size,
    )


def _safe_member_name(name: str) -> str | None:
    """The member's normalised name when it may be restored, else None."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    normal = path.as_posix()
    if normal == MANIFEST or normal in DATABASE_FILES.values():
        return normal
    if path.parts[0] in ("media", "private") and len(path.parts) > 1:
        return normal
    return None


def unpack_and_verify(archive_path: Path, staging: Path) -> dict:
    """Unpack `archive_path` into `staging` and check every member against the
    manifest; return the manifest. Raise BackupError on any difference."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"No archive at {archive_path}.")
    seen: dict[str, dict] = {}
    manifest_bytes = None
    try:
        with tarfile.open(archive_path, mode="r:gz") as archive:
            for member in archive:
                if member.isdir():
                    continue
                name = _safe_member_name(member.name)
                if name is None or not member.isfile():
                    raise BackupError(
                        f"The archive holds an unexpected member {member.name!r}: "
                        "it was not made by `manage.py backup` or was altered."
                    )
                if name in seen or (name == MANIFEST and manifest_bytes is not None):
                    raise BackupError(f"The archive holds {name!r} twice.")
                source = archive.extractfile(member)
                if name == MANIFEST:
                    manifest_bytes = source.read()
                    continue
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                with target.open("wb") as handle:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        handle.write(chunk)
                seen[name] = {"sha256": digest.hexdigest(), "size": size}
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"The archive cannot be read ({error}).") from error
    if manifest_bytes is None:
        raise BackupError("The archive has no manifest.json: it is not a Mist backup.")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as error:
        raise BackupError("The archive's manifest.json is not valid JSON.") from error
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError("The archive is not a Mist backup of a known version.")
    expected = manifest.get("members") or {}
    problems = []
    for name in sorted(expected.keys() - seen.keys()):
        problems.append(f"missing: {name}")
    for name in sorted(seen.keys() - expected.keys()):
        problems.append(f"not in the manifest: {name}")
    for name in sorted(expected.keys() & seen.keys()):
        if expected[name] != seen[name]:
            problems.append(f"checksum mismatch: {name}")
    if problems:
        shown = "; ".join(problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise BackupError(f"The archive does not match its manifest: {shown}{more}.")
    database = manifest.get("database") or {}
    if DATABASE_FILES.get(database.get("vendor")) != database.get("file") or (
        database.get("file") not in seen
    ):
        raise BackupError("The archive's manifest names no database dump.")
    return manifest


def summarize(manifest: dict) -> Summary:
    """The figures of a verified manifest."""
    members = manifest["members"]
    return Summary(
        created=manifest["created"],
        vendor=manifest["database"]["vendor"],
        files=len(members) - 1,
        size=sum(member["size"] for member in members.values()),
    )


# Drops what a restore recreates: every table, view, sequence and function of the
# public schema, except those that belong to an extension (pg_trgm may be owned by
# a superuser; the dump's CREATE EXTENSION IF NOT EXISTS keeps it).
_POSTGRES_CLEAR = """
DO $$
DECLARE item record;
BEGIN
  FOR item IN
    SELECT c.oid::regclass::text AS name,
           CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                          WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'
                          ELSE 'TABLE' END AS kind
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.objid = c.oid AND d.deptype = 'e')
    -- Tables first: their CASCADE takes the sequences of their identity columns.
    ORDER BY c.relkind = 'S'
  LOOP
    EXECUTE format('DROP %s IF EXISTS %s CASCADE', item.kind, item.name);
  END LOOP;
  FOR item IN
    SELECT p.oid::regprocedure::text AS name
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', item.name);
  END LOOP;
END $$;
"""


def _restore_postgresql(alias: str, dump: Path, staging: Path) -> None:
    connection = connections[alias]
    env = _postgres_env(connection.settings_dict)
    script = staging / "restore.sql"
    script.write_text(_POSTGRES_CLEAR)
    # pg_restore writes the dump as SQL, appended to the clearing step, so psql runs
    # both in one transaction: a restore that fails leaves the database as it was.
    with script.open("a") as handle:
        result = subprocess.run(
            [
                _require_program("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--no-comments",
                "--file=-",
                str(dump),
            ],
            env=env,
            stdout=handle,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    connections.close_all()
    _run(
        [
            _require_program("psql"),
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--file={script}",
        ],
        env=env,
        what="Restoring the database (nothing was changed)",
    )


def _restore_sqlite(alias: str, dump: Path) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        # Replaces every page of the target in one step (SQLite's own backup API).
        source.backup(connection.connection)
    finally:
        source.close()


def _replace_folder(root: Path, staged: Path) -> None:
    """Make `root` hold exactly the files in `staged` (the root itself stays, as it
    may be a mount point)."""
    root.mkdir(parents=True, exist_ok=True)
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if staged.is_dir():
        for child in staged.iterdir():
            shutil.move(str(child), root / child.name)


def restore_backup(staging: Path, manifest: dict, *, database: str = "default") -> None:
    """Replace the database and the media folders with a verified, unpacked archive."""
    vendor = manifest["database"]["vendor"]
    connection = connections[database]
    if connection.vendor != vendor:
        raise BackupError(
            f"The archive holds a {vendor} database; the {database!r} database is "
            f"{connection.vendor}. Restore into the same kind of database."
        )
    dump = staging / manifest["database"]["file"]
    if vendor == "postgresql":
        _restore_postgresql(database, dump, staging)
    else:
        _restore_sqlite(database, dump)
    for prefix, root in media_roots().items():
        _replace_folder(root, staging / prefix)
    # Written by psql or SQLite's backup API, around the wrappers that watch writes.
    bump_version()
