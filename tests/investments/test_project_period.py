"""A project ending before it starts is refused, everywhere it can be written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from investments.models import InvestmentProject
from investments.oc4ids import importing
from tests.factories import OrganizationFactory
from tests.investments.factories import ProjectFactory

pytestmark = pytest.mark.django_db

STARTS = datetime.date(2027, 6, 1)
ENDS = datetime.date(2027, 5, 31)
MESSAGE_EN = "The project cannot end before it starts (2027-06-01)."
MESSAGE_UK = "Проєкт не може завершитися раніше, ніж почнеться (2027-06-01)."


def test_model_clean_puts_the_error_on_the_end_date():
    project = ProjectFactory.build(starts_on=STARTS, ends_on=ENDS)

    with pytest.raises(ValidationError) as caught:
        project.clean()

    with translation.override("en"):
        assert caught.value.message_dict == {"ends_on": [MESSAGE_EN]}


def test_a_project_of_one_day_is_fine():
    ProjectFactory.build(starts_on=STARTS, ends_on=STARTS).clean()


def form_data(owner, **changes):
    data = {
        "code": "kh-period-1",
        "title_uk": "Тест",
        "title_en": "Test",
        "strategy_area": "smart_mobility",
        "project_type": "construction",
        "project_sector": ["transport.urban"],
        "owner": owner.pk,
        "readiness": "concept",
        "total_cost": "1000000",
        "currency": "UAH",
        "financing_sought": "500000",
        "financing_currency": "UAH",
        "instruments": ["grant"],
        "budget-TOTAL_FORMS": "0",
        "budget-INITIAL_FORMS": "0",
        "funding-TOTAL_FORMS": "0",
        "funding-INITIAL_FORMS": "0",
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("language", "message"), [("en", MESSAGE_EN), ("uk", MESSAGE_UK)]
)
def test_project_form_refuses_end_before_start(client, officer, language, message):
    owner = OrganizationFactory(kind="city_body")
    client.force_login(officer)
    with translation.override(language):
        url = reverse("investments:project-create")

    response = client.post(
        url, form_data(owner, starts_on="2027-06-01", ends_on="2027-05-31")
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"ends_on": [message]}
    assert not InvestmentProject.objects.filter(code="KH-PERIOD-1").exists()


def test_api_refuses_to_create_a_project_ending_before_it_starts(client, officer):
    owner = OrganizationFactory(kind="city_body")
    client.force_login(officer)

    response = client.post(
        reverse("api:investment-project-list"),
        {
            "code": "API-PERIOD",
            "title_uk": "Проєкт",
            "strategy_area": "environment",
            "owner": owner.pk,
            "total_cost": "100000",
            "financing_sought": "50000",
            "starts_on": "2027-06-01",
            "ends_on": "2027-05-31",
        },
        content_type="application/json",
        headers={"accept-language": "en"},
    )

    assert response.status_code == 400, response.json()
    assert response.json()["errors"]["ends_on"] == [MESSAGE_EN]
    assert not InvestmentProject.objects.filter(code="API-PERIOD").exists()


def test_api_refuses_an_end_date_before_the_stored_start(client, officer):
    project = ProjectFactory(starts_on=STARTS, ends_on=None)
    client.force_login(officer)
    url = reverse("api:investment-project-detail", kwargs={"slug": project.slug})

    response = client.patch(
        url,
        {"ends_on": "2027-05-31", "version": project.version},
        content_type="application/json",
        headers={"accept-language": "uk"},
    )

    assert response.status_code == 400, response.json()
    assert response.json()["errors"]["ends_on"] == [MESSAGE_UK]
    project.refresh_from_db()
    assert project.ends_on is None


def test_oc4ids_import_keeps_a_period_ending_before_it_starts_unmapped():
    """The schema accepts such a period, so the import does: the dates stay out of
    the portfolio's columns and go out again as they came."""
    package = {
        "projects": [
            {
                "id": "oc4ids-abc123-P1",
                "title": "Міст",
                "period": {
                    "startDate": "2027-06-01T00:00:00+03:00",
                    "endDate": "2027-05-31T00:00:00+03:00",
                },
            }
        ]
    }

    with translation.override("en"):
        report = importing.check_package(package, language="uk")

    item = report.projects[0]
    assert item.action == "create"
    assert item.reasons == []
    assert f"projects[0].period: {MESSAGE_EN} Kept as it is." in item.notes
    assert "projects[0].period.startDate" in item.unmapped
