"""Where uploaded files live, under which names, and how they leave the server.

Two places: public media (MEDIA_ROOT, the default storage: organization logos, which
the proxy may serve to anyone) and private storage (PRIVATE_MEDIA_ROOT: everything
else, never aliased by the proxy, served only through views that check permission).
Uploads are stored under random names (`RandomName`), so a file's address says
nothing about it and cannot be guessed; the name people gave a file is kept in a
model field where downloads need it.
"""

import mimetypes
import os
import re
import uuid

from django.conf import settings
from django.core import checks
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.deconstruct import deconstructible

# The extensions a random name keeps: short, letters and digits only.
EXTENSION = re.compile(r"^\.[a-z0-9]{1,10}$")
# What a browser may show inline: raster images (never SVG, which runs scripts).
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
# A name RandomName made: folder, year, month, 32 hex digits, extension.
RANDOM_NAME = re.compile(r"/\d{4}/\d{2}/[0-9a-f]{32}(\.[a-z0-9]{1,10})?$")


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT and without a URL:
    only a view that checks permission hands them out. The location is read at run
    time (tests point it to a temporary folder)."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


_private = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The private storage (a callable, so model fields and migrations name it)."""
    return _private


@checks.register(checks.Tags.security, deploy=False)
def check_private_outside_media(app_configs=None, **kwargs) -> list:
    """Private files must never lie under MEDIA_ROOT, which the proxy (or `make run`)
    serves to anyone."""
    private = os.path.abspath(str(settings.PRIVATE_MEDIA_ROOT))
    media = os.path.abspath(str(settings.MEDIA_ROOT))
    if os.path.commonpath([private, media]) in (private, media):
        return [
            checks.Error(
                "PRIVATE_MEDIA_ROOT and MEDIA_ROOT overlap: private files would be "
                "public.",
                hint="Point PRIVATE_MEDIA_ROOT to a folder outside MEDIA_ROOT.",
                id="mist.E001",
            )
        ]
    return []


@deconstructible
class RandomName:
    """`upload_to` that files an upload as `<folder>/<year>/<month>/<uuid4 hex><ext>`:
    nothing of the name people gave it (that belongs in a model field)."""

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename: str) -> str:
        return random_name(self.folder, filename)

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self):
        return hash(self.folder)


def random_name(folder: str, filename: str) -> str:
    """A fresh random storage name in `folder`, keeping `filename`'s extension."""
    extension = os.path.splitext(filename or "")[1].lower()
    if not EXTENSION.match(extension):
        extension = ""
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


def is_random_name(name: str) -> bool:
    return bool(RANDOM_NAME.search(name or ""))


def file_response(
    field_file,
    *,
    filename: str,
    as_attachment: bool = True,
    cache_control: str = "private, no-store",
) -> FileResponse:
    """A stored file as a response (see `content_response`); 404 when the file is
    missing."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    return content_response(
        handle,
        filename=filename,
        as_attachment=as_attachment,
        cache_control=cache_control,
    )


def content_response(
    content,
    *,
    filename: str,
    as_attachment: bool = True,
    cache_control: str = "private, no-store",
    content_type: str | None = None,
) -> FileResponse:
    """File content as a response no browser sniffs and no shared cache keeps. Only
    raster images are ever shown inline: anything else is a download, so an upload
    can never run as a page of the site."""
    content_type = (
        content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    )
    if content_type not in INLINE_TYPES:
        as_attachment = True
    response = FileResponse(
        content,
        as_attachment=as_attachment,
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    return response


def delete_with_file(instance, file) -> None:
    """Delete a row and, once its transaction commits, its stored `file` (a rolled
    back delete keeps both the row and the file it points at)."""
    name, storage = file.name, file.storage
    instance.delete()
    transaction.on_commit(lambda: storage.delete(name))


def move_files(
    queryset,
    field_name: str,
    folder: str,
    *,
    source: Storage | None = None,
    target: Storage | None = None,
    original_name_field: str = "",
) -> dict:
    """Move the files of `field_name` of every row of `queryset` from `source`
    (public media by default) to `target` (private storage by default) under a new
    random name in `folder`, and point the rows at them.

    For the data migrations that make uploads private: run again, it moves only what
    is left. A row whose file is in neither storage keeps its name (it was missing
    before too). The old files are deleted once the transaction commits, so a failed
    migration leaves every row pointing at a file that still exists. With
    `original_name_field`, a row whose original name is blank keeps the old file name
    there (downloads name the file by it).
    Returns counts: {"moved": n, "missing": n, "skipped": n}.
    """
    source = source or default_storage
    target = target or private_storage()
    counts = {"moved": 0, "missing": 0, "skipped": 0}
    rows = queryset.exclude(**{field_name: ""}).exclude(
        **{f"{field_name}__isnull": True}
    )
    for pk, name in list(rows.values_list("pk", field_name).order_by("pk")):
        if is_random_name(name) and target.exists(name):
            counts["skipped"] += 1
            continue
        if source.exists(name):
            origin = source
        elif target.exists(name):  # private already, under its old name
            origin = target
        else:
            counts["missing"] += 1
            continue
        with origin.open(name, "rb") as handle:
            new_name = target.save(random_name(folder, name), File(handle))
        rows_of_pk = queryset.model._default_manager.using(queryset.db).filter(pk=pk)
        rows_of_pk.update(**{field_name: new_name})
        if original_name_field:
            rows_of_pk.filter(**{original_name_field: ""}).update(
                **{original_name_field: os.path.basename(name)[:255]}
            )
        transaction.on_commit(
            lambda storage=origin, old=name: storage.delete(old),
            using=queryset.db,
        )
        counts["moved"] += 1
    return counts
