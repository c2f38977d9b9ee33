import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts import services
from accounts.forms import InvitationForm
from accounts.models import Invitation, Membership, Role, User
from core.models import AuditEntry
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture
def invitation(staff, organization):
    return services.invite_user(
        "Taras@Example.org",
        role=Role.EDITOR,
        organization=organization,
        invited_by=staff,
    )


def accept_data(**changes):
    return {
        "full_name": "Taras Shevchuk",
        "password1": "Kobzar-1814-poem",
        "password2": "Kobzar-1814-poem",
        **changes,
    }


# Services


def test_invite_user_creates_invitation_and_sends_ukrainian_email(
    django_capture_on_commit_callbacks, staff, organization, settings
):
    settings.SITE_URL = "https://mist.example.org"

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_user(
            " Taras@Example.org ",
            role=Role.EDITOR,
            organization=organization,
            invited_by=staff,
        )

    assert invitation.email == "taras@example.org"
    assert invitation.language == "uk"
    assert invitation.status == Invitation.Status.PENDING
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["taras@example.org"]
    assert organization.name_uk in message.subject
    assert (
        f"https://mist.example.org/uk/accounts/invitations/{invitation.token}/"
        in message.body
    )
    entry = AuditEntry.objects.get(action="invitation.sent")
    assert entry.actor == staff
    assert entry.object_id == str(invitation.pk)
    assert entry.details == {
        "email": "taras@example.org",
        "role": "editor",
        "organization": organization.pk,
    }


def test_invite_user_in_english_writes_english_email(
    django_capture_on_commit_callbacks, staff, organization
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_user(
            "john@example.com",
            role=Role.REVIEWER,
            invited_by=staff,
            language="en",
        )

    message = mail.outbox[0]
    assert message.subject == "You are invited to Mist"
    assert "Your role: Reviewer." in message.body
    assert f"/en/accounts/invitations/{invitation.token}/" in message.body


def test_ukrainian_email_is_not_the_english_one(
    django_capture_on_commit_callbacks, staff
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_user("a@example.com", role=Role.REVIEWER, invited_by=staff)
        services.invite_user(
            "b@example.com", role=Role.REVIEWER, invited_by=staff, language="en"
        )

    uk, en = mail.outbox
    assert "/uk/accounts/invitations/" in uk.body
    assert "/en/accounts/invitations/" in en.body


@pytest.mark.parametrize("role", [Role.CITY_OFFICER, Role.EDITOR, Role.INVESTOR])
def test_invite_user_refuses_people_who_may_not_invite(db, user_with_role, role):
    with pytest.raises(PermissionDenied):
        services.invite_user(
            "x@example.org", role=Role.EDITOR, invited_by=user_with_role(role)
        )


def test_staff_may_not_invite_a_platform_admin(staff):
    with pytest.raises(PermissionDenied):
        services.invite_user("boss@example.org", role=Role.ADMIN, invited_by=staff)


def test_platform_admin_may_invite_a_platform_admin(platform_admin):
    invitation = services.invite_user(
        "boss@example.org", role=Role.ADMIN, invited_by=platform_admin
    )

    assert invitation.role == Role.ADMIN


def test_invitation_form_offers_staff_every_role_but_admin(staff):
    form = InvitationForm(inviter=staff)

    assert [value for value, _ in form.fields["role"].choices] == [
        Role.STAFF,
        Role.CITY_OFFICER,
        Role.EDITOR,
        Role.REVIEWER,
        Role.INVESTOR,
    ]


def test_invite_existing_user_without_organization_is_rejected(staff):
    UserFactory(email="known@example.org")

    with pytest.raises(ValidationError) as error:
        services.invite_user("KNOWN@example.org", role=Role.EDITOR, invited_by=staff)

    assert "вже має обліковий запис" in error.value.message_dict["email"][0]
    assert Invitation.objects.count() == 0


def test_invite_existing_user_with_organization_adds_membership(
    django_capture_on_commit_callbacks, staff, organization
):
    known = UserFactory(
        email="known@example.org", role=Role.INVESTOR, preferred_language="en"
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = services.invite_user(
            "known@example.org",
            role=Role.EDITOR,
            organization=organization,
            invited_by=staff,
        )

    assert isinstance(result, Membership)
    assert result.user == known
    assert result.is_editor is True
    known.refresh_from_db()
    assert known.role == Role.INVESTOR
    assert Invitation.objects.count() == 0
    assert mail.outbox[0].to == ["known@example.org"]
    assert mail.outbox[0].subject == f"You now edit {organization.name_en} on Mist"
    assert AuditEntry.objects.filter(action="membership.added").count() == 1


def test_invite_existing_editor_of_same_organization_is_rejected(staff, editor):
    organization = editor.memberships.get().organization

    with pytest.raises(ValidationError) as error:
        services.invite_user(
            editor.email,
            role=Role.EDITOR,
            organization=organization,
            invited_by=staff,
        )

    assert "вже редагує" in error.value.message_dict["email"][0]


def test_second_pending_invitation_to_same_address_is_rejected(staff, invitation):
    with pytest.raises(ValidationError) as error:
        services.invite_user("taras@example.org", role=Role.REVIEWER, invited_by=staff)

    assert "вже є запрошення, що очікує" in error.value.message_dict["email"][0]


def test_expired_invitation_does_not_block_a_new_one(staff, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )

    again = services.invite_user(
        "taras@example.org", role=Role.REVIEWER, invited_by=staff
    )

    assert again.pk != invitation.pk


def test_accept_invitation_creates_user_with_role_and_membership(
    invitation, organization
):
    user = services.accept_invitation(
        invitation, full_name=" Taras Shevchuk ", password="Kobzar-1814-poem"
    )

    assert user.email == "taras@example.org"
    assert user.full_name == "Taras Shevchuk"
    assert user.role == Role.EDITOR
    assert user.check_password("Kobzar-1814-poem")
    assert list(user.memberships.values_list("organization", "is_editor")) == [
        (organization.pk, True)
    ]
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == user
    entry = AuditEntry.objects.get(action="invitation.accepted")
    assert entry.actor == user


def test_accept_invitation_twice_fails(invitation):
    services.accept_invitation(invitation, full_name="A", password="Kobzar-1814-poem")

    with pytest.raises(ValidationError):
        services.accept_invitation(
            invitation, full_name="B", password="Kobzar-1814-poem"
        )

    assert User.objects.filter(email="taras@example.org").count() == 1


def test_accept_invitation_rejects_weak_password(invitation):
    with pytest.raises(ValidationError):
        services.accept_invitation(invitation, full_name="A", password="123")

    assert not User.objects.filter(email="taras@example.org").exists()


def test_revoke_invitation_makes_it_unusable_and_is_audited(staff, invitation):
    services.revoke_invitation(invitation, by=staff)

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert not invitation.is_usable
    assert AuditEntry.objects.filter(
        action="invitation.revoked", object_id=str(invitation.pk)
    ).exists()


def test_revoke_accepted_invitation_fails(staff, invitation):
    services.accept_invitation(invitation, full_name="A", password="Kobzar-1814-poem")

    with pytest.raises(ValidationError):
        services.revoke_invitation(invitation, by=staff)


def test_resend_expired_invitation_renews_it(
    django_capture_on_commit_callbacks, staff, invitation
):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.resend_invitation(invitation, by=staff)

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert len(mail.outbox) == 1
    assert invitation.token in mail.outbox[0].body


def test_resend_revoked_invitation_fails(staff, invitation):
    services.revoke_invitation(invitation, by=staff)

    with pytest.raises(ValidationError):
        services.resend_invitation(invitation, by=staff)


# Views


def test_invitation_create_page_sends_invitation(
    client, django_capture_on_commit_callbacks, staff, organization
):
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation-create"),
            {
                "email": "new@example.org",
                "role": Role.REVIEWER,
                "organization": organization.pk,
                "language": "en",
            },
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:invitation-list")
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.organization) == (
        "new@example.org",
        Role.REVIEWER,
        organization,
    )
    assert invitation.language == "en"
    assert len(mail.outbox) == 1


def test_invitation_create_page_lists_organizations(client, staff, organization):
    client.force_login(staff)

    response = client.get(reverse("accounts:invitation-create"))

    html = response.content.decode()
    assert f'<option value="{organization.pk}">{organization.name_uk}</option>' in html
    assert '<label class="form-label" for="id_language">' in html


def test_invitation_create_error_keeps_the_input(client, staff):
    UserFactory(email="known@example.org")
    client.force_login(staff)

    response = client.post(
        reverse("accounts:invitation-create"),
        {"email": "known@example.org", "role": Role.REVIEWER, "language": "en"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert 'value="known@example.org"' in html
    assert 'id="id_email_error"' in html
    assert Invitation.objects.count() == 0


def test_invitation_create_refuses_admin_role_from_staff(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("accounts:invitation-create"),
        {"email": "boss@example.org", "role": Role.ADMIN, "language": "uk"},
    )

    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert Invitation.objects.count() == 0


def test_accept_page_creates_account_and_signs_in(client, invitation, organization):
    url = reverse("accounts:invitation-accept", kwargs={"token": invitation.token})

    page = client.get(url)
    response = client.post(url, accept_data())

    assert page.status_code == 200
    assert "taras@example.org" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:me")
    user = User.objects.get(email="taras@example.org")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.memberships.get().organization == organization


def test_accept_page_in_english_signs_in_to_english_pages(client, staff):
    invitation = services.invite_user(
        "john@example.com", role=Role.INVESTOR, invited_by=staff, language="en"
    )
    with translation.override("en"):
        url = reverse("accounts:invitation-accept", kwargs={"token": invitation.token})

    response = client.post(url, accept_data())

    assert response["Location"] == "/en/accounts/me/"
    assert User.objects.get(email="john@example.com").preferred_language == "en"


def test_accept_page_with_different_passwords_keeps_the_name(client, invitation):
    url = reverse("accounts:invitation-accept", kwargs={"token": invitation.token})

    response = client.post(url, accept_data(password2="something-else-42"))

    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert 'value="Taras Shevchuk"' in response.content.decode()
    assert not User.objects.filter(email="taras@example.org").exists()


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "expired"),
        ({"revoked_at": timezone.now()}, "revoked"),
        ({"accepted_at": timezone.now()}, "accepted"),
    ],
)
def test_unusable_invitation_shows_clear_page(client, invitation, state, reason):
    Invitation.objects.filter(pk=invitation.pk).update(**state)
    url = reverse("accounts:invitation-accept", kwargs={"token": invitation.token})

    get = client.get(url)
    post = client.post(url, accept_data())

    assert get.status_code == 410
    assert get.context["reason"] == reason
    assert post.status_code == 410
    assert not User.objects.filter(email="taras@example.org").exists()


def test_invitation_to_address_that_got_an_account_meanwhile(client, invitation):
    UserFactory(email="taras@example.org")
    url = reverse("accounts:invitation-accept", kwargs={"token": invitation.token})

    response = client.get(url)

    assert response.status_code == 410
    assert response.context["reason"] == "exists"


def test_revoke_asks_for_confirmation_first(client, staff, invitation):
    client.force_login(staff)
    url = reverse("accounts:invitation-revoke", kwargs={"pk": invitation.pk})

    confirm = client.get(url)
    invitation.refresh_from_db()
    status_after_get = invitation.status
    revoke = client.post(url)
    invitation.refresh_from_db()

    assert confirm.status_code == 200
    assert "taras@example.org" in confirm.content.decode()
    assert status_after_get == Invitation.Status.PENDING
    assert revoke.status_code == 302
    assert invitation.status == Invitation.Status.REVOKED


def test_resend_from_list_sends_mail_again(
    client, django_capture_on_commit_callbacks, staff, invitation
):
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation-resend", kwargs={"pk": invitation.pk})
        )

    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_resend_of_accepted_invitation_shows_error(client, staff, invitation):
    services.accept_invitation(invitation, full_name="A", password="Kobzar-1814-poem")
    client.force_login(staff)

    response = client.post(
        reverse("accounts:invitation-resend", kwargs={"pk": invitation.pk}),
        follow=True,
    )

    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_invitation_list_filters_by_status(client, staff):
    pending = Invitation.objects.create(email="p@example.org", role=Role.EDITOR)
    Invitation.objects.create(
        email="e@example.org",
        role=Role.EDITOR,
        expires_at=timezone.now() - timedelta(days=1),
    )
    Invitation.objects.create(
        email="a@example.org", role=Role.EDITOR, accepted_at=timezone.now()
    )
    Invitation.objects.create(
        email="r@example.org", role=Role.EDITOR, revoked_at=timezone.now()
    )
    client.force_login(staff)
    url = reverse("accounts:invitation-list")

    def emails(status):
        response = client.get(url, {"status": status})
        return [i.email for i in response.context["invitations"]]

    assert emails("pending") == [pending.email]
    assert emails("expired") == ["e@example.org"]
    assert emails("accepted") == ["a@example.org"]
    assert emails("revoked") == ["r@example.org"]
    assert sorted(emails("")) == sorted(
        ["p@example.org", "e@example.org", "a@example.org", "r@example.org"]
    )


def test_invitation_list_is_paginated(client, staff):
    Invitation.objects.bulk_create(
        Invitation(email=f"p{n}@example.org", role=Role.EDITOR, token=f"t{n}")
        for n in range(30)
    )
    client.force_login(staff)

    first = client.get(reverse("accounts:invitation-list"))
    second = client.get(reverse("accounts:invitation-list"), {"page": 2})

    assert len(first.context["invitations"]) == 25
    assert len(second.context["invitations"]) == 5
    assert "?page=2" in first.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_invitation_list_query_count(client, staff, count, django_assert_num_queries):
    for n in range(count):
        organization = OrganizationFactory()
        inviter = UserFactory()
        MembershipFactory(user=inviter, organization=organization)
        Invitation.objects.create(
            email=f"p{n}@example.org",
            role=Role.EDITOR,
            organization=organization,
            invited_by=inviter,
        )
    client.force_login(staff)

    # session, user, count, page of invitations
    with django_assert_num_queries(4):
        response = client.get(reverse("accounts:invitation-list"))

    assert len(response.context["invitations"]) == count


def test_invitation_email_link_opens_the_accept_page(
    client, django_capture_on_commit_callbacks, staff, settings
):
    settings.SITE_URL = "http://testserver"
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_user("link@example.org", role=Role.INVESTOR, invited_by=staff)
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)

    response = client.get(link)

    assert response.status_code == 200
    assert response.context["invitation"].email == "link@example.org"
