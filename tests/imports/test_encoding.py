"""An import file's encoding: told by evidence and shown in the dry run; a file that
is not text in a known encoding fails with a message in each reader's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from directory import importing
from directory.models import ImportBatch
from tests.imports.conftest import company_row, csv_bytes

pytestmark = pytest.mark.django_db

ROWS = [
    ["Харківська компанія", "", "startup", "", "", "", "", "", ""],
    ["Львівська політехніка", "", "university", "", "", "", "", "", ""],
]


def with_bad_byte(content: bytes) -> bytes:
    at = content.index("техніка".encode())
    return content[:at] + b"\xff" + content[at:]


def detail(client, batch, language):
    with translation.override(language):
        url = reverse("directory:import-detail", kwargs={"pk": batch.pk})
    return client.get(url).content.decode()


def test_dry_run_of_windows_1251_file_reads_names_and_says_so(
    make_batch, client, staff
):
    batch = make_batch(csv_bytes(ROWS, delimiter=";", encoding="cp1251"))
    client.force_login(staff)

    importing.check_import(batch)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CHECKED
    assert batch.encoding == "cp1251"
    assert sorted(batch.rows.values_list("name", flat=True)) == [
        "Львівська політехніка",
        "Харківська компанія",
    ]
    page = detail(client, batch, "en")
    assert "The file was read as Windows-1251 text." in page
    assert "It is not UTF-8: the Ukrainian letters were read as Windows-1251" in page


def test_dry_run_of_utf8_file_says_utf8(make_batch, client, staff):
    batch = make_batch(csv_bytes(ROWS))
    client.force_login(staff)

    importing.check_import(batch)

    batch.refresh_from_db()
    assert batch.encoding == "utf-8"
    assert "Файл прочитано як текст у кодуванні UTF-8." in detail(client, batch, "uk")


def test_utf8_file_with_one_bad_byte_fails_naming_line_and_offset(make_batch):
    content = with_bad_byte(csv_bytes(ROWS))
    batch = make_batch(content)

    with translation.override("uk"):  # as a worker would, whatever the reader reads
        importing.check_import(batch)

    batch.refresh_from_db()
    offset = content.index(b"\xff")
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.rows.count() == 0
    assert batch.error_message_en == (
        "The file is not valid UTF-8 text: line 3 has a byte UTF-8 does not allow "
        f"(0xFF at byte offset {offset}). Save the file as UTF-8 (in Excel: "
        "“CSV UTF-8”) and upload it again."
    )
    assert batch.error_message_uk == (
        "Файл не є коректним текстом UTF-8: у рядку 3 є байт, якого UTF-8 не "
        f"допускає (0xFF, зміщення {offset} байт від початку файлу). Збережіть "
        "файл у кодуванні UTF-8 (в Excel: «CSV UTF-8») і завантажте його знову."
    )


def test_failure_is_shown_in_the_page_language(make_batch, client, staff):
    batch = make_batch(with_bad_byte(csv_bytes(ROWS)))
    with translation.override("uk"):
        importing.check_import(batch)
    client.force_login(staff)

    english = detail(client, batch, "en")
    ukrainian = detail(client, batch, "uk")

    assert "The file is not valid UTF-8 text: line 3" in english
    assert "Файл не є" not in english
    assert "Файл не є коректним текстом UTF-8: у рядку 3" in ukrainian


def test_windows_1251_rows_that_are_mostly_latin_are_read(make_batch):
    # Names are the only Cyrillic: 8% of the letters, the rest addresses and codes.
    batch = make_batch(csv_bytes([company_row(1), company_row(2)], encoding="cp1251"))

    importing.check_import(batch)

    batch.refresh_from_db()
    assert batch.encoding == "cp1251"
    assert sorted(batch.rows.values_list("name", flat=True)) == [
        "Компанія 1",
        "Компанія 2",
    ]
