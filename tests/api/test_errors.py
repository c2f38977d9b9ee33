"""One JSON error shape for every failure, in the reader's language."""

import pytest
from django.urls import reverse

from directory.models import Organization
from tests.factories import OrganizationFactory

LIST_URL = reverse("api:organization-list")


def detail_url(organization):
    return reverse("api:organization-detail", kwargs={"slug": organization.slug})


def test_400_lists_messages_per_field(client_for, editor):
    response = client_for(editor).post(
        LIST_URL,
        {"name_uk": "", "kind": "it_company", "edrpou": "00000001"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Some of the data is not valid; see the errors for each field.",
        "errors": {
            "name_uk": ["This field may not be blank."],
            "edrpou": [
                "00000001 is not a valid EDRPOU code (8 digits with a check digit)."
            ],
        },
    }


def test_400_for_a_list_field_names_the_field(client_for, editor):
    response = client_for(editor).post(
        LIST_URL,
        {"name_uk": "Назва", "kind": "ngo", "sectors": "not-a-list"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "sectors": ['Expected a list of items but got type "str".']
    }


def test_400_for_a_body_that_is_not_json(client_for, editor):
    response = client_for(editor).post(
        LIST_URL,
        "{not json",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")
    assert response.json()["errors"] == {}


def test_401(api_client):
    response = api_client.post(LIST_URL, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication credentials were not provided.",
        "errors": {},
    }


def test_403(client_for, other_editor, organization):
    response = client_for(other_editor).patch(
        detail_url(organization), {}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 403
    assert response.json() == {
        "detail": "You may not change this organization.",
        "errors": {},
    }


def test_404_for_an_organization_not_visible(api_client):
    hidden = OrganizationFactory(verification=Organization.Verification.PENDING)

    response = api_client.get(detail_url(hidden), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == {
        "detail": "There is no organization at this address that you may see.",
        "errors": {},
    }


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_404_for_an_unknown_api_address_is_json(api_client, method):
    response = getattr(api_client, method)(
        "/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_405(client_for, staff, organization):
    response = client_for(staff).delete(
        detail_url(organization), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 405
    assert response.json() == {
        "detail": 'Method "DELETE" not allowed.',
        "errors": {},
    }
    assert "DELETE" not in response["Allow"]


# Languages: Accept-Language decides, Ukrainian by default.


@pytest.mark.parametrize(
    ("accept_language", "detail", "content_language"),
    [
        ("en", "Authentication credentials were not provided.", "en"),
        ("en-US,en;q=0.9", "Authentication credentials were not provided.", "en"),
        ("uk", "Реквізити перевірки достовірності не надані.", "uk"),
        (
            "uk-UA,uk;q=0.9,en;q=0.5",
            "Реквізити перевірки достовірності не надані.",
            "uk",
        ),
        (None, "Реквізити перевірки достовірності не надані.", "uk"),
    ],
)
def test_messages_follow_accept_language(
    api_client, accept_language, detail, content_language
):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}

    response = api_client.post(LIST_URL, {}, format="json", **headers)

    assert response.json()["detail"] == detail
    assert response["Content-Language"] == content_language
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize(
    ("accept_language", "message"),
    [("en", "This field is required."), ("uk", "Це поле обов'язкове.")],
)
def test_field_messages_follow_accept_language(
    client_for, editor, accept_language, message
):
    response = client_for(editor).post(
        LIST_URL, {"kind": "ngo"}, format="json", HTTP_ACCEPT_LANGUAGE=accept_language
    )

    assert response.json()["errors"] == {"name_uk": [message]}


def test_organization_url_follows_accept_language(api_client, organization):
    english = api_client.get(detail_url(organization), HTTP_ACCEPT_LANGUAGE="en")
    ukrainian = api_client.get(detail_url(organization), HTTP_ACCEPT_LANGUAGE="uk")

    assert english.json()["url"].endswith(f"/en/directory/o/{organization.slug}/")
    assert ukrainian.json()["url"].endswith(f"/uk/directory/o/{organization.slug}/")
