"""Exporting the directory to CSV, XLSX and JSON: what the reader may see, streamed.

CSV and XLSX headers are the fields' names in the reader's language; `?header=names`
gives the import's machine names instead (the importer reads both, so an export can
be edited and imported back), and the XLSX file's data dictionary lists both. The
sole proprietor's taxpayer number (rntrc) is personal data and never exported; which
organizations appear is decided by queries.organizations_visible_to().
"""

import datetime
import itertools
import json
from collections.abc import Iterator

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core import exports as core_exports
from directory.models import Organization

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


# The columns read straight from the table (values(), not model instances: an export
# of 100,000 organizations spends its time building objects otherwise); the place, the
# sectors, the tags and the page's address are read apart.
COMPUTED_COLUMNS = ("place", "sectors", "tags", "url")
VALUE_FIELDS = (
    "pk",
    "slug",
    *(name for name in COLUMNS if name not in COMPUTED_COLUMNS),
)


def _codes_by_organization(through, ids, code: str) -> dict[int, list[str]]:
    """{organization id: sorted codes} of one many-to-many relation, one query."""
    found: dict[int, list[str]] = {}
    pairs = (
        through.objects.filter(organization_id__in=ids)
        .order_by(code)
        .values_list("organization_id", code)
    )
    for organization_id, value in pairs:
        found.setdefault(organization_id, []).append(value)
    return found


def records(queryset: QuerySet[Organization], *, base_url: str = "") -> Iterator[dict]:
    """Organizations as export values (both languages, no private data), read a
    chunk at a time: three queries per chunk, whatever the chunk's size."""
    # One reverse() for every row: the slug is the only part that changes.
    page = base_url + reverse(
        "directory:organization-detail", kwargs={"slug": "slug-placeholder"}
    )
    prefix, suffix = page.split("slug-placeholder")
    rows = queryset.values(*VALUE_FIELDS, place_code=F("place__code")).iterator(
        chunk_size=ITERATOR_CHUNK
    )
    while chunk := list(itertools.islice(rows, ITERATOR_CHUNK)):
        ids = [row["pk"] for row in chunk]
        sectors = _codes_by_organization(
            Organization.sectors.through, ids, "sector__code"
        )
        tags = _codes_by_organization(Organization.tags.through, ids, "tag__slug")
        for row in chunk:
            member_since = row["cluster_member_since"]
            yield {
                "name_uk": row["name_uk"],
                "name_en": row["name_en"],
                "kind": row["kind"],
                "edrpou": row["edrpou"] or "",
                "description_uk": row["description_uk"],
                "description_en": row["description_en"],
                "website": row["website"],
                "email": row["email"],
                "phone": row["phone"],
                "country": row["country"] or "",
                "place": row["place_code"] or "",
                "locality": row["locality"],
                "sectors": sectors.get(row["pk"], []),
                "tags": tags.get(row["pk"], []),
                "size": row["size"],
                "founded_year": row["founded_year"],
                "cluster_status": row["cluster_status"],
                "cluster_member_since": (
                    member_since.isoformat() if member_since else None
                ),
                "visibility": row["visibility"],
                "url": prefix + row["slug"] + suffix,
            }


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
