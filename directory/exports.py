"""Exporting the directory to CSV, XLSX and JSON: what the reader may see, streamed.

Columns carry the import's names, so an export can be edited and imported back. The
sole proprietor's taxpayer number (rntrc) is personal data and never exported; which
organizations appear is decided by queries.organizations_visible_to().
"""

import json
from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet

from directory.models import Organization, Sector, Tag

FORMATS = ("csv", "xlsx", "json")
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
    """The header, then one list of cells per organization (for core.exports)."""
    yield list(COLUMNS)
    for record in records(queryset, base_url=base_url):
        yield [_cell(record[column]) for column in COLUMNS]


def json_chunks(queryset, *, base_url: str = "") -> Iterator[str]:
    """A JSON array of organization objects, an object at a time."""
    yield "["
    separator = ""
    for record in records(queryset, base_url=base_url):
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield "]\n"
