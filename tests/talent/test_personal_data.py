"""Talent's records in the account-wide download and on account deletion."""

import pytest
from django.core.cache import cache

from accounts.personal_data import personal_data, uncovered_references
from accounts.personal_data import services as personal_data_services
from talent import aggregates
from talent.models import Invitation, SpecialistProfile
from tests.talent.factories import InvitationFactory, SpecialistProfileFactory

pytestmark = pytest.mark.django_db


def test_every_talent_reference_to_a_person_has_a_rule():
    assert [r for r in uncovered_references() if r.startswith("talent.")] == []


def test_account_download_lists_the_profile():
    profile = SpecialistProfileFactory(conditions_note="Near a metro")

    data = personal_data(profile.user)

    (row,) = data["records"]["talent.SpecialistProfile"]
    assert row["conditions_note"] == "Near a metro"
    assert row["free_skills"] == "Python, PostgreSQL"


def test_account_deletion_removes_the_profile_and_its_invitations(
    django_capture_on_commit_callbacks,
):
    profile = SpecialistProfileFactory()
    InvitationFactory(profile=profile)
    cache.clear()
    assert aggregates.counts()["total"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        personal_data_services.delete_account(profile.user, by=profile.user)

    assert not SpecialistProfile.objects.exists()
    assert not Invitation.objects.exists()
    assert aggregates.counts()["total"] == 0
