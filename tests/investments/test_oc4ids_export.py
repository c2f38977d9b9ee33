"""OC4IDS export: the official validator passes, and only public data goes out."""

import datetime
import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from investments.models import ProjectPhoto
from investments.oc4ids import export, mapping
from investments.oc4ids.export import COLUMNS
from tests.investments import oc4ids_validator
from tests.investments.factories import ProjectFactory
from tests.investments.fixtures import demo_portfolio

BASE_URL = "https://mist.example.org"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "uk"])
def test_export_passes_the_official_validator(language):
    demo_portfolio()

    package = export.build_package(language, base_url=BASE_URL)

    oc4ids_validator.assert_valid(package)
    assert len(package["projects"]) == 2


@pytest.mark.django_db
def test_export_has_same_ids_in_both_languages_and_only_public_projects():
    demo_portfolio()

    uk = export.build_package("uk", base_url=BASE_URL)
    en = export.build_package("en", base_url=BASE_URL)

    ids = [project["id"] for project in en["projects"]]
    assert ids == [project["id"] for project in uk["projects"]]
    assert ids == ["oc4ids-xxxxxx-KH-SC-0001", "oc4ids-xxxxxx-KH-SC-0002"]
    assert en["projects"][0]["title"] == "Smart street lighting"
    assert uk["projects"][0]["title"] == "Розумне вуличне освітлення"
    assert {p["language"] for p in en["projects"]} == {"en"}
    assert en["version"] == "0.9"


@pytest.mark.django_db
def test_export_never_carries_limited_or_restricted_documents():
    demo_portfolio()

    text = export.package_json(export.build_package("en", base_url=BASE_URL))

    assert "Feasibility study" in text
    assert "Limited business plan" not in text
    assert "Restricted legal memo" not in text
    assert "Secret draft project" not in text


@pytest.mark.django_db
def test_export_maps_status_dates_identifiers_and_owner(settings):
    settings.MIST_OC4IDS_PREFIX = "oc4ids-abc123"
    demo_portfolio()

    full, bare = export.build_package("en", base_url=BASE_URL)["projects"]

    assert full["id"] == "oc4ids-abc123-KH-SC-0001"
    assert full["status"] == "preparation"  # readiness "design"
    assert bare["status"] == "implementation"
    assert full["sector"] == ["energy", "transport", "transport.road"]
    assert full["period"] == {
        "startDate": "2027-01-01T00:00:00+02:00",
        "endDate": "2028-06-30T00:00:00+03:00",
        "durationInDays": 546,
    }
    assert full["identifiers"] == [{"id": "DREAM-UA-2024-000123", "scheme": "UA-DREAM"}]
    assert full["contractingProcesses"][0]["summary"]["ocid"] == (
        "ocds-be6bcu-UA-2024-05-15-000123-a"
    )
    assert full["parties"][0]["id"] == "UA-EDR-04059243"
    assert full["publicAuthority"]["id"] == "UA-EDR-04059243"
    assert full["budget"]["amount"] == {"amount": 1250000.5, "currency": "USD"}
    assert full["locations"][0]["geometry"]["coordinates"] == [36.2304, 49.9935]
    assert "title" not in bare or bare["title"] == "Центр обробки даних"


def test_readiness_maps_onto_the_closed_status_codelist():
    from investments.oc4ids import codelists

    assert set(codelists.READINESS_TO_STATUS.values()) <= set(
        codelists.PROJECT_STATUSES
    )
    assert set(codelists.STATUS_TO_STATUS.values()) <= set(codelists.PROJECT_STATUSES)


def test_codelists_match_the_official_copy():
    import csv

    from investments.oc4ids import codelists

    folder = oc4ids_validator.SCHEMA_DIR / "codelists"

    def codes(name):
        with (folder / f"{name}.csv").open(encoding="utf-8") as handle:
            return [row["Code"] for row in csv.DictReader(handle)]

    assert list(codelists.PROJECT_STATUSES) == codes("projectStatus")
    assert list(codelists.PROJECT_TYPES) == codes("projectType")
    assert list(codelists.PROJECT_SECTORS) == codes("projectSector")
    assert set(codes("documentType")) == codelists.DOCUMENT_TYPES


@pytest.mark.django_db
def test_export_command_writes_a_package(tmp_path):
    demo_portfolio()
    target = tmp_path / "out.json"

    call_command("export_oc4ids", "--language", "uk", "--output", str(target))

    package = json.loads(target.read_text(encoding="utf-8"))
    assert next(p["id"] for p in package["projects"]) == "oc4ids-xxxxxx-KH-SC-0001"


@pytest.mark.django_db
def test_export_command_prints_to_stdout(capsys):
    demo_portfolio()

    call_command("export_oc4ids", "--language", "en")

    assert json.loads(capsys.readouterr().out)["projects"][0]["language"] == "en"


@pytest.mark.django_db
def test_export_view_downloads_the_package(client, django_assert_max_num_queries):
    demo_portfolio()

    with django_assert_max_num_queries(12):
        response = client.get(reverse("investments:oc4ids-export") + "?language=en")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["projects"][1]["id"].endswith("KH-SC-0002")


@pytest.mark.django_db
def test_export_api_gives_the_package(client):
    demo_portfolio()

    response = client.get("/api/v1/investment-projects/oc4ids/?language=uk")

    assert response.status_code == 200
    assert response.json()["projects"][0]["language"] == "uk"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_portfolio_table_has_one_row_per_public_project(client, fmt):
    demo_portfolio()

    response = client.get(reverse("investments:portfolio-export", args=[fmt]))

    content = b"".join(response.streaming_content)
    if fmt == "csv":
        text = content.decode("utf-8-sig")
        lines = text.strip().splitlines()
        assert len(lines) == 3
        assert "Розумне вуличне освітлення" in text
        assert "Smart street lighting" in text
        assert "Secret draft" not in text
    else:
        import io

        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = list(sheet.values)
        assert len(rows) == 3
        assert rows[1][2] == "Розумне вуличне освітлення"


def test_dates_are_full_date_times_with_offset():
    import datetime

    assert mapping.date_time(datetime.date(2027, 7, 1)) == "2027-07-01T00:00:00+03:00"


@pytest.mark.django_db
def test_export_links_photos_through_the_photo_view():
    project = ProjectFactory(code="KH-PH-0001")
    photo = ProjectPhoto(project=project, caption_en="The site")
    photo.image.save("site.png", ContentFile(b"png"), save=True)

    package = export.build_package("en", base_url=BASE_URL)

    (exported,) = package["projects"]
    (document,) = [d for d in exported["documents"] if d["id"].startswith("photo-")]
    assert document == {
        "id": f"photo-{photo.pk}",
        "documentType": "illustration",
        "title": "The site",
        "url": f"{BASE_URL}/en/investments/photos/{photo.pk}/",
        "format": "image/png",
    }


def _xlsx_rows(response) -> list[tuple]:
    import io

    import openpyxl

    content = b"".join(response.streaming_content)
    return list(openpyxl.load_workbook(io.BytesIO(content)).active.values)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("en", ("OC4IDS project identifier", "Title in Ukrainian", "Total cost")),
        (
            "uk",
            ("Ідентифікатор проєкту OC4IDS", "Назва українською", "Загальна вартість"),
        ),
    ],
)
def test_portfolio_table_has_headers_in_the_readers_language(client, language, labels):
    demo_portfolio()

    with translation.override(language):
        url = reverse("investments:portfolio-export", args=["xlsx"])

    response = client.get(url)

    header = _xlsx_rows(response)[0]
    assert (header[0], header[2], header[COLUMNS.index("total_cost")]) == labels
    assert "total_cost" not in header


@pytest.mark.django_db
def test_portfolio_table_gives_machine_names_when_asked(client):
    demo_portfolio()

    response = client.get(
        reverse("investments:portfolio-export", args=["csv"]), {"header": "names"}
    )

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].split(",") == list(COLUMNS)


@pytest.mark.django_db
def test_portfolio_xlsx_stores_numbers_and_dates_as_such(client):
    projects = demo_portfolio()
    full = projects[0]

    rows = _xlsx_rows(
        client.get(reverse("investments:portfolio-export", args=["xlsx"]))
    )

    row = next(r for r in rows[1:] if r[COLUMNS.index("code")] == "KH-SC-0001")
    cell = {name: row[index] for index, name in enumerate(COLUMNS)}
    assert cell["total_cost"] == float(full.total_cost) == 1250000.5
    assert isinstance(cell["financing_sought"], int | float)
    assert isinstance(cell["latitude"], float)
    assert cell["starts_on"] == datetime.datetime.combine(
        full.starts_on, datetime.time()
    )
    assert isinstance(cell["published_at"], datetime.datetime)
    assert cell["project_sector"] == "energy;transport.road"
    assert cell["contact_phone"] == "+380 57 700 00 00"
