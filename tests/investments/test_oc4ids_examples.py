"""Packages from other publishers (tests/investments/fixtures/oc4ids_examples):
valid, accepted, and exported again with every value as it came."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import translation

from directory.models import Organization
from investments.models import InvestmentProject
from investments.oc4ids import export, importing, mapping
from tests.investments import oc4ids_validator
from tests.investments.fixtures import sample_json
from tests.investments.test_pdf_passport import text_of as pdf_text

EXAMPLES = {
    # file: the language its texts are in (the third says none: English by default)
    "highways_gbp.json": "en",
    "lviv_uah.json": "uk",
    "warsaw_pln_no_language.json": "en",
}
BASE_URL = "https://mist.example.org"
PERSON_NUMBER = "3012345670"


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def example(name: str) -> dict:
    return sample_json(f"oc4ids_examples/{name}")


def by_id(projects: list[dict]) -> dict[str, dict]:
    return {project["id"]: project for project in projects}


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_passes_the_official_validator(name):
    oc4ids_validator.assert_valid(example(name))


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXAMPLES)
def test_example_round_trip_gives_every_value_back(name, officer):
    original = example(name)

    report = importing.apply_package(original, by=officer, publish=True)
    package = export.build_package(EXAMPLES[name], base_url=BASE_URL)

    assert [item.reasons for item in report.projects] == [[]] * len(
        original["projects"]
    )
    oc4ids_validator.assert_valid(package)
    expected = by_id(
        [mapping.without_personal_numbers(p) for p in original["projects"]]
    )
    assert by_id(package["projects"]) == expected


@pytest.mark.django_db
def test_import_from_another_publisher_adds_no_organization(officer):
    importing.apply_package(example("lviv_uah.json"), by=officer, publish=True)

    assert not Organization.objects.exists()
    project = InvestmentProject.objects.get(code="oc4ids-ua4lv9-2025-0001")
    assert project.owner is None
    assert project.title_uk == "Реабілітаційний центр «Незламні»: друга черга"


@pytest.mark.django_db
def test_passport_of_an_imported_project_without_an_owner_names_its_authority(
    officer, client
):
    importing.apply_package(example("lviv_uah.json"), by=officer, publish=True)
    project = InvestmentProject.objects.get(code="oc4ids-ua4lv9-2025-0001")
    url = reverse("investments:project-passport", kwargs={"slug": project.slug})

    response = client.get(url)

    assert response.status_code == 200
    assert project.owner_name
    assert project.owner_name in pdf_text(response.content)


@pytest.mark.django_db
def test_long_id_is_kept_and_gets_a_short_code(officer):
    data = example("highways_gbp.json")
    long_id = data["projects"][0]["id"]

    report = importing.apply_package(data, by=officer, publish=True)

    project = InvestmentProject.objects.get(pk=report.projects[0].project_pk)
    assert len(long_id) > 150
    assert len(project.code) == 40
    assert project.oc4ids_extra["id"] == long_id
    again = importing.check_package(data)
    assert again.projects[0].action == "update"


@pytest.mark.django_db
def test_statuses_outside_the_readiness_phases_are_kept(officer):
    importing.apply_package(
        example("warsaw_pln_no_language.json"), by=officer, publish=True
    )

    exported = by_id(export.build_package("en", base_url=BASE_URL)["projects"])
    assert exported["oc4ids-pl7w2q-2019-0042"]["status"] == "decommissioning"
    assert exported["oc4ids-pl7w2q-2008-0007"]["status"] == "decommissioned"
    project = InvestmentProject.objects.get(code="oc4ids-pl7w2q-2019-0042")
    assert project.readiness == InvestmentProject.Readiness.COMPLETED
    assert (project.total_cost, project.currency) == (125000000, "PLN")


@pytest.mark.django_db
def test_package_without_language_asks_and_defaults_to_english():
    report = importing.check_package(example("warsaw_pln_no_language.json"))

    assert report.language_needed
    assert "read as en" in report.projects[0].notes[0]

    chosen = importing.check_package(
        example("warsaw_pln_no_language.json"), language="uk"
    )
    assert not chosen.language_needed


@pytest.mark.django_db
def test_package_language_is_used_when_the_project_has_none(officer):
    report = importing.check_package(example("lviv_uah.json"))

    assert not report.language_needed
    importing.apply_package(example("lviv_uah.json"), by=officer)
    project = InvestmentProject.objects.get(code="oc4ids-ua4lv9-2025-0001")
    assert project.title_en == ""


@pytest.mark.django_db
def test_dates_are_kept_as_given(officer):
    importing.apply_package(example("highways_gbp.json"), by=officer)

    project = InvestmentProject.objects.get(code="oc4ids-bu3kcz-M6-J21A")
    assert project.updated_at == datetime.datetime(
        2025, 6, 1, 7, 0, tzinfo=datetime.UTC
    )
    long_one = InvestmentProject.objects.exclude(pk=project.pk).get()
    # 23:59:59+01:00 is the publisher's 31 March, whatever the city's time zone.
    assert long_one.ends_on == datetime.date(2030, 3, 31)


@pytest.mark.django_db
def test_person_taxpayer_number_is_never_exported(officer, client):
    importing.apply_package(example("lviv_uah.json"), by=officer, publish=True)

    texts = [
        export.package_json(export.build_package(language, base_url=BASE_URL))
        for language in ("uk", "en")
    ]
    texts.append(
        client.get("/api/v1/investment-projects/oc4ids/?language=uk").content.decode()
    )
    texts.append(client.get(reverse("api:investment-project-list")).content.decode())
    rows = list(export.table_rows(base_url=BASE_URL))

    for text in texts:
        assert PERSON_NUMBER not in text
    assert PERSON_NUMBER not in json.dumps(rows, default=str)
    parties = by_id(json.loads(texts[0])["projects"])["oc4ids-ua4lv9-2025-0001"][
        "parties"
    ]
    assert parties[2] == {
        "id": "person-3",
        "name": "ФОП Приклад Іван Іванович",
        "roles": ["consultant"],
    }


@pytest.mark.django_db
def test_both_language_packages_stay_valid_after_importing_every_example(officer):
    for name in EXAMPLES:
        importing.apply_package(example(name), by=officer, publish=True)

    for language in ("en", "uk"):
        package = export.build_package(language, base_url=BASE_URL)

        oc4ids_validator.assert_valid(package)
        assert len(package["projects"]) == 6


@pytest.mark.django_db
def test_import_page_asks_the_language_of_a_package_that_says_none(client, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.investments.fixtures import sample

    client.force_login(officer)
    content = sample("oc4ids_examples/warsaw_pln_no_language.json").read_bytes()

    response = client.post(
        reverse("investments:oc4ids-import"),
        {"file": SimpleUploadedFile("package.json", content)},
    )

    assert response.context["report"].language_needed
    text = response.content.decode()
    assert 'name="language" id="id_apply_language"' in text
    assert '<option value="en" selected>' in text
    response = client.post(
        reverse("investments:oc4ids-import-apply"),
        {"token": response.context["token"], "language": "uk"},
    )
    project = InvestmentProject.objects.get(code="oc4ids-pl7w2q-2019-0042")
    assert project.title_uk == "Zerań heat plant coal unit closure"
    assert project.title_en == ""
