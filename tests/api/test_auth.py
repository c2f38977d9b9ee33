"""Token and session authentication, throttling and sign-in lockout."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import Role
from directory.models import Organization
from tests.factories import OrganizationFactory, UserFactory

TOKEN_URL = reverse("api:token")
LIST_URL = reverse("api:organization-list")
PASSWORD = "correct-horse-42"


@pytest.fixture
def investor(db):
    return UserFactory(role=Role.INVESTOR, email="investor@example.org")


@pytest.fixture
def low_rates(monkeypatch):
    rates = {"anon": "3/min", "user": "5/min", "auth_token": "2/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    return rates


def test_token_for_email_and_password(api_client, investor):
    response = api_client.post(
        TOKEN_URL,
        {"email": "investor@example.org", "password": PASSWORD},
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=investor).key}


def test_the_same_token_comes_back_every_time(api_client, investor):
    credentials = {"email": "Investor@Example.org", "password": PASSWORD}

    first = api_client.post(TOKEN_URL, credentials, format="json").json()
    second = api_client.post(TOKEN_URL, credentials, format="json").json()

    assert first == second
    assert Token.objects.filter(user=investor).count() == 1


def test_a_token_signs_the_client_in(api_client, investor):
    OrganizationFactory(slug="members", visibility=Organization.Visibility.MEMBERS)
    token = api_client.post(
        TOKEN_URL, {"email": investor.email, "password": PASSWORD}, format="json"
    ).json()["token"]

    anonymous = api_client.get(LIST_URL)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    signed_in = api_client.get(LIST_URL)

    assert [row["slug"] for row in anonymous.json()["results"]] == []
    assert [row["slug"] for row in signed_in.json()["results"]] == ["members"]


def test_a_token_lets_a_client_create_without_csrf(investor):
    token = Token.objects.create(user=investor)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.post(
        LIST_URL, {"name_uk": "Через токен", "kind": "investor"}, format="json"
    )

    assert response.status_code == 201
    assert Organization.objects.filter(name_uk="Через токен").exists()


def test_a_wrong_password_gets_no_token(api_client, investor):
    response = api_client.post(
        TOKEN_URL,
        {"email": investor.email, "password": "wrong"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["The e-mail address or password is not correct."]
    }
    assert not Token.objects.exists()


def test_an_inactive_user_gets_no_token(api_client, investor):
    investor.is_active = False
    investor.save()

    response = api_client.post(
        TOKEN_URL, {"email": investor.email, "password": PASSWORD}, format="json"
    )

    assert response.status_code == 400
    assert not Token.objects.exists()


def test_token_request_without_fields(api_client, db):
    response = api_client.post(TOKEN_URL, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "email": ["This field is required."],
        "password": ["This field is required."],
    }


def test_an_unknown_token_is_401(api_client, db):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api_client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "errors": {}}


def test_repeated_wrong_passwords_lock_the_address_out(api_client, investor, settings):
    wrong = {"email": investor.email, "password": "wrong"}
    answers = [
        api_client.post(TOKEN_URL, wrong, format="json").status_code
        for _attempt in range(settings.AXES_FAILURE_LIMIT)
    ]

    locked = api_client.post(
        TOKEN_URL,
        {"email": investor.email, "password": PASSWORD},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # The attempt that reaches the limit is already refused as a lockout.
    assert answers == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert locked.json() == {
        "detail": "Too many failed attempts to sign in with this e-mail address. "
        "Try again later.",
        "errors": {},
    }
    assert not Token.objects.exists()


def test_token_requests_are_throttled(api_client, investor, low_rates):
    credentials = {"email": investor.email, "password": PASSWORD}
    answers = [
        api_client.post(TOKEN_URL, credentials, format="json").status_code
        for _request in range(3)
    ]

    assert answers == [200, 200, 429]


# Session authentication.


def test_a_session_works_for_reading(investor):
    OrganizationFactory(slug="members", visibility=Organization.Visibility.MEMBERS)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(investor)

    response = client.get(LIST_URL)

    assert [row["slug"] for row in response.json()["results"]] == ["members"]


def test_a_session_write_needs_the_csrf_token(investor):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(investor)

    response = client.post(
        LIST_URL,
        {"name_uk": "Без CSRF", "kind": "investor"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")
    assert not Organization.objects.filter(name_uk="Без CSRF").exists()


def test_a_session_write_with_the_csrf_token(investor):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(investor)
    client.get(reverse("api:docs"))  # sets the CSRF cookie, as a page would
    token = client.cookies["csrftoken"].value

    response = client.post(
        LIST_URL,
        {"name_uk": "З CSRF", "kind": "investor"},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 201


# Throttling of the API views.


@pytest.mark.parametrize(
    "url",
    [
        LIST_URL,
        reverse("api:sector-list"),
        reverse("api:tag-list"),
        reverse("api:place-list"),
        reverse("api:root"),
    ],
)
def test_anonymous_requests_are_throttled(api_client, low_rates, url):
    answers = [api_client.get(url).status_code for _request in range(4)]

    assert answers == [200, 200, 200, 429]


def test_signed_in_requests_are_throttled_at_the_user_rate(
    client_for, investor, low_rates
):
    client = client_for(investor)

    answers = [client.get(LIST_URL).status_code for _request in range(6)]

    assert answers == [200, 200, 200, 200, 200, 429]


def test_a_throttled_answer_says_when_to_retry(api_client, low_rates):
    for _request in range(3):
        api_client.get(LIST_URL)

    response = api_client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"].startswith("Request was throttled.")
    assert response.json()["errors"] == {}


def test_a_forged_forwarded_for_header_does_not_escape_throttling(
    api_client, low_rates
):
    answers = [
        api_client.get(LIST_URL, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(4)
    ]

    assert answers == [200, 200, 200, 429]
