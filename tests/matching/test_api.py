"""The API: public reads of published needs and offers, owners write, own
recommendations only."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role
from matching.models import NeedOffer
from tests.factories import OrganizationFactory, TagFactory, UserFactory
from tests.matching.factories import NeedOfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.parametrize("count", [1, 4])
def test_public_list_has_published_only(api, count, django_assert_max_num_queries):
    for _ in range(count):
        NeedOfferFactory().tags.add(TagFactory())
    NeedOfferFactory(status=NeedOffer.Status.DRAFT)
    NeedOfferFactory(status=NeedOffer.Status.REJECTED)

    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/needs-offers/")

    assert response.status_code == 200
    assert response.json()["count"] == count
    assert {row["status"] for row in response.json()["results"]} == {"published"}


def test_private_one_is_404_for_strangers(api, organization, editor):
    draft = NeedOfferFactory(organization=organization, status="draft")

    anonymous = api.get(f"/api/v1/needs-offers/{draft.pk}/")
    api.force_authenticate(UserFactory(role=Role.INVESTOR))
    stranger = api.get(f"/api/v1/needs-offers/{draft.pk}/")
    api.force_authenticate(editor)
    owner = api.get(f"/api/v1/needs-offers/{draft.pk}/")

    assert (anonymous.status_code, stranger.status_code) == (404, 404)
    assert owner.json()["status"] == "draft"


def test_editor_creates_and_submits(api, organization, editor):
    api.force_authenticate(editor)
    valid_until = (timezone.localdate() + timezone.timedelta(days=20)).isoformat()

    response = api.post(
        "/api/v1/needs-offers/",
        {
            "organization": organization.slug,
            "kind": "need",
            "category": "pilot_partner",
            "title_uk": "Пілот",
            "description_uk": "Шукаємо партнера.",
            "valid_until": valid_until,
            "tags": ["iot"],
            "submit": True,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "pending"
    assert [tag["slug"] for tag in response.json()["tags"]] == ["iot"]


def test_others_cannot_create_for_an_organization(api, organization):
    api.force_authenticate(UserFactory(role=Role.EDITOR))

    response = api.post(
        "/api/v1/needs-offers/",
        {
            "organization": organization.slug,
            "kind": "need",
            "category": "pilot_partner",
            "title_uk": "Пілот",
            "description_uk": "Шукаємо партнера.",
        },
        format="json",
    )

    assert response.status_code == 403
    assert NeedOffer.objects.count() == 0


def test_anonymous_write_is_401(api, organization):
    response = api.post("/api/v1/needs-offers/", {}, format="json")

    assert response.status_code == 401


def test_editor_patches_own_and_not_others(api, organization, editor):
    own = NeedOfferFactory(organization=organization)
    other = NeedOfferFactory(organization=OrganizationFactory())
    api.force_authenticate(editor)

    changed = api.patch(
        f"/api/v1/needs-offers/{own.pk}/", {"title_en": "New"}, format="json"
    )
    refused = api.patch(
        f"/api/v1/needs-offers/{other.pk}/", {"title_en": "New"}, format="json"
    )

    assert changed.json()["title_en"] == "New"
    assert changed.json()["status"] == "pending"
    assert refused.status_code == 403


def test_recommendations_are_own_and_need_sign_in(api, organization, editor):
    tag = TagFactory(slug="iot")
    organization.tags.add(tag)
    match = OrganizationFactory(description_uk="Інше.", description_en="Other.")
    match.tags.add(tag)

    anonymous = api.get("/api/v1/recommendations/")
    api.force_authenticate(editor)
    response = api.get("/api/v1/recommendations/", {"kinds": "organization"})

    assert anonymous.status_code == 401
    results = response.json()["results"]
    assert [row["id"] for row in results] == [match.pk]
    assert results[0]["reasons"]
