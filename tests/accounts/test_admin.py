import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import Invitation, Role, User
from core import audit
from core.models import AuditEntry
from tests.factories import UserFactory


@pytest.fixture
def superuser(db):
    return UserFactory(
        email="root@example.org", role=Role.ADMIN, is_staff=True, is_superuser=True
    )


def test_admin_creates_user_by_email(client, superuser):
    client.force_login(superuser)

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Created@Example.org",
            "role": Role.REVIEWER,
            "usable_password": "true",
            "password1": "Fresh-Reviewer-88",
            "password2": "Fresh-Reviewer-88",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email__iexact="created@example.org")
    assert user.role == Role.REVIEWER
    assert user.check_password("Fresh-Reviewer-88")


def test_admin_user_search_finds_by_email(client, superuser):
    UserFactory(email="findme@example.org")
    client.force_login(superuser)

    response = client.get(reverse("admin:accounts_user_changelist"), {"q": "findme"})

    assert [u.email for u in response.context["cl"].result_list] == [
        "findme@example.org"
    ]


def test_audit_log_is_read_only_in_admin(client, superuser, rf):
    invitation = Invitation.objects.create(email="x@example.org", role=Role.EDITOR)
    entry = audit.record("invitation.sent", invitation, actor=superuser)
    request = rf.get("/")
    request.user = superuser
    model_admin = admin.site._registry[AuditEntry]
    client.force_login(superuser)

    post = client.post(
        reverse("admin:core_auditentry_change", args=[entry.pk]), {"action": "x"}
    )

    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request, entry) is False
    assert model_admin.has_delete_permission(request, entry) is False
    assert post.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "invitation.sent"


def test_invitations_are_not_added_through_admin(superuser, rf):
    request = rf.get("/")
    request.user = superuser

    assert admin.site._registry[Invitation].has_add_permission(request) is False
