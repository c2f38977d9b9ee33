"""Files to download: the template, and the rejected rows with their errors."""

from collections.abc import Iterator

from django.utils.translation import gettext

from directory.importing.errors import error_messages
from directory.importing.reading import COLUMNS, open_sheet
from directory.models import ImportBatch, ImportRow

TEMPLATE_EXAMPLE = {
    "name_uk": "ТОВ «Приклад Софт»",
    "name_en": "Example Soft LLC",
    "kind": "it_company",
    "edrpou": "41234569",
    "rntrc": "",
    "description_uk": "Розробка програмного забезпечення для міст.",
    "description_en": "Software development for cities.",
    "website": "https://example.com",
    "email": "info@example.com",
    "phone": "+380 57 700 00 00",
    "country": "UA",
    "place": "UA63120270010096107",
    "locality": "",
    "sectors": "62;63",
    "tags": "machine-learning;web-development",
    "size": "10-49",
    "founded_year": "2015",
    "cluster_status": "member",
    "cluster_member_since": "2019-05-01",
    "visibility": "public",
}


def template_rows() -> tuple[list[str], list[str]]:
    """The template's header and its one example row."""
    header = list(COLUMNS)
    return header, [TEMPLATE_EXAMPLE.get(column, "") for column in header]


def rejected_rows(batch: ImportBatch) -> Iterator[list]:
    """The file's header plus an "errors" column, then every rejected row as it was
    uploaded, with its errors in the active language."""
    rejected = dict(
        batch.rows.filter(action=ImportRow.Action.REJECT).values_list("row", "errors")
    )
    with (
        batch.file.open("rb") as binary,
        open_sheet(binary, batch.original_name) as sheet,
    ):
        yield [*sheet.header, gettext("errors")]
        width = len(sheet.header)
        for number, cells in sheet.rows:
            if number in rejected:
                cells = list(cells)[:width] + [None] * (width - len(cells))
                yield [*cells, "; ".join(error_messages(rejected[number]))]
