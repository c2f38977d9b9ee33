"""core.exports: one formula-safe writer for CSV and XLSX, and one download response."""

import csv
import io

import openpyxl
import pytest
from django.http import Http404

from core import exports

# Closing a response ends the request, which tidies the database connections.
pytestmark = pytest.mark.django_db

DANGEROUS = [
    "=SUM(A1:A9)",
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
]
HEADER = ["name", "amount"]


def _content(response) -> bytes:
    """What a client receives; closing the response closes its temporary file."""
    content = b"".join(response.streaming_content)
    response.close()
    return content


def _csv_rows(response) -> list[list[str]]:
    text = _content(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _workbook(response):
    return openpyxl.load_workbook(io.BytesIO(_content(response)))


def _xlsx_rows(response) -> list[list]:
    return [list(row) for row in _workbook(response).active.iter_rows(values_only=True)]


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_neutralises_every_formula_start(text):
    response = exports.spreadsheet([HEADER, [text, 1]], fmt="csv", name="t", title="T")

    assert _csv_rows(response)[1] == ["'" + text, "1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_xlsx_neutralises_every_formula_start(text):
    response = exports.spreadsheet([HEADER, [text, 1]], fmt="xlsx", name="t", title="T")

    cell = _xlsx_rows(response)[1][0]
    assert cell == "'" + text


@pytest.mark.parametrize(
    "text", ["+380 57 700 00 00", "-(057) 700-00-00", "Kharkiv", "'=quoted", ""]
)
def test_plain_text_and_signed_numbers_stay_as_they_are(text):
    assert exports.safe_cell(text) == text


def test_xlsx_keeps_numbers_as_numbers():
    rows = [HEADER, ["negative", -5], ["fraction", 0.25], ["none", None]]

    response = exports.spreadsheet(rows, fmt="xlsx", name="t", title="Numbers")

    assert _xlsx_rows(response)[1:] == [
        ["negative", -5],
        ["fraction", 0.25],
        ["none", None],
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_csv_streams_header_and_every_row(count):
    rows = [HEADER, *([f"item {n}", n] for n in range(count))]
    pulled = []

    def lazily():
        for row in rows:
            pulled.append(row)
            yield row

    response = exports.spreadsheet(lazily(), fmt="csv", name="items", title="T")

    assert response.streaming
    assert pulled == []
    assert _csv_rows(response) == [
        HEADER,
        *([f"item {n}", str(n)] for n in range(count)),
    ]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="items.csv"'


def test_xlsx_download_names_the_file_and_the_sheet():
    response = exports.spreadsheet([HEADER], fmt="xlsx", name="items", title="Items")

    assert _workbook(response).sheetnames == ["Items"]
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    assert response["Content-Disposition"] == 'attachment; filename="items.xlsx"'


def test_a_non_ascii_file_name_is_encoded_for_the_header():
    response = exports.download(iter(["{}"]), filename="звіт.json")

    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%D0%B7%D0%B2%D1%96%D1%82.json"
    )


def test_another_format_is_not_found():
    with pytest.raises(Http404):
        exports.spreadsheet([HEADER], fmt="pdf", name="t", title="T")
