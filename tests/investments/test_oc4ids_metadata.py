"""OC4IDS export metadata, the publication policy, the prefix check, and parties an
import brought that are not in the directory."""

import pytest
from django.core.checks import run_checks
from django.urls import reverse
from django.utils import translation

from directory.models import Organization
from investments import services
from investments.models import InvestmentProject
from investments.oc4ids import export, importing
from tests.factories import OrganizationFactory
from tests.investments import oc4ids_validator
from tests.investments.factories import ProjectFactory
from tests.investments.fixtures import demo_portfolio, sample_json

BASE_URL = "https://mist.example.org"
CYRILLIC = set("абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "uk"])
def test_package_names_its_publisher_policy_and_uri_in_its_language(language):
    demo_portfolio()

    package = export.build_package(language, base_url=BASE_URL)

    assert package["publisher"] == {
        "name": package["publisher"]["name"],
        "scheme": "UA-EDR",
        "uid": "04059243",
        "uri": f"{BASE_URL}/{language}/investments/open-data/",
    }
    assert package["uri"] == (
        f"{BASE_URL}/{language}/investments/open-data/oc4ids.json?language={language}"
    )
    assert package["publicationPolicy"] == (
        f"{BASE_URL}/{language}/investments/open-data/publication-policy/"
    )


@pytest.mark.django_db
def test_export_view_says_the_package_language(client):
    demo_portfolio()

    with translation.override("uk"):
        url = reverse("investments:oc4ids-export")
    response = client.get(f"{url}?language=en")

    assert url.startswith("/uk/")
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_english_package_has_no_ukrainian_names_where_english_can_be_made():
    owner = OrganizationFactory(
        name_uk="Управління капітального будівництва", name_en="", edrpou="04059243"
    )
    ProjectFactory(
        code="KH-TR-0001",
        title_en="Depot",
        owner=owner,
        contact_name="Олена Петренко",
    )

    package = export.build_package("en", base_url=BASE_URL)

    (project,) = package["projects"]
    party = project["parties"][0]
    assert party["name"] == "Upravlinnia kapitalnoho budivnytstva"
    assert party["identifier"]["legalName"] == "Upravlinnia kapitalnoho budivnytstva"
    assert party["contactPoint"]["name"] == "Olena Petrenko"
    assert project["publicAuthority"]["name"] == party["name"]
    oc4ids_validator.assert_valid(package)


def test_placeholder_prefix_is_a_deploy_warning(settings):
    settings.MIST_OC4IDS_PREFIX = "oc4ids-xxxxxx"

    ids = [message.id for message in run_checks(include_deployment_checks=True)]

    assert "investments.W001" in ids
    settings.MIST_OC4IDS_PREFIX = "oc4ids-ab12cd"
    ids = [message.id for message in run_checks(include_deployment_checks=True)]
    assert "investments.W001" not in ids


@pytest.mark.django_db
def test_publication_policy_page_in_both_languages(client):
    for language, words in (("en", "What is never published"), ("uk", "Політика")):
        with translation.override(language):
            url = reverse("investments:publication-policy")

        response = client.get(url)

        assert response.status_code == 200
        assert words in response.content.decode()


def lviv(officer):
    importing.apply_package(
        sample_json("oc4ids_examples/lviv_uah.json"), by=officer, publish=True
    )
    return InvestmentProject.objects.get(code="oc4ids-ua4lv9-2025-0001")


@pytest.mark.django_db
def test_project_page_shows_parties_not_in_the_directory(client, officer):
    project = lviv(officer)
    client.force_login(officer)

    response = client.get(project.get_absolute_url())

    text = response.content.decode()
    assert text.count("not in the directory") == 3 or "не в каталозі" in text
    assert "Add to the directory" in text or "Додати до каталогу" in text
    assert "3012345670" not in text


@pytest.mark.django_db
def test_visitors_see_the_parties_without_the_button(client, officer):
    project = lviv(officer)

    with translation.override("en"):
        response = client.get(project.get_absolute_url())

    parties = response.context["imported_parties"]
    assert [p.organization for p in parties] == [None, None, None]
    assert response.context["can_add_party"] is False


@pytest.mark.django_db
def test_staff_add_the_public_authority_and_it_keeps_its_id(client, officer):
    project = lviv(officer)
    client.force_login(officer)

    response = client.post(
        reverse("investments:project-party-add", args=[project.slug]),
        {"party": "UA-EDR-04055896"},
    )

    assert response.status_code == 302
    organization = Organization.objects.get(edrpou="04055896")
    assert organization.verification == Organization.Verification.PENDING
    project.refresh_from_db()
    assert project.owner == organization
    exported = export.build_package("uk", base_url=BASE_URL)["projects"]
    mine = next(p for p in exported if p["id"] == "oc4ids-ua4lv9-2025-0001")
    assert mine["publicAuthority"]["id"] == "UA-EDR-04055896"
    assert "UA-EDR-04055896" in [party["id"] for party in mine["parties"]]


@pytest.mark.django_db
def test_a_person_is_added_without_their_taxpayer_number(officer):
    project = lviv(officer)

    organization = services.add_party_to_directory(project, "person-3", by=officer)

    assert organization.edrpou is None
    assert "3012345670" not in str(Organization.objects.values().get())


@pytest.mark.django_db
def test_only_the_city_side_adds_parties(client, officer):
    from django.core.exceptions import PermissionDenied

    from tests.factories import UserFactory

    project = lviv(officer)

    with pytest.raises(PermissionDenied):
        services.add_party_to_directory(project, "XM-DAC-41114", by=UserFactory())
    assert not Organization.objects.exists()


def test_cyrillic_set_is_used():
    assert "ї" in CYRILLIC


@pytest.mark.django_db
def test_catalogue_and_api_list_a_project_whose_owner_is_not_in_the_directory(
    client, officer
):
    lviv(officer)

    page = client.get(reverse("investments:project-list"))
    api = client.get(reverse("api:investment-project-list"))

    assert "Приклад: Львівська міська рада" in page.content.decode()
    rows = {row["code"]: row for row in api.json()["results"]}
    assert rows["oc4ids-ua4lv9-2025-0001"]["owner"] is None
