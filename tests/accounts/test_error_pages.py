import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core import views
from tests.factories import UserFactory


def test_404_page_is_designed_and_in_the_page_language(client, db):
    response = client.get("/en/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="en">' in html
    assert "Page not found" in html
    assert reverse("core:home") in html
    assert 'class="site-header"' in html


def test_404_for_missing_object_uses_the_same_page(client, db):
    client.force_login(UserFactory(role="staff"))

    response = client.get(reverse("accounts:invitation-revoke", kwargs={"pk": 9999}))

    assert response.status_code == 404
    assert "error-code" in response.content.decode()


def test_403_page_explains_and_offers_way_back(client, db):
    client.force_login(UserFactory(role="investor"))
    with translation.override("en"):
        url = reverse("accounts:invitation-list")

    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 403
    assert "Access denied" in html
    assert "You do not have permission to open this page." in html


def test_500_page_renders_without_any_request_context(db):
    with translation.override("en"):
        html = render_to_string("500.html")

    assert "Something went wrong" in html
    assert "/static/css/mist.css" in html


def test_500_handler_returns_designed_page(rf):
    response = views.server_error(rf.get("/"))

    assert response.status_code == 500
    assert b"error-code" in response.content


def test_csrf_failure_shows_expired_form_page(db):
    client = Client(enforce_csrf_checks=True)
    with translation.override("en"):
        url = reverse("accounts:login")

    response = client.post(url, {"username": "a@example.org", "password": "x"})

    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()


@pytest.mark.parametrize("language", ["uk", "en"])
def test_error_pages_have_language_switch(client, db, language):
    response = client.get(f"/{language}/nowhere/")

    assert 'hreflang="uk"' in response.content.decode()
    assert 'hreflang="en"' in response.content.decode()
