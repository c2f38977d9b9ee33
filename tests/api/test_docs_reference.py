"""The API documentation covers every app's endpoints, read from the OpenAPI
document, with an interactive reference whose assets are served locally (issue 13)."""

import re

from django.contrib.staticfiles import finders
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

# One endpoint of each app's API module (api/urls.py APP_MODULES and the directory).
ONE_PER_APP = [
    "/api/v1/organizations/",
    "/api/v1/calls/",
    "/api/v1/decisions/",
    "/api/v1/recommendations/",
    "/api/v1/investment-projects/",
    "/api/v1/events/",
    "/api/v1/needs-offers/",
    "/api/v1/meeting-requests/",
]


def test_schema_has_every_apps_endpoints(db):
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]

    missing = [
        path
        for path in ONE_PER_APP
        if not any(known.startswith(path) for known in paths)
    ]
    assert missing == []


def test_docs_page_lists_every_schema_operation(client, db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    expected = {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }

    response = client.get(reverse("api:docs"))

    listed = set(
        re.findall(r"<code>([A-Z]+ /api/v1/[^<]*)</code>", response.content.decode())
    )
    assert listed == {item.replace("<", "&lt;") for item in expected}
    assert len(listed) > 40


def test_reference_page_loads_its_assets_from_this_site(client, db):
    response = client.get(reverse("api:docs-reference"))

    html = response.content.decode()
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(source.startswith("/") for source in sources), sources
    assert "<style" not in html
    assert "<script>" not in html  # no inline script: the CSP forbids it
    for source in sources:
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), source
    script = [s for s in sources if "script" in s and not s.startswith("/static/")]
    assert len(script) == 1
    init = client.get(script[0])
    assert init.status_code == 200
    assert "/api/v1/schema/" in init.content.decode()


def test_reference_page_content_security_policy_allows_only_self(client, db):
    response = client.get(reverse("api:docs-reference"))

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "cdn" not in policy.lower()
