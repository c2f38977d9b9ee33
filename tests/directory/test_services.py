import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Membership, Role
from core.concurrency import StaleVersionError
from core.models import AuditEntry
from core.storage import is_random_name
from directory import services
from directory.models import Organization, ProfileRevision
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PlaceFactory,
    SectorFactory,
    TagFactory,
    UserFactory,
)


def png_upload(name="logo.png", size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def audit_actions(obj):
    return list(
        AuditEntry.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )


# create_organization


def test_create_organization_makes_creator_editor_and_waits_for_verification(db):
    user = UserFactory(role=Role.EDITOR)
    sector = SectorFactory()
    tag = TagFactory()

    organization = services.create_organization(
        by=user,
        name_uk="Харківська Студія",
        name_en="",
        kind=Organization.Kind.STARTUP,
        edrpou="",
        sectors=[sector],
        tags=[tag],
    )

    assert organization.verification == Organization.Verification.PENDING
    assert organization.slug == "kharkivska-studiia"
    assert organization.edrpou is None
    assert list(organization.sectors.all()) == [sector]
    assert list(organization.tags.all()) == [tag]
    assert Membership.objects.get(organization=organization).user == user
    assert audit_actions(organization) == ["organization.created"]


def test_create_organization_gives_a_unique_slug(db):
    user = UserFactory()
    OrganizationFactory(slug="mist")

    organization = services.create_organization(
        by=user, name_uk="Міст", kind=Organization.Kind.NGO
    )

    assert organization.slug.startswith("mist-")
    assert len(organization.slug) == len("mist-") + 4


def test_create_organization_rejects_bad_edrpou(db):
    user = UserFactory()

    with pytest.raises(ValidationError) as error:
        services.create_organization(
            by=user, name_uk="Тест", kind=Organization.Kind.NGO, edrpou="12345670"
        )

    assert "edrpou" in error.value.message_dict
    assert not Organization.objects.exists()


def test_create_organization_refuses_anonymous(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.create_organization(
            by=AnonymousUser(), name_uk="Тест", kind=Organization.Kind.NGO
        )


def test_create_organization_refuses_staff_fields_from_editors(db):
    with pytest.raises(PermissionDenied):
        services.create_organization(
            by=UserFactory(),
            name_uk="Тест",
            kind=Organization.Kind.NGO,
            cluster_status=Organization.ClusterStatus.MEMBER,
        )


# update_organization / save_profile


def test_staff_update_applies_at_once_and_bumps_version(organization, staff):
    tag = TagFactory()

    outcome = services.save_profile(
        organization,
        by=staff,
        expected_version=1,
        description_en="New text.",
        tags=[tag],
        cluster_status=Organization.ClusterStatus.MEMBER,
    )

    organization.refresh_from_db()
    assert outcome.awaits_moderation is False
    assert organization.description_en == "New text."
    assert list(organization.tags.all()) == [tag]
    assert organization.cluster_status == Organization.ClusterStatus.MEMBER
    assert organization.version == 2
    assert audit_actions(organization) == ["organization.updated"]
    assert not ProfileRevision.objects.exists()


def test_update_with_stale_version_changes_nothing(organization, staff):
    organization.version = 3
    organization.save()

    with pytest.raises(StaleVersionError):
        services.update_organization(
            organization, by=staff, expected_version=2, description_en="Overwrite"
        )

    organization.refresh_from_db()
    assert organization.description_en == "Software development."
    assert organization.version == 3


def test_update_without_changes_keeps_version(organization, staff):
    services.update_organization(
        organization, by=staff, expected_version=1, name_uk=organization.name_uk
    )

    organization.refresh_from_db()
    assert organization.version == 1
    assert audit_actions(organization) == []


def test_editor_of_pending_organization_edits_directly(db):
    organization = OrganizationFactory(verification=Organization.Verification.PENDING)
    editor = MembershipFactory(organization=organization).user

    outcome = services.save_profile(
        organization, by=editor, expected_version=1, description_en="Fixed."
    )

    organization.refresh_from_db()
    assert outcome.revision is None
    assert organization.description_en == "Fixed."
    assert organization.version == 2


def test_editor_correcting_rejected_organization_sends_it_back_to_queue(db):
    organization = OrganizationFactory(
        verification=Organization.Verification.REJECTED, rejection_reason="No site"
    )
    editor = MembershipFactory(organization=organization).user

    services.save_profile(organization, by=editor, website="https://example.org")

    organization.refresh_from_db()
    assert organization.verification == Organization.Verification.PENDING
    assert organization.rejection_reason == ""


def test_editor_of_verified_organization_proposes_revision(organization, editor):
    place = PlaceFactory()
    sector = SectorFactory()

    outcome = services.save_profile(
        organization,
        by=editor,
        expected_version=1,
        description_en="Proposed.",
        name_en=organization.name_en,
        place=place,
        sectors=[sector],
    )

    organization.refresh_from_db()
    revision = outcome.revision
    assert outcome.awaits_moderation is True
    assert organization.description_en == "Software development."
    assert organization.version == 1
    assert revision.base_version == 1
    assert revision.changes == {
        "description_en": "Proposed.",
        "place": place.pk,
        "sectors": [sector.pk],
    }
    assert revision.proposed_by == editor
    assert audit_actions(revision) == ["revision.proposed"]


def test_second_proposal_replaces_the_pending_one(organization, editor):
    first = services.propose_profile_changes(
        organization, by=editor, description_en="One."
    )

    second = services.propose_profile_changes(
        organization, by=editor, description_en="Two.", phone="+380501234567"
    )

    assert second.pk == first.pk
    assert ProfileRevision.objects.get().changes == {
        "description_en": "Two.",
        "phone": "+380501234567",
    }


def test_proposal_equal_to_published_profile_withdraws_pending(organization, editor):
    services.propose_profile_changes(organization, by=editor, description_en="One.")

    result = services.propose_profile_changes(
        organization, by=editor, description_en=organization.description_en
    )

    assert result is None
    assert not ProfileRevision.objects.exists()


def test_proposal_with_stale_version_is_refused(organization, editor):
    with pytest.raises(StaleVersionError):
        services.propose_profile_changes(
            organization, by=editor, expected_version=0, description_en="Late."
        )

    assert not ProfileRevision.objects.exists()


def test_stranger_cannot_propose(organization):
    with pytest.raises(PermissionDenied):
        services.propose_profile_changes(
            organization, by=UserFactory(), description_en="Hack"
        )


def test_editor_cannot_update_verified_organization_directly(organization, editor):
    with pytest.raises(PermissionDenied):
        services.update_organization(organization, by=editor, description_en="x")


def test_proposed_logo_is_stored_but_not_shown_until_approved(organization, editor):
    revision = services.propose_profile_changes(
        organization, by=editor, logo=png_upload()
    )

    organization.refresh_from_db()
    assert is_random_name(revision.changes["logo"])
    assert revision.changes["logo"].startswith("logos/")
    assert not organization.logo


# approve_revision / reject_revision


def test_approve_revision_applies_changes_and_mails_editors(
    organization, editor, staff, django_capture_on_commit_callbacks
):
    tag = TagFactory()
    revision = services.propose_profile_changes(
        organization, by=editor, description_en="Approved text.", tags=[tag]
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_revision(revision, by=staff)

    organization.refresh_from_db()
    revision.refresh_from_db()
    assert organization.description_en == "Approved text."
    assert list(organization.tags.all()) == [tag]
    assert organization.version == 2
    assert revision.status == ProfileRevision.Status.APPROVED
    assert revision.decided_by == staff
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]
    assert "audit" not in mail.outbox[0].body
    assert audit_actions(revision) == ["revision.proposed", "revision.approved"]


def test_approve_revision_with_logo_sets_the_logo(organization, editor, staff):
    revision = services.propose_profile_changes(
        organization, by=editor, logo=png_upload()
    )

    services.approve_revision(revision, by=staff)

    organization.refresh_from_db()
    assert organization.logo.name == revision.changes["logo"]


def test_approve_revision_refuses_conflict_unless_forced(organization, editor, staff):
    revision = services.propose_profile_changes(
        organization, by=editor, description_en="From editor."
    )
    services.update_organization(organization, by=staff, phone="+380577000000")

    with pytest.raises(StaleVersionError):
        services.approve_revision(revision, by=staff)
    services.approve_revision(revision, by=staff, force=True)

    organization.refresh_from_db()
    assert organization.description_en == "From editor."
    assert organization.phone == "+380577000000"
    assert organization.version == 3
    entry = AuditEntry.objects.get(action="revision.approved")
    assert entry.details["conflict"] is True


def test_approve_revision_only_by_staff(organization, editor):
    revision = services.propose_profile_changes(organization, by=editor, phone="1")

    with pytest.raises(PermissionDenied):
        services.approve_revision(revision, by=editor)


def test_reject_revision_requires_reason(organization, editor, staff):
    revision = services.propose_profile_changes(organization, by=editor, phone="1")

    with pytest.raises(ValidationError) as error:
        services.reject_revision(revision, by=staff, reason="  ")

    assert "reason" in error.value.message_dict
    revision.refresh_from_db()
    assert revision.status == ProfileRevision.Status.PENDING


def test_reject_revision_keeps_profile_and_mails_reason(
    organization, editor, staff, django_capture_on_commit_callbacks
):
    revision = services.propose_profile_changes(
        organization, by=editor, description_en="Spam"
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.reject_revision(
            revision, by=staff, reason="Advertising is not allowed."
        )

    organization.refresh_from_db()
    revision.refresh_from_db()
    assert organization.description_en == "Software development."
    assert revision.status == ProfileRevision.Status.REJECTED
    assert revision.reason == "Advertising is not allowed."
    assert len(mail.outbox) == 1
    assert "Advertising is not allowed." in mail.outbox[0].body
    with pytest.raises(ValidationError):
        services.reject_revision(revision, by=staff, reason="Again")


def test_decided_revision_cannot_be_approved(organization, editor, staff):
    revision = services.propose_profile_changes(organization, by=editor, phone="1")
    services.reject_revision(revision, by=staff, reason="No")

    with pytest.raises(ValidationError):
        services.approve_revision(revision, by=staff)


# verify / reject / delete


def test_verify_organization(staff, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(verification=Organization.Verification.PENDING)
    editor = MembershipFactory(
        organization=organization, user=UserFactory(preferred_language="en")
    ).user

    with django_capture_on_commit_callbacks(execute=True):
        services.verify_organization(organization, by=staff)

    organization.refresh_from_db()
    assert organization.verification == Organization.Verification.VERIFIED
    assert organization.verified_by == staff
    assert organization.version == 2
    assert audit_actions(organization) == ["organization.verified"]
    (message,) = mail.outbox
    assert message.to == [editor.email]
    assert message.subject == f"{organization.name_en} is verified on Mist"
    assert f"/en/directory/o/{organization.slug}/" in message.body
    assert f"/uk/directory/o/{organization.slug}/" in message.body


def test_mail_waits_for_commit(staff, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(verification=Organization.Verification.PENDING)
    MembershipFactory(organization=organization)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.verify_organization(organization, by=staff)

    assert mail.outbox == []
    # Other apps may queue their own work on commit (the matching index); one mail.
    assert len([c for c in callbacks if "mail" in c.__qualname__]) == 1


def test_reject_organization_with_reason(staff, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(verification=Organization.Verification.PENDING)
    MembershipFactory(organization=organization, user=UserFactory(email="a@x.org"))
    MembershipFactory(organization=organization, user=UserFactory(email="b@x.org"))

    with django_capture_on_commit_callbacks(execute=True):
        services.reject_organization(organization, by=staff, reason="Not in Kharkiv.")

    organization.refresh_from_db()
    assert organization.verification == Organization.Verification.REJECTED
    assert organization.rejection_reason == "Not in Kharkiv."
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.org", "b@x.org"]
    assert all("Not in Kharkiv." in m.body for m in mail.outbox)
    entry = AuditEntry.objects.get(action="organization.rejected")
    assert entry.actor == staff
    assert entry.details == {"reason": "Not in Kharkiv."}


def test_reject_organization_requires_reason(staff):
    organization = OrganizationFactory(verification=Organization.Verification.PENDING)

    with pytest.raises(ValidationError):
        services.reject_organization(organization, by=staff, reason="")

    organization.refresh_from_db()
    assert organization.verification == Organization.Verification.PENDING


def test_verify_requires_staff(organization, editor):
    with pytest.raises(PermissionDenied):
        services.verify_organization(organization, by=editor)


def test_soft_delete_organization(organization, staff):
    services.soft_delete_organization(organization, by=staff)

    organization.refresh_from_db()
    assert organization.deleted_at is not None
    assert organization.version == 2
    assert not Organization.objects.alive().exists()
    assert audit_actions(organization) == ["organization.deleted"]
