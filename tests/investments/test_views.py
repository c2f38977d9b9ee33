import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from core.models import AuditEntry
from core.storage import is_random_name, private_storage
from investments.models import (
    Interest,
    InvestmentProject,
    ProjectDocument,
    ProjectPhoto,
)
from tests.investments.factories import (
    BudgetLineFactory,
    DocumentFactory,
    FundingSourceFactory,
    IndicatorFactory,
    InterestFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db
Status = InvestmentProject.Status


def test_catalogue_lists_public_projects_only(client):
    ProjectFactory(title_en="Smart lighting", status=Status.PUBLISHED)
    ProjectFactory(title_en="Secret draft", status=Status.DRAFT)

    with translation.override("en"):
        response = client.get(reverse("investments:project-list"))

    content = response.content.decode()
    assert "Smart lighting" in content
    assert "Secret draft" not in content
    assert response.context["totals"].count == 1


def test_catalogue_totals_convert_with_named_rate(client, rates):
    ProjectFactory(financing_sought=Decimal("1000000"), financing_currency="USD")
    ProjectFactory(financing_sought=Decimal("41500000"), financing_currency="UAH")

    response = client.get(reverse("investments:project-list"), {"currency": "USD"})

    totals = response.context["totals"]
    assert totals.total == Decimal("2000000.00")
    assert totals.rate_date == datetime.date(2026, 11, 27)
    assert "2.0" in response.content.decode()


def test_catalogue_filters_and_search(client, rates):
    wanted = ProjectFactory(
        title_uk="Розумні світлофори",
        title_en="Smart traffic lights",
        project_sector=["transport.urban"],
        instruments=["loan"],
        sdgs=[11],
        readiness="feasibility",
        financing_sought=Decimal("2000000"),
    )
    ProjectFactory(project_sector=["energy"], instruments=["loan"], sdgs=[1])
    ProjectFactory(project_sector=["transport"], instruments=["grant"], sdgs=[11])
    ProjectFactory(
        project_sector=["transport.road"],
        instruments=["loan"],
        sdgs=[11],
        financing_sought=Decimal("10"),
    )

    response = client.get(
        reverse("investments:project-list"),
        {
            "sector": "transport",
            "instrument": "loan",
            "sdg": "11",
            "amount_min": "1000000",
            "currency": "USD",
            "q": "світлофорів",
        },
    )

    assert [c.code for c in response.context["cards"]] == [wanted.code]


def test_catalogue_sdg_filter_does_not_match_longer_numbers(client):
    ProjectFactory(sdgs=[11, 12])
    one = ProjectFactory(sdgs=[1])

    response = client.get(reverse("investments:project-list"), {"sdg": "1"})

    assert [c.code for c in response.context["cards"]] == [one.code]


@pytest.mark.parametrize("count", [1, 5])
def test_catalogue_query_count(client, rates, count, django_assert_max_num_queries):
    ProjectFactory.create_batch(count)

    with django_assert_max_num_queries(8):
        response = client.get(
            reverse("investments:project-list"),
            {"sector": "energy", "instrument": "loan", "sdg": "7", "sort": "-amount"},
        )

    assert len(response.context["cards"]) == count


def test_catalogue_map_returns_points(client):
    project = ProjectFactory()
    ProjectFactory(status=Status.DRAFT)

    response = client.get(reverse("investments:catalogue-map"))

    points = response.json()["points"]
    assert [p["url"] for p in points] == [project.get_absolute_url()]


def test_draft_page_hidden_outside_city(client, investor, officer):
    project = ProjectFactory(status=Status.DRAFT)
    url = project.get_absolute_url()

    assert client.get(url).status_code == 404
    client.force_login(investor)
    assert client.get(url).status_code == 404
    client.force_login(officer)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_public_project_page_query_count(
    client, rates, count, django_assert_num_queries, rendered_pages
):
    """The project and its parts, one query each, then its documents; today's
    rates come from the catalogue's cache after the first view."""
    project = ProjectFactory(financing_currency="UAH")
    BudgetLineFactory.create_batch(count, project=project)
    FundingSourceFactory.create_batch(count, project=project)
    IndicatorFactory.create_batch(count, project=project)
    DocumentFactory.create_batch(count, project=project)
    client.get(project.get_absolute_url())  # the rates, once

    with django_assert_num_queries(7):
        response = client.get(project.get_absolute_url())

    assert response.context["conversion"] is not None
    assert len(response.context["documents"]) == count


@pytest.mark.parametrize("count", [1, 4])
def test_project_page_query_count(
    client, investor, count, django_assert_max_num_queries
):
    project = ProjectFactory()
    BudgetLineFactory.create_batch(count, project=project)
    FundingSourceFactory.create_batch(count, project=project)
    IndicatorFactory.create_batch(count, project=project)
    DocumentFactory.create_batch(
        count, project=project, access=ProjectDocument.Access.LIMITED
    )
    client.force_login(investor)

    with django_assert_max_num_queries(20):
        response = client.get(project.get_absolute_url())

    assert response.status_code == 200
    assert (
        "Express interest" in response.content.decode()
        or "Висловити інтерес" in response.content.decode()
    )


def test_officer_creates_project_through_form(client, officer):
    from tests.factories import OrganizationFactory

    owner = OrganizationFactory(kind="city_body")
    client.force_login(officer)
    data = {
        "code": "kh-test-1",
        "title_uk": "Тест",
        "title_en": "Test",
        "strategy_area": "smart_mobility",
        "project_type": "construction",
        "project_sector": ["transport.urban"],
        "sdgs": ["11"],
        "owner": owner.pk,
        "readiness": "concept",
        "total_cost": "1000000",
        "currency": "UAH",
        "financing_sought": "500000",
        "financing_currency": "UAH",
        "instruments": ["grant"],
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "0",
        "budget-0-category": "design",
        "budget-0-kind": "capex",
        "budget-0-amount": "1000000",
        "budget-0-currency": "UAH",
        "funding-TOTAL_FORMS": "0",
        "funding-INITIAL_FORMS": "0",
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
    }

    response = client.post(reverse("investments:project-create"), data)

    project = InvestmentProject.objects.get(code="KH-TEST-1")
    assert response.status_code == 302
    assert project.budget_lines.get().amount == Decimal("1000000")
    assert project.status == Status.DRAFT


def test_officer_edit_conflict_keeps_input(client, officer):
    project = ProjectFactory(version=3)
    client.force_login(officer)
    response = client.get(
        reverse("investments:project-edit", kwargs={"slug": project.slug})
    )
    assert response.status_code == 200

    form = response.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "version": "2",
            "title_en": "My new title",
            "owner": project.owner_id,
            "project_sector": ["energy"],
            "instruments": ["loan"],
            "sdgs": ["7"],
            "tags": [],
            "sectors": [],
            "budget-TOTAL_FORMS": "0",
            "budget-INITIAL_FORMS": "0",
            "funding-TOTAL_FORMS": "0",
            "funding-INITIAL_FORMS": "0",
            "indicators-TOTAL_FORMS": "0",
            "indicators-INITIAL_FORMS": "0",
        }
    )
    data = {k: v for k, v in data.items() if k not in ("place", "starts_on", "ends_on")}
    response = client.post(
        reverse("investments:project-edit", kwargs={"slug": project.slug}), data
    )

    assert response.status_code == 200
    assert "My new title" in response.content.decode()
    project.refresh_from_db()
    assert project.title_en != "My new title"


def test_status_change_through_page(client, officer):
    project = ProjectFactory(status=Status.INTERNAL_REVIEW, published_at=None)
    client.force_login(officer)

    client.post(
        reverse("investments:project-status", kwargs={"slug": project.slug}),
        {"status": "published"},
    )

    project.refresh_from_db()
    assert project.status == Status.PUBLISHED


def test_invalid_transition_shows_error(client, officer):
    project = ProjectFactory(status=Status.DRAFT)
    client.force_login(officer)

    response = client.post(
        reverse("investments:project-status", kwargs={"slug": project.slug}),
        {"status": "funded"},
        follow=True,
    )

    project.refresh_from_db()
    assert project.status == Status.DRAFT
    assert next(iter(response.context["messages"])).level_tag == "error"


def test_investor_expresses_interest_then_confirms_terms(
    client, investor, officer, django_capture_on_commit_callbacks
):
    project = ProjectFactory(created_by=officer)
    client.force_login(investor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("investments:interest-create", kwargs={"slug": project.slug}),
            {
                "instrument": "loan",
                "amount": "250000",
                "currency": "EUR",
                "message": "Hi",
            },
        )

    interest = Interest.objects.get()
    assert response["Location"] == reverse(
        "investments:interest-terms", kwargs={"pk": interest.pk}
    )
    assert mail.outbox[0].to == [officer.email]
    client.post(
        reverse("investments:interest-terms", kwargs={"pk": interest.pk}),
        {"agree": "on"},
    )
    interest.refresh_from_db()
    assert interest.terms_confirmed_at is not None


def test_unverified_investor_cannot_express_interest(client, unverified_investor):
    project = ProjectFactory()
    client.force_login(unverified_investor)

    response = client.get(
        reverse("investments:interest-create", kwargs={"slug": project.slug})
    )

    assert response.status_code == 403


@pytest.mark.parametrize("count", [1, 6])
def test_pipeline_query_count(client, officer, count, django_assert_max_num_queries):
    InterestFactory.create_batch(count)
    client.force_login(officer)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("investments:pipeline"))

    assert response.context["total"] == count


def test_pipeline_move_through_board(
    client, officer, django_capture_on_commit_callbacks
):
    interest = InterestFactory()
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("investments:interest-move", kwargs={"pk": interest.pk}),
            {"stage": "meeting"},
        )

    interest.refresh_from_db()
    assert interest.stage == Interest.Stage.MEETING
    assert mail.outbox[-1].to == [interest.investor.email]


def test_decline_without_reason_shows_field_error(client, officer):
    interest = InterestFactory()
    client.force_login(officer)

    response = client.post(
        reverse("investments:interest-move", kwargs={"pk": interest.pk}),
        {"stage": "declined"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["reason"]


@pytest.mark.parametrize("count", [1, 4])
def test_my_interests_shows_only_own(
    client, investor, count, django_assert_max_num_queries
):
    InterestFactory.create_batch(count, investor=investor, stage=Interest.Stage.MEETING)
    InterestFactory()
    client.force_login(investor)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("investments:my-interests"))

    assert len(response.context["interests"]) == count


@pytest.mark.parametrize("count", [1, 4])
def test_dashboard_query_count(
    client, officer, rates, count, django_assert_max_num_queries
):
    for _ in range(count):
        project = ProjectFactory(project_sector=["energy.solar", "transport"])
        FundingSourceFactory(project=project)
        InterestFactory(project=project)
    client.force_login(officer)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("investments:dashboard"))

    data = response.context["data"]
    assert data["totals"]["projects"] == count
    assert data["totals"]["secured"] == Decimal(200000) * count
    labels = [row["label"] for row in data["tables"]["sector"]]
    assert len(labels) == 2


def test_limited_document_download_is_audited(client, investor):
    document = DocumentFactory(access=ProjectDocument.Access.LIMITED)
    InterestFactory(
        project=document.project,
        investor=investor,
        accepted_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
        terms_confirmed_at=datetime.datetime(2026, 11, 2, tzinfo=datetime.UTC),
    )
    client.force_login(investor)

    response = client.get(document.get_absolute_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    entry = AuditEntry.objects.get(action="investments.document.download")
    assert entry.actor == investor


@pytest.mark.parametrize("count", [1, 4])
def test_manage_list_query_count(client, officer, count, django_assert_max_num_queries):
    ProjectFactory.create_batch(count, status=Status.DRAFT)
    client.force_login(officer)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("investments:project-manage"))

    assert len(response.context["projects"]) == count


@pytest.mark.parametrize("count", [1, 4])
def test_investor_list_query_count(client, staff, count, django_assert_max_num_queries):
    from tests.investments.factories import investor_user

    for _ in range(count):
        investor_user()
    client.force_login(staff)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("investments:investor-list"))

    assert len(response.context["investors"]) == count


@pytest.mark.parametrize("count", [1, 4])
def test_history_query_count(client, officer, count, django_assert_max_num_queries):
    from investments import services

    project = ProjectFactory(status=Status.DRAFT)
    for index in range(count):
        services.update_project(project, by=officer, fields={"title_en": f"T{index}"})
    client.force_login(officer)

    with django_assert_max_num_queries(11):
        response = client.get(
            reverse("investments:project-history", kwargs={"slug": project.slug})
        )

    assert len(response.context["changes"]) == count


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010804000000b51c0c02"
    "0000000b4944415478da6364600000000600023081d02f0000000049454e44ae426082"
)


def test_officer_uploads_a_photo_into_private_storage_under_a_random_name(
    client, officer, settings
):
    project = ProjectFactory()
    client.force_login(officer)

    response = client.post(
        reverse("investments:project-files", kwargs={"slug": project.slug}),
        {
            "kind": "photo",
            "photo-image": SimpleUploadedFile("IMG_0042.png", PNG, "image/png"),
            "photo-caption_uk": "Майданчик",
        },
    )

    photo = ProjectPhoto.objects.get(project=project)
    assert response.status_code == 302
    assert photo.image.storage is private_storage()
    assert is_random_name(photo.image.name)
    assert photo.image.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert "IMG_0042" not in photo.image.name


def test_project_page_shows_photos_through_the_photo_view(client):
    project = ProjectFactory()
    photo = ProjectPhoto(project=project, caption_en="The site")
    photo.image.save("site.png", ContentFile(PNG), save=True)

    page = client.get(project.get_absolute_url())
    image = client.get(photo.get_absolute_url())

    assert f'src="{photo.get_absolute_url()}"' in page.content.decode()
    assert photo.image.name not in page.content.decode()
    assert b"".join(image.streaming_content) == PNG
    assert image["Content-Type"] == "image/png"
    assert image["Content-Disposition"].startswith("inline;")
    assert image["Cache-Control"] == "private, max-age=3600"


def test_draft_photo_is_hidden_from_the_public_and_shown_to_officers(client, officer):
    project = ProjectFactory(status=Status.DRAFT, published_at=None)
    photo = ProjectPhoto(project=project)
    photo.image.save("draft.png", ContentFile(PNG), save=True)

    anonymous = client.get(photo.get_absolute_url())
    client.force_login(officer)
    city = client.get(photo.get_absolute_url())

    assert anonymous.status_code == 404
    assert b"".join(city.streaming_content) == PNG


def test_deleting_a_photo_removes_its_file(
    client, officer, django_capture_on_commit_callbacks
):
    photo = ProjectPhoto(project=ProjectFactory())
    photo.image.save("site.png", ContentFile(PNG), save=True)
    name = photo.image.name
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("investments:photo-delete", kwargs={"pk": photo.pk}))

    assert not ProjectPhoto.objects.filter(pk=photo.pk).exists()
    assert not private_storage().exists(name)
