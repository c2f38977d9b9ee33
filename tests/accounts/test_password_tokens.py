"""A new password ends the person's API tokens, as it ends their other sessions."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Role
from tests.factories import UserFactory

PASSWORD = "correct-horse-42"
NEW_PASSWORD = "Brand-new-Pass-91"


@pytest.fixture
def person(db):
    return UserFactory(role=Role.EDITOR, email="olena@example.org")


@pytest.fixture
def tokens(person):
    """The person's token and someone else's."""
    other = UserFactory(role=Role.EDITOR, email="taras@example.org")
    return Token.objects.create(user=person), Token.objects.create(user=other)


def api_answer(token) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client.get("/api/v1/organizations/").status_code


def test_password_change_ends_the_persons_api_tokens(client, person, tokens):
    own, others = tokens
    client.force_login(person)
    other_browser = client.__class__()
    other_browser.force_login(person)

    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response["Location"] == reverse("accounts:password-change-done")
    assert list(Token.objects.values_list("key", flat=True)) == [others.key]
    assert api_answer(own) == 401
    assert api_answer(others) == 200
    assert client.get(reverse("accounts:me")).status_code == 200
    assert other_browser.get(reverse("accounts:me")).status_code == 302


def test_password_reset_ends_the_persons_api_tokens_and_sessions(
    client, person, tokens
):
    own, others = tokens
    other_browser = client.__class__()
    other_browser.force_login(person)
    client.post(reverse("accounts:password-reset"), {"email": person.email})
    link = re.search(r"https?://[^/\s]+(/uk/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)

    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert done["Location"] == reverse("accounts:password-reset-complete")
    assert list(Token.objects.values_list("key", flat=True)) == [others.key]
    assert api_answer(own) == 401
    assert other_browser.get(reverse("accounts:me")).status_code == 302


def test_saving_the_profile_keeps_the_token(client, person, tokens):
    own, _others = tokens
    client.force_login(person)

    client.post(
        reverse("accounts:me"),
        {
            "full_name": "Olena Koval",
            "preferred_language": "uk",
            "time_zone": "Europe/Kyiv",
        },
    )

    assert Token.objects.filter(key=own.key).exists()
    assert api_answer(own) == 200
