"""The OpenAPI document, the API root and the page for people."""

import json

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse


def test_schema_generates_and_validates_without_warnings(tmp_path, db):
    path = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))

    schema = yaml.safe_load(path.read_text())
    assert schema["info"]["title"] == "Mist API"
    assert set(schema["paths"]) == {
        "/api/v1/",
        "/api/v1/auth-tokens/",
        "/api/v1/events/",
        "/api/v1/events/{slug}/",
        "/api/v1/events/{slug}/cancel/",
        "/api/v1/events/{slug}/publish/",
        "/api/v1/calls/",
        "/api/v1/calls/{slug}/",
        "/api/v1/submissions/",
        "/api/v1/submissions/{id}/",
        "/api/v1/submissions/{id}/submit/",
        "/api/v1/submissions/{id}/withdraw/",
        "/api/v1/insights/",
        "/api/v1/insights/{slug}/",
        "/api/v1/investment-interests/",
        "/api/v1/investment-interests/{id}/",
        "/api/v1/investment-interests/{id}/confirm-terms/",
        "/api/v1/investment-interests/{id}/move/",
        "/api/v1/investment-projects/",
        "/api/v1/investment-projects/{slug}/",
        "/api/v1/investment-projects/{slug}/transition/",
        "/api/v1/investment-projects/oc4ids/",
        "/api/v1/meeting-requests/",
        "/api/v1/meeting-requests/{id}/",
        "/api/v1/meetings/",
        "/api/v1/meetings/{id}/",
        "/api/v1/event-registrations/",
        "/api/v1/event-registrations/{id}/",
        "/api/v1/event-registrations/{id}/cancel/",
        "/api/v1/needs-offers/",
        "/api/v1/needs-offers/{id}/",
        "/api/v1/needs-offers/{id}/submit/",
        "/api/v1/organizations/",
        "/api/v1/organizations/{slug}/",
        "/api/v1/places/",
        "/api/v1/places/{code}/",
        "/api/v1/recommendations/",
        "/api/v1/review-assignments/",
        "/api/v1/review-assignments/{id}/",
        "/api/v1/calls/{slug}/review-dashboard/",
        "/api/v1/decisions/",
        "/api/v1/decisions/{id}/",
        "/api/v1/reviews/",
        "/api/v1/reviews/{id}/",
        "/api/v1/submissions/{id}/reviews/",
        "/api/v1/sectors/",
        "/api/v1/sectors/{code}/",
        "/api/v1/tags/",
        "/api/v1/tags/{slug}/",
        "/api/v1/talent-aggregates/",
        "/api/v1/talent-invitations/",
        "/api/v1/talent-invitations/{id}/",
        "/api/v1/talent-invitations/{id}/respond/",
        "/api/v1/talent-matches/",
        "/api/v1/talent-profiles/me/",
        "/api/v1/talent-roles/",
        "/api/v1/talent-roles/{id}/",
        "/api/v1/talent-roles/{id}/submit/",
    }
    organization = schema["components"]["schemas"]["Organization"]
    assert "rntrc" in organization["properties"]
    assert "rntrc" not in organization["required"]
    parameters = {
        p["name"]
        for p in schema["paths"]["/api/v1/organizations/"]["get"]["parameters"]
    }
    assert parameters == {
        "q",
        "kind",
        "sector",
        "tag",
        "place",
        "country",
        "cluster_member",
        "verification",
        "ordering",
        "page",
        "page_size",
    }


def test_schema_is_served_as_yaml_and_json(api_client):
    as_yaml = api_client.get(reverse("api:schema"))
    as_json = api_client.get(reverse("api:schema"), {"format": "json"})

    assert as_yaml.status_code == 200
    assert yaml.safe_load(as_yaml.content)["openapi"].startswith("3.")
    assert as_json.status_code == 200
    assert "/api/v1/organizations/" in json.loads(as_json.content)["paths"]


def test_api_root_links_every_resource(api_client):
    response = api_client.get(reverse("api:root"))

    assert response.json() == {
        "organizations": "http://testserver/api/v1/organizations/",
        "sectors": "http://testserver/api/v1/sectors/",
        "tags": "http://testserver/api/v1/tags/",
        "places": "http://testserver/api/v1/places/",
        "token": "http://testserver/api/v1/auth-tokens/",
        "schema": "http://testserver/api/v1/schema/",
        "docs": "http://testserver/api/v1/docs/",
    }


@pytest.mark.parametrize("language", ["uk", "en"])
def test_docs_page_links_the_schema(client, db, language):
    response = client.get(reverse("api:docs"), HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'href="/api/v1/schema/?format=json"' in content
    assert "<code>GET /api/v1/organizations/</code>" in content
    assert f'<html lang="{language}">' in content


def _responses(schema, method, path):
    return sorted(schema["paths"][path][method]["responses"])


def test_error_codes_are_documented_where_they_can_happen(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert _responses(schema, "get", "/api/v1/organizations/") == [
        "200", "400", "401", "403", "404", "429",
    ]  # fmt: skip
    assert _responses(schema, "get", "/api/v1/sectors/{code}/") == [
        "200", "401", "404", "429",
    ]  # fmt: skip
    assert _responses(schema, "patch", "/api/v1/organizations/{slug}/") == [
        "200", "202", "400", "401", "403", "404", "409", "428", "429",
    ]  # fmt: skip
    assert _responses(schema, "patch", "/api/v1/investment-projects/{slug}/") == [
        "200", "400", "401", "403", "404", "409", "428", "429",
    ]  # fmt: skip
    # Credentials are not read here, so no 401; the sign-in lockout is a 429.
    assert _responses(schema, "post", "/api/v1/auth-tokens/") == ["200", "400", "429"]
    # Every error has the one error shape.
    error = schema["paths"]["/api/v1/organizations/{slug}/"]["patch"]["responses"]
    assert error["428"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert error["428"]["description"].startswith("The change does not say")


@pytest.mark.parametrize("language", ["uk", "en"])
def test_docs_page_explains_versions_in_both_languages(client, db, language):
    response = client.get(reverse("api:docs"), HTTP_ACCEPT_LANGUAGE=language)

    expected = {
        "en": "without it nothing is saved and the answer is 428 Precondition",
        "uk": "без неї нічого не буде збережено, а відповідь буде 428",
    }[language]
    assert expected in " ".join(response.content.decode().split())
