"""A specialist at "aggregate only" never appears, by name, skills or any other
field, on any page, export, feed, API answer or e-mail, to any role: a marker
search as in the blind-review tests."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role as AccountRole
from directory.models import Tag
from talent import services
from talent.models import SpecialistProfile
from tests.factories import MembershipFactory, UserFactory
from tests.talent.factories import (
    InvitationFactory,
    RoleFactory,
    SpecialistProfileFactory,
)

pytestmark = pytest.mark.django_db

MARKERS = (
    "Quentin Markerman",
    "quentin.markerman",
    "Zyxwvutskill",
    "Markerville",
    "marker-note-xyz",
    "+380 99 123 45 67",
)


@pytest.fixture
def hidden(company, hirer):
    """An aggregate-only specialist who was invited while visible, then hid."""
    tag = Tag.objects.get(slug="cloud")
    user = UserFactory(
        full_name="Quentin Markerman", email="quentin.markerman@example.org"
    )
    profile = SpecialistProfileFactory(
        user=user,
        skills=[tag],
        free_skills="Python, Zyxwvutskill",
        city_now="Markerville",
        conditions_note="marker-note-xyz",
        phone="+380 99 123 45 67",
        visibility=SpecialistProfile.Visibility.AGGREGATE,
    )
    InvitationFactory(
        profile=profile, organization=company, invited_by=hirer, status="accepted"
    )
    return profile


def _subjects(company, hirer):
    yield "anonymous", None
    yield "editor of the company", hirer
    for role in AccountRole.values:
        user = UserFactory(role=role)
        if role in (AccountRole.EDITOR, AccountRole.STAFF):
            MembershipFactory(user=user, organization=company)
        yield role, user


def _addresses(role, visible, hidden, invitation):
    names = (
        "talent:home",
        "talent:role-list",
        "talent:role-mine",
        "talent:moderation-queue",
        "talent:invitation-list",
        "talent:matches",
        "talent:figures",
        "talent:figures-staff",
        "talent:figures-csv",
        "talent:role-feed",
        "talent:role-feed-atom",
        "api:talent-role-list",
        "api:talent-invitation-list",
        "api:talent-aggregates",
        "api:talent-matches",
    )
    for name in names:
        yield reverse(name)
    yield reverse("talent:figures-csv") + "?staff=1"
    for name in (
        "talent:role-detail",
        "talent:role-specialists",
        "api:talent-role-detail",
    ):
        yield reverse(name, args=[role.pk])
    yield reverse("talent:profile-detail", args=[hidden.pk])
    yield reverse("talent:profile-detail", args=[visible.pk])
    yield reverse("talent:invite", args=[hidden.pk])
    yield reverse("talent:invitation-detail", args=[invitation.pk])
    yield reverse("api:talent-invitation-detail", args=[invitation.pk])


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_aggregate_only_profile_never_shows_to_anyone(client, company, hirer, hidden):
    tag = Tag.objects.get(slug="cloud")
    role = RoleFactory(organization=company, skills=[tag])
    visible = SpecialistProfileFactory(
        skills=[tag], visibility=SpecialistProfile.Visibility.ORGANIZATIONS
    )
    invitation = hidden.invitations.get()
    shown_somewhere = False

    for label, user in _subjects(company, hirer):
        client.logout()
        if user is not None:
            client.force_login(user)
        for address in _addresses(role, visible, hidden, invitation):
            for language in ("uk", "en"):
                url = address.replace("/uk/", f"/{language}/", 1)
                body = _body(client.get(url))
                for marker in MARKERS:
                    assert marker not in body, (label, url, marker)
                shown_somewhere |= visible.user.full_name in body

    assert shown_somewhere  # the walk does reach pages that list specialists


def test_aggregate_only_profile_counts_in_aggregates(client, hidden):
    from talent import aggregates

    assert aggregates.counts()["total"] == 1
    assert aggregates.counts()["intent"] == {"return": 1}


def test_aggregate_only_profile_never_in_mail_to_others(
    company, hirer, hidden, django_capture_on_commit_callbacks
):
    tag = Tag.objects.get(slug="cloud")
    staff = UserFactory(role=AccountRole.STAFF)
    role = RoleFactory(organization=company, skills=[tag], status="pending")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_role(role, by=staff)
        services.send_weekly_digests()

    others = [m for m in mail.outbox if hidden.user.email not in m.to]
    assert others
    for message in others:
        for marker in MARKERS:
            assert marker not in message.subject + message.body
