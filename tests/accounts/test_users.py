import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.middleware import UserTimeZoneMiddleware
from accounts.models import Role
from core.models import AuditEntry
from tests.factories import MembershipFactory, UserFactory

# The account page


def test_me_page_shows_details_and_memberships(client, editor, organization):
    client.force_login(editor)

    response = client.get(reverse("accounts:me"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "editor@example.org" in html
    assert editor.get_role_display() in html
    assert organization.get_absolute_url() in html
    assert [m.organization for m in response.context["memberships"]] == [organization]
    assert 'id="id_time_zone"' in html
    assert '<option value="Europe/Kyiv" selected>' in html


def test_me_page_saves_time_zone_and_language(client, editor):
    client.force_login(editor)

    response = client.post(
        reverse("accounts:me"),
        {
            "full_name": "Mariia Editor",
            "preferred_language": "en",
            "time_zone": "America/Denver",
        },
    )

    editor.refresh_from_db()
    assert (editor.full_name, editor.preferred_language, editor.time_zone) == (
        "Mariia Editor",
        "en",
        "America/Denver",
    )
    assert response["Location"] == "/en/accounts/me/"


def test_me_page_rejects_unknown_time_zone_and_keeps_input(client, editor):
    client.force_login(editor)

    response = client.post(
        reverse("accounts:me"),
        {
            "full_name": "Kept Name",
            "preferred_language": "uk",
            "time_zone": "Mars/Base",
        },
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["time_zone"]
    assert 'value="Kept Name"' in response.content.decode()
    editor.refresh_from_db()
    assert editor.time_zone == "Europe/Kyiv"


def test_pages_use_the_users_time_zone(rf, editor):
    editor.time_zone = "America/Denver"
    seen = []
    middleware = UserTimeZoneMiddleware(
        lambda request: seen.append(timezone.get_current_timezone_name())
    )
    signed_in, anonymous = rf.get("/"), rf.get("/")
    signed_in.user, anonymous.user = editor, AnonymousUser()

    middleware(signed_in)
    middleware(anonymous)

    assert seen == ["America/Denver", "Europe/Kyiv"]


def test_me_page_query_count(client, editor, django_assert_num_queries):
    MembershipFactory(user=editor)
    client.force_login(editor)

    # session, user, memberships with organizations
    with django_assert_num_queries(3):
        client.get(reverse("accounts:me"))


# The users list


def test_user_list_searches_email_and_name(client, platform_admin):
    UserFactory(email="olena@example.org", full_name="Olena Koval")
    UserFactory(email="petro@example.org", full_name="Petro Bondar")
    client.force_login(platform_admin)

    by_name = client.get(reverse("accounts:user-list"), {"q": "koval"})
    by_email = client.get(reverse("accounts:user-list"), {"q": "PETRO@"})

    assert [u.email for u in by_name.context["users"]] == ["olena@example.org"]
    assert [u.email for u in by_email.context["users"]] == ["petro@example.org"]


def test_user_list_filters_by_role(client, platform_admin):
    UserFactory(email="r1@example.org", role=Role.REVIEWER)
    UserFactory(email="i1@example.org", role=Role.INVESTOR)
    client.force_login(platform_admin)

    response = client.get(reverse("accounts:user-list"), {"role": Role.REVIEWER})

    assert [u.email for u in response.context["users"]] == ["r1@example.org"]
    assert '<option value="reviewer" selected>' in response.content.decode()


def test_user_list_with_unknown_role_shows_everyone(client, platform_admin):
    UserFactory(email="r1@example.org", role=Role.REVIEWER)
    client.force_login(platform_admin)

    response = client.get(reverse("accounts:user-list"), {"role": "king"})

    assert len(response.context["users"]) == 2


def test_user_list_is_paginated(client, platform_admin):
    UserFactory.create_batch(30)
    client.force_login(platform_admin)

    second = client.get(reverse("accounts:user-list"), {"page": 2})

    assert len(second.context["users"]) == 6


@pytest.mark.parametrize("count", [1, 3])
def test_user_list_query_count(
    client, platform_admin, count, django_assert_num_queries
):
    UserFactory.create_batch(count)
    client.force_login(platform_admin)

    # session, user, count, page of users
    with django_assert_num_queries(4):
        response = client.get(reverse("accounts:user-list"))

    assert len(response.context["users"]) == count + 1


# Role changes and deactivation


def test_admin_changes_role_and_it_is_audited(client, platform_admin):
    person = UserFactory(role=Role.INVESTOR)
    client.force_login(platform_admin)

    response = client.post(
        reverse("accounts:user-detail", kwargs={"pk": person.pk}),
        {"role": Role.CITY_OFFICER},
    )

    person.refresh_from_db()
    assert response.status_code == 302
    assert person.role == Role.CITY_OFFICER
    entry = AuditEntry.objects.get(action="user.role_changed")
    assert entry.details == {"old": "investor", "new": "city_officer"}
    assert entry.actor == platform_admin


def test_admin_may_not_change_own_role(client, platform_admin):
    client.force_login(platform_admin)

    page = client.get(reverse("accounts:user-detail", kwargs={"pk": platform_admin.pk}))
    post = client.post(
        reverse("accounts:user-detail", kwargs={"pk": platform_admin.pk}),
        {"role": Role.INVESTOR},
    )

    assert page.status_code == 200
    assert page.context["can_change"] is False
    assert post.status_code == 403
    platform_admin.refresh_from_db()
    assert platform_admin.role == Role.ADMIN


def test_change_role_service_refuses_staff(staff):
    person = UserFactory(role=Role.INVESTOR)

    with pytest.raises(PermissionDenied):
        services.change_role(person, role=Role.ADMIN, by=staff)


def test_deactivate_asks_first_then_blocks_sign_in(client, platform_admin):
    person = UserFactory(email="gone@example.org")
    client.force_login(platform_admin)
    url = reverse("accounts:user-deactivate", kwargs={"pk": person.pk})

    confirm = client.get(url)
    person.refresh_from_db()
    active_after_get = person.is_active
    done = client.post(url)
    person.refresh_from_db()
    client.logout()
    sign_in = client.post(
        reverse("accounts:login"),
        {"username": "gone@example.org", "password": "correct-horse-42"},
    )

    assert confirm.status_code == 200
    assert "gone@example.org" in confirm.content.decode()
    assert active_after_get is True
    assert done.status_code == 302
    assert person.is_active is False
    assert sign_in.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="user.deactivated").count() == 1


def test_deactivated_user_session_ends(client, platform_admin):
    person = UserFactory()
    client.force_login(person)

    services.set_user_active(person, active=False, by=platform_admin)
    response = client.get(reverse("accounts:me"))

    assert response.status_code == 302


def test_reactivate_restores_sign_in(platform_admin):
    person = UserFactory(is_active=False)

    services.set_user_active(person, active=True, by=platform_admin)

    person.refresh_from_db()
    assert person.is_active is True
    assert AuditEntry.objects.filter(action="user.activated").count() == 1


def test_admin_may_not_deactivate_self(client, platform_admin):
    client.force_login(platform_admin)

    response = client.post(
        reverse("accounts:user-deactivate", kwargs={"pk": platform_admin.pk})
    )

    assert response.status_code == 403
    platform_admin.refresh_from_db()
    assert platform_admin.is_active is True
