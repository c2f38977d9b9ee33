import json

import pytest
from django.urls import reverse

from accounts.models import Role as AccountRole
from directory.models import Tag
from talent.models import CONSENT_VERSION, Invitation, Role, SpecialistProfile
from tests.factories import UserFactory
from tests.talent.factories import (
    InvitationFactory,
    RoleFactory,
    SpecialistProfileFactory,
)

pytestmark = pytest.mark.django_db


def test_profile_form_saves_only_with_consent(client):
    user = UserFactory()
    client.force_login(user)
    data = {
        "intent": "return",
        "timeframe": "6m",
        "free_skills": "Python, PostgreSQL",
        "country_now": "PL",
        "city_now": "Kraków",
        "conditions": ["shelter", "housing"],
        "visibility": "organizations",
    }

    refused = client.post(reverse("talent:profile-edit"), data)
    saved = client.post(reverse("talent:profile-edit"), {**data, "consent": "on"})

    assert refused.status_code == 200
    assert (
        "Погодьтеся" in refused.content.decode()
        or refused.context["form"].errors["consent"]
    )
    assert saved.status_code == 302
    profile = SpecialistProfile.objects.get(user=user)
    assert profile.consent_version == CONSENT_VERSION
    assert profile.conditions == ["shelter", "housing"]


def test_download_holds_all_of_the_persons_data(client, company):
    tag = Tag.objects.get(slug="cloud")
    profile = SpecialistProfileFactory(
        skills=[tag], phone="+48 600 000 000", conditions_note="Near a metro"
    )
    InvitationFactory(profile=profile, organization=company, message="Welcome back")
    client.force_login(profile.user)

    response = client.get(reverse("talent:profile-download"))

    data = json.loads(response.content)
    assert response["Content-Type"] == "application/json"
    stored = data["profile"]
    assert stored["email"] == profile.user.email
    assert stored["skills"] == ["cloud"]
    assert stored["free_skills"] == "Python, PostgreSQL"
    assert stored["phone"] == "+48 600 000 000"
    assert stored["conditions"] == ["shelter", "housing"]
    assert stored["conditions_note"] == "Near a metro"
    assert stored["city_now"] == "Kraków"
    assert stored["consent_version"] == CONSENT_VERSION
    assert [i["message"] for i in data["invitations"]] == ["Welcome back"]
    model_fields = {
        f.name
        for f in SpecialistProfile._meta.concrete_fields
        if f.name not in ("id", "user", "match_terms", "survey_key", "digest_sent_at")
    }
    assert model_fields <= set(stored) | {"country_now", "place_before"}


def test_delete_asks_first_then_removes_the_profile(client):
    profile = SpecialistProfileFactory()
    client.force_login(profile.user)

    page = client.get(reverse("talent:profile-delete"))
    response = client.post(reverse("talent:profile-delete"))

    assert page.status_code == 200
    assert SpecialistProfile.objects.filter(pk=profile.pk).exists() is False
    assert response.status_code == 302


def test_role_list_searches_across_languages_and_inflections(client, company):
    RoleFactory(
        organization=company,
        title_uk="Інженер даних",
        title_en="Data engineer",
        description_uk="Конвеєри даних.",
        description_en="Data pipelines.",
    )
    RoleFactory(organization=company, title_uk="Дизайнер", title_en="Designer")

    by_ukrainian = client.get(reverse("talent:role-list"), {"q": "інженера"})
    by_english = client.get(reverse("talent:role-list"), {"q": "engineers"})

    assert [r.title_en for r in by_ukrainian.context["roles"]] == ["Data engineer"]
    assert [r.title_en for r in by_english.context["roles"]] == ["Data engineer"]


def test_role_list_filters_by_work_mode_and_offer(client, company):
    RoleFactory(organization=company, title_en="Remote", work_mode="remote")
    RoleFactory(
        organization=company,
        title_en="Site",
        work_mode="on_site",
        offers=["housing", "shelter"],
    )

    remote = client.get(reverse("talent:role-list"), {"work_mode": "remote"})
    housing = client.get(reverse("talent:role-list"), {"offer": "housing"})

    assert [r.title_en for r in remote.context["roles"]] == ["Remote"]
    assert [r.title_en for r in housing.context["roles"]] == ["Site"]


def test_role_page_has_jobposting_jsonld(client, company):
    role = RoleFactory(organization=company, salary_min=3000, salary_max=4000)

    response = client.get(role.get_absolute_url())

    body = response.content.decode()
    start = body.index('<script type="application/ld+json"')
    start = body.index(">", start) + 1
    data = json.loads(body[start : body.index("</script>", start)])
    assert data["@type"] == "JobPosting"
    assert data["title"] == role.title_en
    assert data["hiringOrganization"]["name"] == company.name_en
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["baseSalary"]["value"]["minValue"] == 3000


def test_unpublished_role_is_hidden_from_others(client, company, hirer):
    role = RoleFactory(organization=company, status=Role.Status.DRAFT)

    anonymous = client.get(role.get_absolute_url())
    client.force_login(hirer)
    own = client.get(role.get_absolute_url())

    assert anonymous.status_code == 404
    assert own.status_code == 200


def test_feeds_list_published_roles(client, company):
    published = RoleFactory(organization=company)
    RoleFactory(organization=company, status=Role.Status.PENDING, title_en="Hidden")

    rss = client.get(reverse("talent:role-feed")).content.decode()
    atom = client.get(reverse("talent:role-feed-atom")).content.decode()

    assert published.title_uk in rss
    assert "<rss" in rss
    assert published.title_uk in atom
    assert "<feed" in atom
    assert "Hidden" not in rss + atom


def test_matches_page_shows_reasons(client, company):
    tag = Tag.objects.get(slug="cloud")
    profile = SpecialistProfileFactory(skills=[tag], conditions=["relocation"])
    RoleFactory(organization=company, skills=[tag], offers=["relocation"])
    client.force_login(profile.user)

    with_english = client.get(
        reverse("talent:matches").replace("/uk/", "/en/", 1)
    ).content.decode()

    assert "Matches your skills: Cloud" in with_english
    assert "Python" in with_english
    assert "Remote allowed" in with_english
    assert "Offers relocation support, which you marked as important" in with_english


def test_contacts_appear_only_after_acceptance(client, company, hirer):
    profile = SpecialistProfileFactory(phone="+48 111 222 333")
    invitation = InvitationFactory(
        profile=profile, organization=company, invited_by=hirer
    )
    client.force_login(hirer)

    before = client.get(invitation.get_absolute_url()).content.decode()
    client.force_login(profile.user)
    specialist_before = client.get(invitation.get_absolute_url()).content.decode()
    client.post(
        reverse("talent:invitation-respond", args=[invitation.pk]), {"answer": "accept"}
    )
    specialist_after = client.get(invitation.get_absolute_url()).content.decode()
    client.force_login(hirer)
    after = client.get(invitation.get_absolute_url()).content.decode()

    assert profile.user.email not in before
    assert "+48 111 222 333" not in before
    assert company.email not in specialist_before
    assert Invitation.objects.get(pk=invitation.pk).status == "accepted"
    assert company.email in specialist_after
    assert hirer.email in specialist_after
    assert profile.user.email in after
    assert "+48 111 222 333" in after


def test_staff_figures_need_staff_or_city_officer(client):
    client.force_login(UserFactory(role=AccountRole.EDITOR))
    refused = client.get(reverse("talent:figures-staff"))
    client.force_login(UserFactory(role=AccountRole.CITY_OFFICER))
    allowed = client.get(reverse("talent:figures-staff"))

    assert refused.status_code == 403
    assert allowed.status_code == 200
