from decimal import Decimal

import pytest
from django.urls import reverse

from investments.models import Interest, InvestmentProject
from tests.investments.factories import InterestFactory, ProjectFactory

pytestmark = pytest.mark.django_db
Status = InvestmentProject.Status


def test_api_lists_public_projects_for_anonymous(client):
    public = ProjectFactory()
    ProjectFactory(status=Status.DRAFT)

    data = client.get(reverse("api:investment-project-list")).json()

    assert [row["slug"] for row in data["results"]] == [public.slug]


def test_api_lists_drafts_for_officer(client, officer):
    ProjectFactory()
    ProjectFactory(status=Status.DRAFT)
    client.force_login(officer)

    data = client.get(
        reverse("api:investment-project-list"), {"status": "draft"}
    ).json()

    assert data["count"] == 1


def test_api_filters(client, rates):
    wanted = ProjectFactory(
        project_sector=["energy.solar"], instruments=["equity"], readiness="design"
    )
    ProjectFactory(project_sector=["energy"], instruments=["loan"], readiness="design")

    data = client.get(
        reverse("api:investment-project-list"),
        {
            "sector": "energy",
            "instrument": "equity",
            "readiness": "design",
            "amount_min": "100000",
            "currency": "EUR",
        },
    ).json()

    assert [row["slug"] for row in data["results"]] == [wanted.slug]


def test_api_rejects_bad_filter(client):
    response = client.get(reverse("api:investment-project-list"), {"sdg": "18"})

    assert response.status_code == 400


@pytest.mark.parametrize("count", [1, 5])
def test_api_list_query_count(client, count, django_assert_max_num_queries):
    ProjectFactory.create_batch(count)

    with django_assert_max_num_queries(4):
        response = client.get(
            reverse("api:investment-project-list"),
            {"sector": "energy", "instrument": "loan", "sdg": "7"},
        )

    assert response.json()["count"] == count


def test_api_officer_creates_and_edits_project(client, officer):
    owner = ProjectFactory().owner
    client.force_login(officer)

    response = client.post(
        reverse("api:investment-project-list"),
        {
            "code": "API-1",
            "title_uk": "Проєкт",
            "strategy_area": "environment",
            "owner": owner.pk,
            "total_cost": "100000",
            "financing_sought": "50000",
            "budget_lines": [
                {
                    "category": "design",
                    "kind": "capex",
                    "amount": "100000",
                    "currency": "UAH",
                }
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    slug = response.json()["slug"]
    url = reverse("api:investment-project-detail", kwargs={"slug": slug})

    ok = client.patch(
        url, {"title_en": "Project", "version": 1}, content_type="application/json"
    )
    stale = client.patch(
        url, {"title_en": "Other", "version": 1}, content_type="application/json"
    )

    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    assert stale.status_code == 409
    assert InvestmentProject.objects.get(slug=slug).title_en == "Project"


def test_api_change_without_a_version_is_428_and_saves_nothing(client, officer):
    project = ProjectFactory(title_en="Before")
    client.force_login(officer)
    url = reverse("api:investment-project-detail", kwargs={"slug": project.slug})

    response = client.patch(
        url,
        {"title_en": "After"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 428
    assert response.json()["errors"] == {
        "version": [
            "Send the version of the object you read (the field `version`), so "
            "that changes made since by someone else are not overwritten. Nothing "
            "was saved."
        ]
    }
    project.refresh_from_db()
    assert (project.title_en, project.version) == ("Before", 1)


def test_api_status_change_answers_the_new_status(client, officer):
    project = ProjectFactory(status=Status.DRAFT)
    client.force_login(officer)
    url = reverse("api:investment-project-status", kwargs={"slug": project.slug})

    response = client.post(
        url,
        {"status": "internal_review", "note": "Ready"},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "internal_review"
    assert response.json()["version"] == 2


def test_api_status_transition_errors(client, officer):
    project = ProjectFactory(status=Status.DRAFT)
    client.force_login(officer)
    url = reverse("api:investment-project-status", kwargs={"slug": project.slug})

    response = client.post(url, {"status": "funded"}, content_type="application/json")

    assert response.status_code == 400


def test_api_interests_only_own(client, investor):
    mine = InterestFactory(investor=investor)
    InterestFactory()
    client.force_login(investor)

    data = client.get(reverse("api:investment-interest-list")).json()

    assert [row["id"] for row in data["results"]] == [mine.pk]


@pytest.mark.parametrize("count", [1, 5])
def test_api_interest_list_query_count(
    client, officer, count, django_assert_max_num_queries
):
    InterestFactory.create_batch(count)
    client.force_login(officer)

    with django_assert_max_num_queries(5):
        response = client.get(reverse("api:investment-interest-list"))

    assert response.json()["count"] == count


def test_api_investor_expresses_interest(client, investor):
    project = ProjectFactory()
    client.force_login(investor)

    response = client.post(
        reverse("api:investment-interest-list"),
        {
            "project": project.slug,
            "instrument": "loan",
            "amount": "1000",
            "currency": "USD",
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    interest = Interest.objects.get()
    assert (interest.investor, interest.amount) == (investor, Decimal("1000"))


def test_api_officer_moves_interest(client, officer):
    interest = InterestFactory()
    client.force_login(officer)

    response = client.post(
        reverse("api:investment-interest-move", kwargs={"pk": interest.pk}),
        {"stage": "declined"},
        content_type="application/json",
    )
    assert response.status_code == 400
    response = client.post(
        reverse("api:investment-interest-move", kwargs={"pk": interest.pk}),
        {"stage": "declined", "reason": "Out of scope"},
        content_type="application/json",
    )

    assert response.json()["stage"] == "declined"


def test_fast_list_rows_equal_drf_rows(rf):
    from api.investments import ProjectListSerializer

    class Plain(ProjectListSerializer):
        """The declared fields through DRF's own machinery."""

    project = ProjectFactory(starts_on=None)
    request = rf.get("/")

    fast = ProjectListSerializer(project, context={"request": request}).data
    plain = Plain(project, context={"request": request}).data

    assert dict(fast) == dict(plain)
