import pytest
from django.urls import reverse

from talent.models import CONSENT_VERSION, Role, SpecialistProfile
from tests.factories import UserFactory
from tests.talent.factories import (
    InvitationFactory,
    RoleFactory,
    SpecialistProfileFactory,
)

pytestmark = pytest.mark.django_db


def test_my_profile_is_written_read_and_deleted(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("api:talent-profile")

    refused = client.put(
        url, {"consent": False, "intent": "return"}, content_type="application/json"
    )
    saved = client.put(
        url,
        {
            "consent": True,
            "intent": "remote",
            "skills": ["cloud"],
            "free_skills": "Go",
            "conditions": ["hybrid", "salary"],
            "country_now": "de",
        },
        content_type="application/json",
    )
    read = client.get(url).json()
    deleted = client.delete(url)

    assert refused.status_code == 400
    assert saved.status_code == 200
    assert read["intent"] == "remote"
    assert read["visibility"] == "aggregate"
    assert read["country_now"] == "DE"
    assert read["consent_version"] == CONSENT_VERSION
    assert [tag["slug"] for tag in read["skills"]] == ["cloud"]
    assert sorted(read["conditions"]) == ["hybrid", "salary"]
    assert deleted.status_code == 204
    assert not SpecialistProfile.objects.filter(user=user).exists()


def test_editors_post_roles_for_review(client, company, hirer):
    client.force_login(hirer)

    response = client.post(
        reverse("api:talent-role-list"),
        {
            "organization": company.slug,
            "title_uk": "Розробник",
            "title_en": "Developer",
            "description_uk": "Опис.",
            "description_en": "Text.",
            "work_mode": "hybrid",
            "offers": ["housing"],
            "submit": True,
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["status"] == Role.Status.PENDING
    assert response.json()["offers"] == ["housing"]


def test_matches_come_with_reasons(client, company):
    profile = SpecialistProfileFactory(conditions=["relocation"])
    RoleFactory(organization=company, offers=["relocation"])
    client.force_login(profile.user)

    results = client.get(
        reverse("api:talent-matches"), HTTP_ACCEPT_LANGUAGE="en"
    ).json()["results"]

    assert len(results) == 1
    assert "Remote allowed" in results[0]["reasons"]


def test_contacts_in_the_api_only_after_acceptance(client, company, hirer):
    invitation = InvitationFactory(organization=company, invited_by=hirer)
    client.force_login(hirer)
    url = reverse("api:talent-invitation-detail", args=[invitation.pk])

    before = client.get(url).json()["contacts"]
    client.force_login(invitation.profile.user)
    answered = client.post(
        reverse("api:talent-invitation-respond", args=[invitation.pk]),
        {"accept": True},
        content_type="application/json",
    ).json()
    client.force_login(hirer)
    after = client.get(url).json()["contacts"]

    assert before is None
    assert answered["contacts"]["organization_email"] == company.email
    assert after == {"email": invitation.profile.user.email, "phone": ""}


def test_aggregates_hide_small_numbers(client):
    SpecialistProfileFactory.create_batch(2)

    data = client.get(reverse("api:talent-aggregates")).json()

    assert data["total"] == [{"label": "Усі", "count": "<5"}]
    assert {"label": "Повернутися до міста", "count": "<5"} in data["intent"]
