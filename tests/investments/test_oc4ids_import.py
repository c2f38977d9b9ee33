"""OC4IDS import: round trip, foreign files, rejections, UA-EDR taxpayer numbers."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from directory.models import Organization
from investments.models import InvestmentProject
from investments.oc4ids import export, importing
from tests.investments.fixtures import demo_portfolio, sample, sample_json


@pytest.fixture(autouse=True)
def _in_english():
    """These tests read messages in English (the catalogue has Ukrainian ones too)."""
    with translation.override("en"):
        yield


BASE_URL = "https://mist.example.org"


def without_published_date(package: dict) -> dict:
    return {k: v for k, v in package.items() if k != "publishedDate"}


def wipe():
    InvestmentProject.objects.all().delete()
    Organization.objects.all().delete()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "uk"])
def test_export_import_export_gives_the_same_package(language, officer):
    demo_portfolio()
    first = export.build_package(language, base_url=BASE_URL)
    InvestmentProject.objects.all().delete()

    report = importing.apply_package(first, language=language, by=officer, publish=True)
    second = export.build_package(language, base_url=BASE_URL)

    assert report.created == 2
    assert report.rejected == 0
    assert without_published_date(second) == without_published_date(first)


@pytest.mark.django_db
def test_round_trip_into_an_empty_database_adds_no_organization(officer):
    demo_portfolio()
    first = export.build_package("uk", base_url=BASE_URL)
    wipe()

    importing.apply_package(first, language="uk", by=officer, publish=True)
    second = export.build_package("uk", base_url=BASE_URL)

    assert not Organization.objects.exists()
    assert set(InvestmentProject.objects.values_list("owner", flat=True)) == {None}
    # The owner party and the document links (the old site's) are kept verbatim.
    assert without_published_date(second) == without_published_date(first)


@pytest.mark.django_db
def test_importing_twice_updates_rather_than_duplicates(officer):
    demo_portfolio()
    package = export.build_package("en", base_url=BASE_URL)

    first = importing.apply_package(package, language="en", by=officer)
    second = importing.apply_package(package, language="en", by=officer)

    assert (first.updated, second.updated) == (2, 2)
    assert InvestmentProject.objects.count() == 3
    # Same phase: the finer readiness stage stays.
    assert InvestmentProject.objects.get(code="KH-SC-0001").readiness == "design"


@pytest.mark.django_db
def test_foreign_file_reports_unknown_fields_and_keeps_them(officer):
    data = sample_json("foreign_package.json")

    report = importing.check_package(data)

    first = report.projects[0]
    assert first.action == "create"
    assert "projects[0].unknownField.deep[0]" in first.unmapped
    assert "projects[0].milestones[0].title" in first.unmapped
    assert "projects[0].budget.requestDate" in first.unmapped
    assert "projects[0].parties[0].address.locality" in first.unmapped
    assert report.unmapped_package == ["$.extensions[0]"]
    assert InvestmentProject.objects.count() == 0

    importing.apply_package(data, by=officer, publish=True)
    project = InvestmentProject.objects.get(code="oc4ids-bu3kcz-0001")
    assert project.oc4ids_extra["en"]["unknownField"] == {"deep": [1, 2]}
    exported = export.build_package("en", base_url=BASE_URL)["projects"][0]
    assert exported["id"] == "oc4ids-bu3kcz-0001"
    assert exported["milestones"] == data["projects"][0]["milestones"]
    assert exported["parties"][0]["address"] == {
        "locality": "Kharkiv",
        "countryName": "Ukraine",
    }


@pytest.mark.django_db
def test_bad_records_are_rejected_with_reasons():
    report = importing.check_package(sample_json("foreign_package.json"))

    reasons = {item.index: item.reasons for item in report.projects}
    assert report.rejected == 2
    assert reasons[1] == [
        "The status completed is not in the closed projectStatus codelist."
    ]
    assert reasons[2] == ["The project has no id."]
    # Pounds sterling are an ISO 4217 currency: accepted, kept as they are.
    assert reasons[3] == []
    assert report.projects[3].action == "create"


@pytest.mark.django_db
def test_ten_digit_ua_edr_is_accepted_and_kept(officer):
    data = sample_json("foreign_package.json")

    report = importing.apply_package(data, by=officer)

    first = report.projects[0]
    assert first.action == "create"
    assert any("10-digit" in note for note in first.notes)
    project = InvestmentProject.objects.get(code="oc4ids-bu3kcz-0001")
    kept = project.oc4ids_extra["en"]["parties"]
    assert {"id": "3012345678", "scheme": "UA-EDR"} in [
        p.get("identifier") for p in kept
    ]
    assert not Organization.objects.filter(edrpou="3012345678").exists()


@pytest.mark.django_db
def test_owner_matched_by_edrpou():
    owner = Organization.objects.create(
        slug="council",
        name_uk="Харківська міська рада",
        name_en="Kharkiv City Council",
        kind="city_body",
        edrpou="04059243",
    )

    report = importing.apply_package(sample_json("foreign_package.json"))

    project = InvestmentProject.objects.get(pk=report.projects[0].project_pk)
    assert project.owner == owner
    assert project.status == InvestmentProject.Status.DRAFT


@pytest.mark.django_db
def test_import_command_dry_run_writes_nothing(capsys):
    # CommandError: manage.py exits with status 1.
    with pytest.raises(CommandError, match="2 rejected"):
        call_command("import_oc4ids", str(sample("foreign_package.json")), "--dry-run")

    out = capsys.readouterr().out
    assert "dry run: 2 created, 0 updated, 2 rejected" in out
    assert "not mapped (kept): projects[0].unknownField.deep[0]" in out
    assert InvestmentProject.objects.count() == 0


@pytest.mark.django_db
def test_import_page_dry_run_then_apply(client, officer):
    client.force_login(officer)
    with sample("foreign_package.json").open("rb") as handle:
        response = client.post(reverse("investments:oc4ids-import"), {"file": handle})
    report = response.context["report"]
    assert report.created == 2
    assert report.rejected == 2
    assert InvestmentProject.objects.count() == 0

    response = client.post(
        reverse("investments:oc4ids-import-apply"),
        {"token": response.context["token"], "language": ""},
    )

    assert response.context["report"].applied
    assert InvestmentProject.objects.filter(code="oc4ids-bu3kcz-0001").exists()


@pytest.mark.django_db
def test_import_page_rejects_a_non_package(client, officer):
    client.force_login(officer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("x.json", json.dumps([1, 2]).encode())
    response = client.post(reverse("investments:oc4ids-import"), {"file": upload})

    assert "not a JSON object" in response.context["error"]


@pytest.mark.django_db
def test_import_page_refuses_a_package_that_is_not_utf8(client, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(officer)
    content = '{"projects": [{"id": "x", "title": "Міст"}]}'.encode("cp1251")
    upload = SimpleUploadedFile("package.json", content)

    response = client.post(reverse("investments:oc4ids-import"), {"file": upload})

    # "Мі" is CC B3, a valid UTF-8 sequence; "с" (F1) is the first that is not.
    offset = content.index("с".encode("cp1251"))
    assert response.context["error"] == (
        "The file is not valid UTF-8 text: line 1 has a byte UTF-8 does not allow "
        f"(0xF1 at byte offset {offset}). Save the file as UTF-8 (in Excel: "
        "“CSV UTF-8”) and upload it again."
    )
    assert response.context["report"] is None


@pytest.mark.django_db
def test_import_page_names_where_the_json_breaks(client, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(officer)
    upload = SimpleUploadedFile("package.json", b'{"projects": [\n  {"id": }\n]}')

    response = client.post(reverse("investments:oc4ids-import"), {"file": upload})

    assert response.context["error"] == (
        "The file is not valid JSON (line 2, column 10)."
    )


@pytest.mark.django_db
def test_import_page_reads_a_package_with_a_utf8_bom(client, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(officer)
    content = b"\xef\xbb\xbf" + sample("foreign_package.json").read_bytes()
    upload = SimpleUploadedFile("package.json", content)

    response = client.post(reverse("investments:oc4ids-import"), {"file": upload})

    assert response.context["error"] == ""
    assert response.context["report"].created == 2


@pytest.mark.django_db
def test_every_reason_of_a_rejection_is_reported():
    package = {
        "projects": [
            {
                "id": "oc4ids-abc123-1",
                "status": "completed",
                "type": "building",
                "budget": {"amount": {"amount": "many", "currency": "XXY"}},
            }
        ]
    }

    report = importing.check_package(package, language="en")

    assert report.projects[0].reasons == [
        "The status completed is not in the closed projectStatus codelist.",
        "The type building is not in the closed projectType codelist.",
        "projects[0].budget.amount.amount is not a number.",
        "projects[0].budget.amount.currency XXY is not an ISO 4217 currency.",
    ]


@pytest.mark.django_db
def test_unmapped_paths_keep_their_index():
    package = {
        "projects": [
            {
                "id": "oc4ids-abc123-1",
                "title": "T",
                "identifiers": [
                    {"id": "DREAM-1", "scheme": "UA-DREAM"},
                    {"id": "X-2", "scheme": "OTHER", "note": "kept"},
                ],
                "sector": ["transport", 7],
            }
        ]
    }

    report = importing.check_package(package, language="en")

    assert report.projects[0].unmapped == [
        "projects[0].identifiers[1].scheme",
        "projects[0].identifiers[1].note",
        "projects[0].sector[1]",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"id": "oc4ids-abc123-1", "title": "One project"},
            "This is a single project, not a project package: wrap it in "
            '{"projects": [...]}.',
        ),
        (
            [{"id": "oc4ids-abc123-1"}],
            "This is a list of projects, not a project package: wrap it in "
            '{"projects": [...]}.',
        ),
        (
            {"releases": []},
            "This is an OCDS release or record package (contracting data), not an "
            "OC4IDS project package.",
        ),
    ],
)
def test_a_file_that_is_not_a_package_is_named(data, message):
    with pytest.raises(importing.PackageError) as error:
        importing.load_package(data)

    assert str(error.value) == message
