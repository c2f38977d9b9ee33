"""Pages: lists, detail, forms, moderation, recommendations; visibility and queries."""

import pytest
from django.urls import reverse

from accounts.models import Role
from matching.models import MatchProfile, NeedOffer
from tests.factories import OrganizationFactory, TagFactory, UserFactory
from tests.matching.factories import NeedOfferFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [1, 4])
def test_list_shows_published_only_in_constant_queries(
    client, count, django_assert_max_num_queries
):
    for _ in range(count):
        NeedOfferFactory().tags.add(TagFactory())
    hidden = NeedOfferFactory(status=NeedOffer.Status.PENDING, title_en="Secret plan")

    with django_assert_max_num_queries(12):
        response = client.get(reverse("matching:needoffer-list"), {"lang": "en"})

    assert response.status_code == 200
    assert len(response.context["needs_offers"]) == count
    assert hidden.title_uk not in response.content.decode()


def test_list_filters_and_search(client):
    wanted = NeedOfferFactory(
        category=NeedOffer.Category.INTERNSHIP,
        title_uk="Стажування для студентів",
        description_uk="Літнє стажування у Харкові.",
    )
    NeedOfferFactory(category=NeedOffer.Category.EQUIPMENT)

    by_category = client.get(
        reverse("matching:needoffer-list"), {"category": "internship"}
    )
    by_word = client.get(reverse("matching:needoffer-list"), {"q": "стажуванням"})

    assert list(by_category.context["needs_offers"]) == [wanted]
    assert list(by_word.context["needs_offers"]) == [wanted]


def test_empty_list_says_so(client):
    response = client.get(reverse("matching:needoffer-list"))

    assert response.context["total"] == 0
    assert 'class="empty-state' in response.content.decode()


def test_private_detail_is_404_for_others_but_shown_to_editors(
    client, editor, organization
):
    draft = NeedOfferFactory(organization=organization, status="draft")
    url = reverse("matching:needoffer-detail", kwargs={"pk": draft.pk})

    assert client.get(url).status_code == 404
    client.force_login(UserFactory(role=Role.INVESTOR))
    assert client.get(url).status_code == 404
    client.force_login(editor)
    assert client.get(url).status_code == 200


def test_editor_creates_and_submits_through_the_form(client, editor, organization):
    client.force_login(editor)

    response = client.post(
        reverse("matching:needoffer-create"),
        {
            "organization": organization.pk,
            "kind": "offer",
            "category": "expertise",
            "title_uk": "Експертиза з кібербезпеки",
            "title_en": "Cybersecurity expertise",
            "description_uk": "Аудит безпеки для міських систем.",
            "description_en": "Security audits for city systems.",
            "valid_until": "2099-01-01",
            "submit": "1",
        },
    )

    assert response.status_code == 200  # the date is too far: errors, input kept
    assert "Cybersecurity expertise" in response.content.decode()
    assert NeedOffer.objects.count() == 0


def test_form_creates_a_pending_one(client, editor, organization):
    from django.utils import timezone

    client.force_login(editor)
    valid_until = (timezone.localdate() + timezone.timedelta(days=30)).isoformat()

    response = client.post(
        reverse("matching:needoffer-create"),
        {
            "organization": organization.pk,
            "kind": "offer",
            "category": "expertise",
            "title_uk": "Експертиза з кібербезпеки",
            "description_uk": "Аудит безпеки для міських систем.",
            "valid_until": valid_until,
            "submit": "1",
        },
    )

    need_offer = NeedOffer.objects.get()
    assert response.status_code == 302
    assert need_offer.status == NeedOffer.Status.PENDING


def test_staff_reject_with_reason_through_the_page(client, staff, organization):
    need = NeedOfferFactory(organization=organization, status="pending")
    client.force_login(staff)
    url = reverse("matching:needoffer-moderate", kwargs={"pk": need.pk})

    empty = client.post(url, {"action": "reject", "reason": ""})
    done = client.post(url, {"action": "reject", "reason": "Too vague."})

    need.refresh_from_db()
    assert empty.status_code == 200
    assert done.status_code == 302
    assert need.status == NeedOffer.Status.REJECTED
    assert need.rejection_reason == "Too vague."


@pytest.mark.parametrize("count", [1, 3])
def test_moderation_queue_queries(client, staff, count, django_assert_max_num_queries):
    for _ in range(count):
        NeedOfferFactory(status="pending")
    client.force_login(staff)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("matching:moderation-queue"))

    assert len(response.context["needs_offers"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_mine_lists_own_organizations_only(
    client, editor, organization, count, django_assert_max_num_queries
):
    for _ in range(count):
        NeedOfferFactory(organization=organization, status="draft")
    NeedOfferFactory(organization=OrganizationFactory(), status="draft")
    client.force_login(editor)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("matching:needoffer-mine"))

    assert len(response.context["needs_offers"]) == count


def test_interests_form_saves_the_profile(client, editor, organization):
    tag = TagFactory(slug="smart-city")
    client.force_login(editor)

    response = client.post(
        reverse("matching:profile-edit"),
        {
            "organization": organization.pk,
            "intents": ["partnering"],
            "tags": [tag.pk],
            "countries": ["US"],
            "ticket_currency": "USD",
            "about_en": "Smart city pilots",
        },
    )

    profile = MatchProfile.objects.get(user=editor)
    assert response.status_code == 302
    assert profile.intents == ["partnering"]
    assert list(profile.tags.all()) == [tag]


@pytest.mark.parametrize("tab", ["organization", "need_offer", "project"])
def test_recommendations_page_in_bounded_queries(
    client, editor, organization, tab, django_assert_max_num_queries
):
    tag = TagFactory(slug="iot")
    organization.tags.add(tag)
    tagged = []
    for _ in range(3):
        other = OrganizationFactory(description_uk="Інше.", description_en="Other.")
        other.tags.add(tag)
        tagged.append(other)
        NeedOfferFactory(organization=other).tags.add(tag)
    client.force_login(editor)

    with django_assert_max_num_queries(30):
        response = client.get(reverse("matching:recommendations"), {"tab": tab})

    assert response.status_code == 200
    shown = [card["recommendation"].obj for card in response.context["cards"]]
    if tab == "organization":
        assert set(shown) == set(tagged)
    else:
        assert len(shown) == {"need_offer": 3, "project": 0}[tab]


def test_recommendations_need_sign_in(client):
    response = client.get(reverse("matching:recommendations"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_event_narrows_organizations_to_its_participants(client, editor, organization):
    from tests.events.factories import EventFactory, RegistrationFactory

    tag = TagFactory(slug="iot")
    organization.tags.add(tag)
    registered, absent = OrganizationFactory(), OrganizationFactory()
    registered.tags.add(tag)
    absent.tags.add(tag)
    event = EventFactory()
    RegistrationFactory(event=event, organization=registered)
    client.force_login(editor)

    response = client.get(reverse("matching:recommendations"), {"event": event.pk})

    shown = [card["recommendation"].obj for card in response.context["cards"]]
    assert shown == [registered]
    assert f"event={event.pk}" in response.context["cards"][0]["meeting_url"]
