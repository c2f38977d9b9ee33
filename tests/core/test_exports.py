"""core.exports: one formula-safe writer for CSV and XLSX, and one download response."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

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
def test_xlsx_writes_formula_like_text_as_a_text_cell(text):
    response = exports.spreadsheet([HEADER, [text, 1]], fmt="xlsx", name="t", title="T")

    cell = _workbook(response).active["A2"]
    assert (cell.value, cell.data_type) == (text, "s")


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


# Columns: translated labels, typed XLSX cells, the semicolon dialect, OWASP's rules.

COLUMNS = (
    exports.Column("name", "Name"),
    exports.Column("amount", "Amount", exports.MONEY),
    exports.Column("people", "People", exports.INTEGER),
    exports.Column("opens", "Opens", exports.DATE),
    exports.Column("starts", "Starts", exports.DATETIME),
)


def _row():
    return [
        "Acme; Ltd",
        Decimal("1234.50"),
        3,
        datetime.date(2027, 5, 12),
        datetime.datetime(2027, 5, 12, 7, 0, tzinfo=datetime.UTC),
    ]


@pytest.mark.parametrize(
    ("language", "label"), [("uk", "Організація"), ("en", "Organization")]
)
def test_header_is_in_the_active_language_and_names_are_a_second_row(language, label):
    columns = (exports.Column("name", gettext_lazy("Organization")),)

    with translation.override(language):
        response = exports.spreadsheet(
            [["x"]], columns=columns, fmt="csv", name="t", title="T", header="both"
        )
        rows = _csv_rows(response)

    assert rows == [[label], ["name"], ["x"]]


def test_xlsx_cells_are_typed_with_number_formats_and_a_data_dictionary():
    with translation.override("en"), timezone.override("Europe/Kyiv"):
        response = exports.spreadsheet(
            [_row()], columns=COLUMNS, fmt="xlsx", name="t", title="Sheet"
        )

    workbook = _workbook(response)
    sheet = workbook["Sheet"]
    assert [cell.value for cell in sheet[1]] == [c.label for c in COLUMNS]
    name, amount, people, opens, starts = sheet[2]
    assert (amount.value, amount.data_type, amount.number_format) == (
        1234.5,
        "n",
        "#,##0.00",
    )
    assert (people.value, people.number_format) == (3, "0")
    assert opens.value == datetime.datetime(2027, 5, 12)  # noqa: DTZ001 - Excel has no zones
    assert opens.number_format == "yyyy-mm-dd"
    # A UTC time (as the database gives it) is written in the current zone.
    assert starts.value == datetime.datetime(2027, 5, 12, 10, 0)  # noqa: DTZ001
    assert starts.number_format == "yyyy-mm-dd hh:mm"
    assert (name.value, name.data_type) == ("Acme; Ltd", "s")
    dictionary = [list(r) for r in workbook.worksheets[1].iter_rows(values_only=True)]
    assert dictionary[2] == ["Amount", "amount", "amount of money"]


def test_excel_csv_uses_semicolons_and_quotes_either_delimiter():
    rows = [["a,b", "c;d", "plain"]]
    columns = tuple(exports.Column(n, n) for n in ("x", "y", "z"))

    response = exports.spreadsheet(
        rows, columns=columns, fmt="csv-excel", name="t", title="T"
    )

    text = _content(response).decode("utf-8-sig")
    assert text == 'x;y;z\r\n"a,b";"c;d";plain\r\n'
    assert response["Content-Disposition"] == 'attachment; filename="t.csv"'


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        (
            'x;=HYPERLINK("http://evil.example")',
            'x;\'=HYPERLINK("http://evil.example")',
        ),
        ("x,+1+cmd", "x,'+1+cmd"),
        ("x\n@SUM(A1)", "x\n'@SUM(A1)"),
        ("   =1+2", "'   =1+2"),
        ("＝1+2", "'＝1+2"),
        ("ok; -5", "ok; -5"),
        ("+380 57 700 00 00; +1 505 555 0100", "+380 57 700 00 00; +1 505 555 0100"),
    ],
)
def test_csv_formula_rule_applies_to_every_part_of_a_cell(text, safe):
    assert exports.safe_cell(text) == safe


@pytest.mark.parametrize("fmt", ["csv", "csv-excel"])
def test_a_cell_with_an_injected_part_stays_one_quoted_cell(fmt):
    response = exports.spreadsheet(
        [["x;=HYPERLINK(1)", "y,=1"]],
        columns=(exports.Column("a", "A"), exports.Column("b", "B")),
        fmt=fmt,
        name="t",
        title="T",
    )

    text = _content(response).decode("utf-8-sig")
    delimiter = exports.DELIMITERS[fmt]
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert rows[1] == ["x;'=HYPERLINK(1)", "y,'=1"]
