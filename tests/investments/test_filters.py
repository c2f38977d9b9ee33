"""investments.filters: the catalogue page and GET /api/v1/investment-projects/
filter and order through the same FilterSet code."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from investments.models import InvestmentProject
from tests.investments.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects():
    return [
        ProjectFactory(title_en="Bridge", project_sector=["transport"]),
        ProjectFactory(title_en="Airport", project_sector=["transport.air"]),
        ProjectFactory(title_en="Solar park", instruments=["equity"]),
        ProjectFactory(title_en="Draft school", status=InvestmentProject.Status.DRAFT),
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "title"},
        {"sector": "transport", "sort": "title"},
        {"instrument": "equity"},
        {"q": "solar"},
    ],
)
def test_page_and_api_list_the_same_projects(client, projects, params):
    page = client.get(reverse("investments:project-list"), params)
    api = APIClient().get(
        "/api/v1/investment-projects/", params, HTTP_ACCEPT_LANGUAGE="uk"
    )

    assert [card.code for card in page.context["cards"]] == [
        row["code"] for row in api.json()["results"]
    ]


def test_unknown_district_code_matches_nothing_in_the_api(projects):
    response = APIClient().get(
        "/api/v1/investment-projects/", {"district": "UA00000000000000000"}
    )

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_bad_amount_is_explained_in_the_api(projects):
    response = APIClient().get(
        "/api/v1/investment-projects/",
        {"amount_min": "lots", "sdg": "18"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "amount_min": ["A valid number is required."],
        "sdg": ["Ensure this value is less than or equal to 17."],
    }
