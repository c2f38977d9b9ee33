import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core import audit  # noqa: F401
from directory.models import Organization, Tag
from talent import aggregates, services
from talent.models import (
    CONSENT_VERSION,
    Invitation,
    PlanProgress,
    PlanStep,
    Role,
    SpecialistProfile,
)
from tests.factories import OrganizationFactory, UserFactory
from tests.talent.factories import (
    InvitationFactory,
    RoleFactory,
    SpecialistProfileFactory,
)

pytestmark = pytest.mark.django_db


def test_save_profile_requires_consent():
    user = UserFactory()

    with pytest.raises(ValidationError) as error:
        services.save_profile(user, consent=False, intent="return")

    assert "consent" in error.value.message_dict
    assert not SpecialistProfile.objects.filter(user=user).exists()


def test_save_profile_records_consent_time_and_version_and_is_private_by_default():
    user = UserFactory()
    tag = Tag.objects.get(slug="web-development")

    profile = services.save_profile(
        user,
        consent=True,
        intent="return",
        conditions=["housing", "shelter", "nonsense"],
        free_skills="Python",
        skills=[tag],
    )

    profile.refresh_from_db()
    assert profile.visibility == SpecialistProfile.Visibility.AGGREGATE
    assert profile.consent_version == CONSENT_VERSION
    assert profile.consent_at is not None
    assert profile.conditions == ["shelter", "housing"]
    assert list(profile.skills.all()) == [tag]
    assert "python" in profile.match_terms.split()


def test_delete_profile_removes_everything_and_changes_aggregates(
    django_capture_on_commit_callbacks,
):
    profile = SpecialistProfileFactory()
    InvitationFactory(profile=profile)
    step = PlanStep.objects.create(title_uk="Крок", title_en="Step")
    PlanProgress.objects.create(profile=profile, step=step)
    before = aggregates.counts()["total"]

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_profile(profile, by=profile.user)

    assert not SpecialistProfile.objects.filter(pk=profile.pk).exists()
    assert not Invitation.objects.filter(profile_id=profile.pk).exists()
    assert not PlanProgress.objects.filter(profile_id=profile.pk).exists()
    assert aggregates.counts()["total"] == before - 1


def test_delete_profile_of_someone_else_is_refused():
    profile = SpecialistProfileFactory()

    with pytest.raises(PermissionDenied):
        services.delete_profile(profile, by=UserFactory())


def test_create_role_needs_an_editor_of_a_verified_local_organization(hirer, company):
    foreign = OrganizationFactory(country="US")
    unverified = OrganizationFactory(verification=Organization.Verification.PENDING)
    fields = {
        "title_uk": "Розробник",
        "title_en": "Developer",
        "description_uk": "Опис",
        "description_en": "Text",
        "work_mode": "remote",
    }

    role = services.create_role(by=hirer, organization=company, submit=True, **fields)

    assert role.status == Role.Status.PENDING
    for other in (foreign, unverified):
        with pytest.raises(PermissionDenied):
            services.create_role(by=hirer, organization=other, **fields)


def test_moderation_publishes_and_mails_editors(hirer, company, staff):
    role = RoleFactory(organization=company, status=Role.Status.PENDING)
    mail.outbox.clear()

    with pytest.raises(PermissionDenied):
        services.approve_role(role, by=hirer)
    services.approve_role(role, by=staff)

    role.refresh_from_db()
    assert role.status == Role.Status.PUBLISHED
    assert role.decided_by == staff


def test_reject_role_needs_a_reason(company, staff):
    role = RoleFactory(organization=company, status=Role.Status.PENDING)

    with pytest.raises(ValidationError):
        services.reject_role(role, by=staff, reason="  ")
    services.reject_role(role, by=staff, reason="Add the salary.")

    role.refresh_from_db()
    assert role.status == Role.Status.REJECTED
    assert role.rejection_reason == "Add the salary."


def test_roles_expire_and_can_be_renewed(hirer, company):
    role = RoleFactory(organization=company)
    Role.objects.filter(pk=role.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )

    assert services.expire_roles() == 1
    role.refresh_from_db()
    assert role.status == Role.Status.EXPIRED
    assert not Role.objects.published().filter(pk=role.pk).exists()

    services.renew_role(role, by=hirer)

    role.refresh_from_db()
    assert role.status == Role.Status.PUBLISHED
    assert role.valid_until > timezone.localdate()


def test_salary_range_is_checked(hirer, company):
    with pytest.raises(ValidationError) as error:
        services.create_role(
            by=hirer,
            organization=company,
            title_uk="Р",
            title_en="R",
            description_uk="О",
            description_en="D",
            work_mode="remote",
            salary_min=5000,
            salary_max=1000,
        )

    assert "salary_max" in error.value.message_dict


def test_invite_and_accept_mail_both_sides_in_their_language(
    hirer, company, django_capture_on_commit_callbacks
):
    specialist = UserFactory(preferred_language="en")
    profile = SpecialistProfileFactory(user=specialist)

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(profile, organization=company, by=hirer)
    with django_capture_on_commit_callbacks(execute=True):
        services.respond(invitation, by=specialist, accept=True)

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert [m.to for m in mail.outbox] == [[specialist.email], [hirer.email]]
    assert "invites you" in mail.outbox[0].subject
    assert specialist.email not in mail.outbox[0].body + mail.outbox[1].body


def test_aggregate_only_profiles_cannot_be_invited(hirer, company):
    profile = SpecialistProfileFactory(
        visibility=SpecialistProfile.Visibility.AGGREGATE
    )

    with pytest.raises(PermissionDenied):
        services.invite(profile, organization=company, by=hirer)


def test_only_the_invited_person_answers_and_only_while_open(hirer, company):
    invitation = InvitationFactory(organization=company, invited_by=hirer)

    with pytest.raises(PermissionDenied):
        services.respond(invitation, by=hirer, accept=True)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError):
        services.respond(invitation, by=invitation.profile.user, accept=True)
    assert services.expire_invitations() == 1


def test_plan_lists_steps_for_the_persons_conditions():
    profile = SpecialistProfileFactory(conditions=["housing"])
    general = PlanStep.objects.create(title_uk="Усім", title_en="All")
    housing = PlanStep.objects.create(
        title_uk="Житло", title_en="Housing", condition="housing", position=1
    )
    PlanStep.objects.create(
        title_uk="Школи", title_en="Schools", condition="schools", position=2
    )

    services.set_step_done(profile, housing, done=True)

    assert services.plan_for(profile) == [(general, False), (housing, True)]


def test_weekly_digest_goes_only_to_those_who_want_it(
    company, django_capture_on_commit_callbacks
):
    wants = SpecialistProfileFactory()
    SpecialistProfileFactory(digest_enabled=False)
    RoleFactory(organization=company)

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_weekly_digests()

    assert sent == 1
    assert [m.to for m in mail.outbox] == [[wants.user.email]]
