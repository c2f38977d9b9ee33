"""Directory export: formats, filters, and what never leaves the platform."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from directory import exports
from directory.importing import reading
from directory.importing.reading import open_sheet
from directory.models import Organization
from tests.factories import (
    OrganizationFactory,
    PlaceFactory,
    SectorFactory,
    TagFactory,
    UserFactory,
)
from tests.imports.conftest import valid_edrpou, valid_rntrc

PRIVATE_RNTRC = valid_rntrc(77)


@pytest.fixture
def directory(db):
    """A public company, a sole proprietor (public, with a private taxpayer number),
    a members-only one, an unverified one and a deleted one."""
    public = OrganizationFactory(
        name_uk="Світанок Софт",
        name_en="Svitanok Soft",
        slug="svitanok-soft",
        edrpou=valid_edrpou(1),
        kind=Organization.Kind.IT_COMPANY,
        place=PlaceFactory(code="UA63120270010096107", category="M"),
        cluster_member_since=datetime.date(2019, 5, 1),
    )
    public.sectors.add(SectorFactory(code="62"))
    public.tags.add(TagFactory(slug="machine-learning"))
    sole = OrganizationFactory(
        name_uk="ФОП Коваленко",
        name_en="Kovalenko sole proprietor",
        slug="fop-kovalenko",
        rntrc=PRIVATE_RNTRC,
        kind=Organization.Kind.STARTUP,
    )
    members = OrganizationFactory(
        name_uk="Закрита Спільнота",
        slug="zakryta",
        visibility=Organization.Visibility.MEMBERS,
    )
    pending = OrganizationFactory(
        name_uk="Неперевірена Фірма",
        slug="neperevirena",
        verification=Organization.Verification.PENDING,
        verified_at=None,
    )
    deleted = OrganizationFactory(
        name_uk="Видалена Фірма", slug="vydalena", deleted_at=timezone.now()
    )
    return {
        "public": public,
        "sole": sole,
        "members": members,
        "pending": pending,
        "deleted": deleted,
    }


def export(client, fmt, **params):
    params.setdefault("header", "names")
    response = client.get(
        reverse("directory:organization-export", kwargs={"fmt": fmt}), params
    )
    assert response.status_code == 200
    if response.streaming:
        return response, b"".join(response.streaming_content)
    return response, b"".join(response)


def csv_records(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_export_for_anonymous_has_public_organizations_only(client, directory):
    response, content = export(client, "csv")

    records = csv_records(content)
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="mist-organizations-{today}.csv"'
    )
    assert [r["name_uk"] for r in records] == ["Світанок Софт", "ФОП Коваленко"]
    assert records[0]["edrpou"] == valid_edrpou(1)
    assert records[0]["sectors"] == "62"
    assert records[0]["tags"] == "machine-learning"
    assert records[0]["place"] == "UA63120270010096107"
    assert records[0]["cluster_member_since"] == "2019-05-01"
    assert records[0]["url"] == "http://testserver/uk/directory/o/svitanok-soft/"
    assert "rntrc" not in records[0]
    assert PRIVATE_RNTRC.encode() not in content
    for hidden in ("Закрита", "Неперевірена", "Видалена"):
        assert hidden.encode() not in content


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_other_formats_for_anonymous_hide_the_same(client, directory, fmt):
    _response, content = export(client, fmt)

    if fmt == "json":
        records = json.loads(content)
        names = [r["name_uk"] for r in records]
        assert records[0]["name_en"] == "Svitanok Soft"
        assert records[0]["description_en"] == "Software development."
        assert records[0]["sectors"] == ["62"]
        assert all("rntrc" not in r for r in records)
        text = content.decode()
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == [c.name for c in exports.columns()]
        names = [row[0] for row in rows[1:]]
        text = " ".join(str(cell) for row in rows for cell in row)
    assert names == ["Світанок Софт", "ФОП Коваленко"]
    assert PRIVATE_RNTRC not in text
    assert "Закрита" not in text
    assert "Неперевірена" not in text


def test_signed_in_people_get_members_only_organizations(client, directory):
    client.force_login(UserFactory())

    _response, content = export(client, "csv")

    names = [r["name_uk"] for r in csv_records(content)]
    assert "Закрита Спільнота" in names
    assert "Неперевірена Фірма" not in names


def test_staff_export_has_everything_alive_but_never_a_taxpayer_number(
    client, directory, staff
):
    client.force_login(staff)

    _response, content = export(client, "json")

    names = sorted(r["name_uk"] for r in json.loads(content))
    assert names == sorted(
        ["Світанок Софт", "ФОП Коваленко", "Закрита Спільнота", "Неперевірена Фірма"]
    )
    assert PRIVATE_RNTRC not in content.decode()


def test_export_honours_kind_and_search(client, directory):
    _response, by_kind = export(client, "csv", kind="startup")
    _response, by_search = export(client, "csv", q="Світанок")

    assert [r["name_uk"] for r in csv_records(by_kind)] == ["ФОП Коваленко"]
    assert [r["name_uk"] for r in csv_records(by_search)] == ["Світанок Софт"]


def test_export_of_unknown_format_is_404(client, directory):
    url = reverse("directory:organization-export", kwargs={"fmt": "pdf"})

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("count", [1, 4])
def test_export_query_count(client, db, count, django_assert_num_queries):
    for _n in range(count):
        OrganizationFactory().sectors.add(SectorFactory(code="62"))

    with django_assert_num_queries(3):
        _response, content = export(client, "csv")

    assert len(csv_records(content)) == count


def test_formula_like_text_is_escaped_and_phone_numbers_are_not(client, db):
    OrganizationFactory(
        name_uk='=HYPERLINK("http://evil.example","click")', phone="+380 57 700 00 00"
    )

    _response, csv_content = export(client, "csv")
    _response, xlsx_content = export(client, "xlsx")

    record = csv_records(csv_content)[0]
    assert record["name_uk"] == '\'=HYPERLINK("http://evil.example","click")'
    assert record["phone"] == "+380 57 700 00 00"
    cell = openpyxl.load_workbook(io.BytesIO(xlsx_content)).active["A2"]
    assert cell.data_type == "s"
    assert cell.value.startswith("=")


def test_importer_strips_the_escaping_apostrophe():
    from directory.importing import cell_text

    assert cell_text("'=SUM(A1)") == "=SUM(A1)"
    assert cell_text("'Tis") == "'Tis"


@pytest.mark.parametrize("language", ["uk", "en"])
def test_csv_header_is_in_the_reader_language_and_imports_back(
    client, directory, language
):
    with translation.override(language):
        labels = [str(c.label) for c in exports.columns()]
        response = client.get(
            f"/{language}/directory/export/csv-excel/", HTTP_ACCEPT_LANGUAGE=language
        )
    content = b"".join(response.streaming_content)

    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == labels
    with open_sheet(io.BytesIO(content), "export.csv") as sheet:
        assert sorted(sheet.columns.values()) == sorted(
            reading.COLUMNS.keys() - {"rntrc"}
        )
        names = [sheet.record(cells)["name_uk"] for _number, cells in sheet.rows]
    assert names == ["Світанок Софт", "ФОП Коваленко"]


def test_anonymous_exports_are_rate_limited_per_address(client, directory, settings):
    settings.MIST_ANONYMOUS_EXPORTS_PER_HOUR = 2
    url = reverse("directory:organization-export", kwargs={"fmt": "csv"})

    answers = [client.get(url).status_code for _n in range(3)]
    client.force_login(UserFactory())
    signed_in = client.get(url).status_code

    assert answers == [200, 200, 429]
    assert signed_in == 200
