"""Exporting the directory to CSV, XLSX and JSON: what the reader may see, streamed.

Columns carry the import's names, so an export can be edited and imported back. The
sole proprietor's taxpayer number (rntrc) is personal data and never exported; which
organizations appear is decided by queries.organizations_visible_to().
"""

import csv
import json
import re
import tempfile
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext

from directory.models import Organization, Sector, Tag

FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
COLUMNS = (
    "name_uk",
    "name_en",
    "kind",
    "edrpou",
    "description_uk",
    "description_en",
    "website",
    "email",
    "phone",
    "country",
    "place",
    "locality",
    "sectors",
    "tags",
    "size",
    "founded_year",
    "cluster_status",
    "cluster_member_since",
    "visibility",
    "url",
)
ITERATOR_CHUNK = 2000
_NUMBER_LIKE = re.compile(r"[+\-][\d\s().\-/]*")


def safe_cell(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe (which
    the importer strips again); phone numbers like +380… stay as they are."""
    if isinstance(value, str) and value:
        first = value[0]
        if first in "=@\t\r" or (first in "+-" and not _NUMBER_LIKE.fullmatch(value)):
            return "'" + value
    return value


def with_export_data(queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    """What the export reads, in a constant number of queries per chunk."""
    return (
        queryset.select_related("place")
        .prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.only("code").order_by("code")),
            Prefetch("tags", queryset=Tag.objects.only("slug").order_by("slug")),
        )
        .defer("search_document", "search_names", "rntrc")
    )


def organization_record(org: Organization, *, base_url: str = "") -> dict:
    """One organization as export values (both languages, no private data)."""
    return {
        "name_uk": org.name_uk,
        "name_en": org.name_en,
        "kind": org.kind,
        "edrpou": org.edrpou or "",
        "description_uk": org.description_uk,
        "description_en": org.description_en,
        "website": org.website,
        "email": org.email,
        "phone": org.phone,
        "country": org.country.code or "",
        "place": org.place.code if org.place_id else "",
        "locality": org.locality,
        "sectors": [sector.code for sector in org.sectors.all()],
        "tags": [tag.slug for tag in org.tags.all()],
        "size": org.size,
        "founded_year": org.founded_year,
        "cluster_status": org.cluster_status,
        "cluster_member_since": (
            org.cluster_member_since.isoformat() if org.cluster_member_since else None
        ),
        "visibility": org.visibility,
        "url": base_url + org.get_absolute_url(),
    }


def records(queryset: QuerySet[Organization], *, base_url: str = "") -> Iterator[dict]:
    for org in with_export_data(queryset).iterator(chunk_size=ITERATOR_CHUNK):
        yield organization_record(org, base_url=base_url)


def _cell(value) -> str | int:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    return safe_cell(value)


def table_rows(queryset, *, base_url: str = "") -> Iterator[list]:
    """The header, then one list of cells per organization."""
    yield list(COLUMNS)
    for record in records(queryset, base_url=base_url):
        yield [_cell(record[column]) for column in COLUMNS]


class _Echo:
    """A file-like object whose write() returns the text, for streaming csv."""

    def write(self, value):
        return value


def csv_chunks(rows: Iterable[list]) -> Iterator[str]:
    """CSV text, a line at a time, starting with a BOM so Excel reads it as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


def json_chunks(queryset, *, base_url: str = "") -> Iterator[str]:
    """A JSON array of organization objects, an object at a time."""
    yield "["
    separator = ""
    for record in records(queryset, base_url=base_url):
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield "]\n"


def xlsx_file(rows: Iterable[list]):
    """An XLSX workbook written row by row (openpyxl write-only) into a temporary
    file, returned open at its start."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=gettext("Organizations")[:31])
    for row in rows:
        sheet.append(row)
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(target)
    target.seek(0)
    return target
