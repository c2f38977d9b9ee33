"""Exporting the directory to CSV, XLSX and JSON: what the reader may see, streamed.

CSV and XLSX headers are the fields' names in the reader's language; `?header=names`
gives the import's machine names instead (the importer reads both, so an export can
be edited and imported back), and the XLSX file's data dictionary lists both. The
sole proprietor's taxpayer number (rntrc) is personal data and never exported; which
organizations appear is decided by queries.organizations_visible_to().
"""

import datetime
import json
from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core import exports as core_exports
from directory.models import Organization, Sector, Tag

FORMATS = (*core_exports.FORMATS, "json")
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
COLUMN_KINDS = {
    "founded_year": core_exports.INTEGER,
    "cluster_member_since": core_exports.DATE,
}


def columns() -> tuple[core_exports.Column, ...]:
    """The spreadsheet columns, labelled with the fields' names in the active
    language."""
    return tuple(
        core_exports.Column(
            name,
            _("Page on Mist")
            if name == "url"
            else capfirst(Organization._meta.get_field(name).verbose_name),
            COLUMN_KINDS.get(name, core_exports.TEXT),
        )
        for name in COLUMNS
    )


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
    return value


def table_rows(queryset, *, base_url: str = "") -> Iterator[list]:
    """One list of cells per organization, in the order of columns() (for
    core.exports); dates as dates."""
    for record in records(queryset, base_url=base_url):
        if record["cluster_member_since"]:
            record["cluster_member_since"] = datetime.date.fromisoformat(
                record["cluster_member_since"]
            )
        yield [_cell(record[column]) for column in COLUMNS]


def json_chunks(queryset, *, base_url: str = "") -> Iterator[str]:
    """A JSON array of organization objects, an object at a time."""
    yield "["
    separator = ""
    for record in records(queryset, base_url=base_url):
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield "]\n"
