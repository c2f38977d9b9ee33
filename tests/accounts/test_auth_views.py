import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from tests.factories import UserFactory

PASSWORD = "correct-horse-42"


@pytest.fixture
def person(db):
    return UserFactory(email="olena@example.org", full_name="Olena Koval")


def sign_in(client, email, password, **extra):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, **extra
    )


def test_login_page_asks_for_email_and_password(client, db):
    response = client.get(reverse("accounts:login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="form-label" for="id_username">Електронна пошта' in html
    assert 'type="email"' in html
    assert 'class="form-control"' in html
    assert reverse("accounts:password-reset") in html


def test_login_with_email_in_any_case_signs_in(client, person):
    response = sign_in(client, "  Olena@Example.ORG ", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.session["_auth_user_id"] == str(person.pk)


def test_login_with_wrong_password_shows_error_and_keeps_email(client, person):
    response = sign_in(client, "olena@example.org", "wrong-password")

    html = response.content.decode()
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'value="olena@example.org"' in html
    assert "alert-danger" in html


def test_login_of_deactivated_user_fails(client, person):
    person.is_active = False
    person.save()

    response = sign_in(client, "olena@example.org", PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_is_locked_after_five_failures(client, person):
    for _ in range(4):
        assert sign_in(client, "olena@example.org", "wrong").status_code == 200

    fifth = sign_in(client, "OLENA@example.org", "wrong")
    with_right_password = sign_in(client, "olena@example.org", PASSWORD)

    assert fifth.status_code == 429
    assert "Забагато невдалих спроб входу" in fifth.content.decode()
    assert "Зачекайте 15 хвилин" in fifth.content.decode()
    assert with_right_password.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_address_and_user(client, person):
    for _ in range(5):
        sign_in(client, "olena@example.org", "wrong", REMOTE_ADDR="10.0.0.1")

    elsewhere = sign_in(client, "olena@example.org", PASSWORD, REMOTE_ADDR="10.0.0.2")

    assert elsewhere.status_code == 302


def test_lockout_counts_the_forwarded_address_behind_a_proxy(client, person, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        sign_in(
            client,
            "olena@example.org",
            "wrong",
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )

    other_visitor = sign_in(
        client,
        "olena@example.org",
        PASSWORD,
        REMOTE_ADDR="10.0.0.9",
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )

    assert other_visitor.status_code == 302


def test_logout_needs_post(client, person):
    client.force_login(person)

    get = client.get(reverse("accounts:logout"))
    post = client.post(reverse("accounts:logout"))

    assert get.status_code == 405
    assert post.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_link_in_users_language(client, person, settings):
    settings.SITE_URL = "https://mist.example.org/"
    person.preferred_language = "en"
    person.save()

    response = client.post(
        reverse("accounts:password-reset"), {"email": "olena@example.org"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["olena@example.org"]
    assert message.subject == "Set a new password for Mist"
    assert "Hello Olena," in message.body
    assert re.search(
        r"\nhttps://mist\.example\.org/en/accounts/password-reset/[\w-]+/[\w-]+/\n",
        message.body,
    )


def test_password_reset_for_unknown_address_sends_nothing(client, db):
    response = client.post(
        reverse("accounts:password-reset"), {"email": "nobody@example.org"}
    )

    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_link_sets_new_password(client, person, settings):
    settings.SITE_URL = "https://mist.example.org"
    client.post(reverse("accounts:password-reset"), {"email": "olena@example.org"})
    link = re.search(r"https://mist\.example\.org(/\S+)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Brand-new-Pass-91", "new_password2": "Brand-new-Pass-91"},
    )

    assert "Установити новий пароль" in form_page.content.decode()
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password-reset-complete")
    person.refresh_from_db()
    assert person.check_password("Brand-new-Pass-91")


def test_password_reset_link_used_twice_shows_clear_page(client, person):
    client.post(reverse("accounts:password-reset"), {"email": "olena@example.org"})
    link = re.search(r"https?://[^/\s]+(/uk/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Brand-new-Pass-91", "new_password2": "Brand-new-Pass-91"},
    )

    again = client.get(link, follow=True)

    assert "Це посилання більше не діє" in again.content.decode()


def test_password_change_for_signed_in_user(client, person):
    client.force_login(person)

    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Another-good-Pass-55",
            "new_password2": "Another-good-Pass-55",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-change-done")
    person.refresh_from_db()
    assert person.check_password("Another-good-Pass-55")
    assert client.session["_auth_user_id"] == str(person.pk)


def test_password_change_with_wrong_old_password_marks_the_field(client, person):
    client.force_login(person)

    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "nope",
            "new_password1": "Another-good-Pass-55",
            "new_password2": "Another-good-Pass-55",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="form-control is-invalid"' in html
    assert list(response.context["form"].errors) == ["old_password"]


def test_english_login_page_is_in_english(client, db):
    with translation.override("en"):
        url = reverse("accounts:login")

    response = client.get(url)

    assert url.startswith("/en/")
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.parametrize("role", Role.values)
def test_every_role_can_sign_in(client, db, role):
    UserFactory(email=f"{role}@example.org", role=role)

    response = sign_in(client, f"{role}@example.org", PASSWORD)

    assert response.status_code == 302
