"""Needs and offers through their life: draft, review, publication, expiry, renewal."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEntry
from matching import services
from matching.models import MatchProfile, NeedOffer
from tests.factories import TagFactory, UserFactory
from tests.matching.factories import NeedOfferFactory

pytestmark = pytest.mark.django_db


def draft_fields(organization, **extra):
    return {
        "organization": organization,
        "kind": NeedOffer.Kind.NEED,
        "category": NeedOffer.Category.PILOT_PARTNER,
        "title_uk": "Пілот розумних лічильників",
        "title_en": "Smart meter pilot",
        "description_uk": "Шукаємо школу для пілоту.",
        "description_en": "We look for a school for a pilot.",
        **extra,
    }


def test_editor_drafts_and_submits_for_review(editor, organization):
    tag = TagFactory(slug="energy-efficiency")

    need = services.create_need_offer(
        by=editor, tags=[tag], **draft_fields(organization)
    )
    services.submit_need_offer(need, by=editor)

    need.refresh_from_db()
    assert need.status == NeedOffer.Status.PENDING
    assert need.submitted_at is not None
    assert list(need.tags.all()) == [tag]
    assert "пілот" in need.match_terms.split()
    assert need.valid_until == timezone.localdate() + services.DEFAULT_VALIDITY


def test_only_editors_of_the_organization_post(organization):
    stranger = UserFactory(role=Role.EDITOR)

    with pytest.raises(PermissionDenied):
        services.create_need_offer(by=stranger, **draft_fields(organization))


def test_valid_until_in_the_past_is_refused(editor, organization):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        services.create_need_offer(
            by=editor, **draft_fields(organization, valid_until=yesterday)
        )

    assert "valid_until" in error.value.error_dict


def test_staff_publish_and_editors_are_told(
    editor, organization, staff, django_capture_on_commit_callbacks
):
    need = NeedOfferFactory(organization=organization, status=NeedOffer.Status.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_need_offer(need, by=staff)

    need.refresh_from_db()
    assert need.status == NeedOffer.Status.PUBLISHED
    assert need.published_at is not None
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert need.title_uk in mail.outbox[0].body


def test_rejection_needs_a_reason_and_mails_it(
    editor, organization, staff, django_capture_on_commit_callbacks
):
    need = NeedOfferFactory(organization=organization, status=NeedOffer.Status.PENDING)

    with pytest.raises(ValidationError):
        services.reject_need_offer(need, by=staff, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_need_offer(need, by=staff, reason="Add an English description.")

    need.refresh_from_db()
    assert need.status == NeedOffer.Status.REJECTED
    assert need.rejection_reason == "Add an English description."
    assert "Add an English description." in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="need_offer.rejected").count() == 1


def test_editors_cannot_moderate(editor, organization):
    need = NeedOfferFactory(organization=organization, status=NeedOffer.Status.PENDING)

    with pytest.raises(PermissionDenied):
        services.approve_need_offer(need, by=editor)


def test_editing_a_published_one_sends_it_back_to_review(editor, organization):
    need = NeedOfferFactory(organization=organization)

    services.update_need_offer(need, by=editor, title_en="Pilot partner wanted")

    need.refresh_from_db()
    assert need.status == NeedOffer.Status.PENDING
    assert need.title_en == "Pilot partner wanted"


def test_publishing_twice_is_refused(staff, organization):
    need = NeedOfferFactory(organization=organization, status=NeedOffer.Status.DRAFT)

    with pytest.raises(ValidationError):
        services.approve_need_offer(need, by=staff)


def test_expiry_reminder_is_sent_once_and_overdue_ones_expire(
    editor, organization, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    soon = NeedOfferFactory(
        organization=organization, valid_until=today + datetime.timedelta(days=3)
    )
    later = NeedOfferFactory(
        organization=organization, valid_until=today + datetime.timedelta(days=30)
    )
    overdue = NeedOfferFactory(
        organization=organization, valid_until=today - datetime.timedelta(days=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_expiring_needs_offers", days=7)
        call_command("remind_expiring_needs_offers", days=7)

    assert len(mail.outbox) == 1
    assert soon.title_uk in mail.outbox[0].body
    soon.refresh_from_db()
    later.refresh_from_db()
    overdue.refresh_from_db()
    assert soon.reminded_at is not None
    assert later.reminded_at is None
    assert overdue.status == NeedOffer.Status.EXPIRED


def test_renewal_extends_validity_and_republishes(editor, organization):
    today = timezone.localdate()
    need = NeedOfferFactory(
        organization=organization,
        status=NeedOffer.Status.EXPIRED,
        valid_until=today - datetime.timedelta(days=2),
        reminded_at=timezone.now(),
    )

    services.renew_need_offer(need, by=editor)

    need.refresh_from_db()
    assert need.status == NeedOffer.Status.PUBLISHED
    assert need.valid_until == today + services.DEFAULT_VALIDITY
    assert need.reminded_at is None


def test_draft_cannot_be_renewed(editor, organization):
    need = NeedOfferFactory(organization=organization, status=NeedOffer.Status.DRAFT)

    with pytest.raises(PermissionDenied):
        services.renew_need_offer(need, by=editor)


def test_match_profile_is_saved_with_ordered_intents(editor, organization):
    tag = TagFactory(slug="smart-city")

    profile = services.save_match_profile(
        editor,
        organization=organization,
        intents=["mentoring", "partnering", "bogus"],
        countries=["US", "UA", "US"],
        tags=[tag],
        about_en="Smart grid pilots",
        ticket_currency="USD",
    )

    profile = MatchProfile.objects.get(pk=profile.pk)
    assert profile.intents == ["partnering", "mentoring"]
    assert profile.countries == ["UA", "US"]
    assert "grid" in profile.match_terms.split()


def test_profile_cannot_name_someone_elses_organization(organization):
    stranger = UserFactory(role=Role.INVESTOR)

    with pytest.raises(PermissionDenied):
        services.save_match_profile(stranger, organization=organization)


def test_ticket_range_must_be_ordered(editor):
    with pytest.raises(ValidationError):
        services.save_match_profile(editor, ticket_min=10, ticket_max=5)
