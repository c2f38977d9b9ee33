"""Content Security Policy on our pages and in the Django admin."""

import re

import pytest
from django.urls import reverse

from accounts.models import Invitation, Role
from core import audit
from tests.factories import UserFactory


def script_src(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    directives = dict(
        part.strip().split(" ", 1) for part in policy.split(";") if part.strip()
    )
    return directives["script-src"].split()


def assert_strict_script_src(response):
    """Scripts only from the site, or carrying this response's nonce."""
    sources = script_src(response)
    assert "'unsafe-inline'" not in sources
    assert "'unsafe-eval'" not in sources
    assert "'self'" in sources
    assert [s for s in sources if s != "'self'" and not s.startswith("'nonce-")] == []


def inline_code(html: str) -> list[str]:
    """Inline scripts (data blocks excepted), <style> elements and style attributes."""
    found = []
    for attrs in re.findall(r"<script\b([^>]*)>", html):
        if "src=" not in attrs and "application/json" not in attrs:
            found.append(f"<script{attrs}>")
    found += re.findall(r"<style\b[^>]*>", html)
    found += re.findall(r"\sstyle=\"[^\"]*\"", html)
    found += re.findall(r"\shx-on[:-][\w:-]*=", html)
    return found


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("core:home", None),
        ("accounts:login", None),
        ("accounts:password-reset", None),
        ("accounts:me", Role.EDITOR),
        ("accounts:invitation-list", Role.STAFF),
        ("accounts:invitation-create", Role.STAFF),
        ("accounts:user-list", Role.ADMIN),
    ],
)
def test_pages_carry_a_strict_csp_and_no_inline_code(client, db, name, role):
    if role:
        client.force_login(UserFactory(role=role))

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert_strict_script_src(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert inline_code(response.content.decode()) == []


def test_error_page_carries_csp(client, db):
    response = client.get("/uk/no-such-page/")

    assert response.status_code == 404
    assert_strict_script_src(response)
    assert inline_code(response.content.decode()) == []


@pytest.fixture
def superuser(db):
    return UserFactory(
        email="root@example.org", role=Role.ADMIN, is_staff=True, is_superuser=True
    )


def admin_urls(superuser):
    invitation = Invitation.objects.create(email="x@example.org", role=Role.EDITOR)
    entry = audit.record("invitation.sent", invitation, actor=superuser)
    return [
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[superuser.pk]),
        reverse("admin:accounts_user_add"),
        reverse("admin:accounts_membership_changelist"),
        reverse("admin:accounts_invitation_changelist"),
        reverse("admin:accounts_invitation_change", args=[invitation.pk]),
        reverse("admin:core_auditentry_changelist"),
        reverse("admin:core_auditentry_change", args=[entry.pk]),
    ]


def test_admin_works_under_the_same_strict_csp(client, superuser):
    """Django 5.2's admin has no inline scripts, so the site-wide policy holds there
    too; nothing is relaxed for /admin/."""
    client.force_login(superuser)

    for url in admin_urls(superuser):
        response = client.get(url)

        assert response.status_code == 200, url
        assert_strict_script_src(response)
        assert inline_code(response.content.decode()) == [], url
