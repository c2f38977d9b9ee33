"""One path convention for the whole API (api.urls), readable operationIds, the
server named, and every address from before the convention redirected for one
release: 301 for reads, 308 (method and body kept) for the rest."""

import re

import pytest
import yaml
from django.core.management import call_command

# Every address of the API before the convention (its OpenAPI paths with real
# values), each method it answered, and where it lives now.
OLD_PATHS = [
    ("GET", "/api/v1/auth/token/", "/api/v1/auth-tokens/"),
    ("POST", "/api/v1/auth/token/", "/api/v1/auth-tokens/"),
    ("GET", "/api/v1/exchange/calls/", "/api/v1/calls/"),
    ("POST", "/api/v1/exchange/calls/", "/api/v1/calls/"),
    ("GET", "/api/v1/exchange/calls/open-call/", "/api/v1/calls/open-call/"),
    ("PATCH", "/api/v1/exchange/calls/open-call/", "/api/v1/calls/open-call/"),
    ("GET", "/api/v1/exchange/submissions/", "/api/v1/submissions/"),
    ("POST", "/api/v1/exchange/submissions/", "/api/v1/submissions/"),
    ("GET", "/api/v1/exchange/submissions/7/", "/api/v1/submissions/7/"),
    ("PATCH", "/api/v1/exchange/submissions/7/", "/api/v1/submissions/7/"),
    ("POST", "/api/v1/exchange/submissions/7/submit/", "/api/v1/submissions/7/submit/"),
    (
        "POST",
        "/api/v1/exchange/submissions/7/withdraw/",
        "/api/v1/submissions/7/withdraw/",
    ),
    (
        "POST",
        "/api/v1/investment-interests/7/confirm_terms/",
        "/api/v1/investment-interests/7/confirm-terms/",
    ),
    (
        "POST",
        "/api/v1/investment-projects/school-roof/status/",
        "/api/v1/investment-projects/school-roof/transition/",
    ),
    ("GET", "/api/v1/investments/oc4ids/", "/api/v1/investment-projects/oc4ids/"),
    ("GET", "/api/v1/my-registrations/", "/api/v1/event-registrations/"),
    ("POST", "/api/v1/my-registrations/", "/api/v1/event-registrations/"),
    ("GET", "/api/v1/my-registrations/7/", "/api/v1/event-registrations/7/"),
    (
        "POST",
        "/api/v1/my-registrations/7/cancel/",
        "/api/v1/event-registrations/7/cancel/",
    ),
    ("GET", "/api/v1/reviews/assignments/", "/api/v1/review-assignments/"),
    ("GET", "/api/v1/reviews/assignments/7/", "/api/v1/review-assignments/7/"),
    (
        "GET",
        "/api/v1/reviews/calls/open-call/dashboard/",
        "/api/v1/calls/open-call/review-dashboard/",
    ),
    ("GET", "/api/v1/reviews/decisions/", "/api/v1/decisions/"),
    ("GET", "/api/v1/reviews/decisions/7/", "/api/v1/decisions/7/"),
    ("GET", "/api/v1/reviews/reviews/", "/api/v1/reviews/"),
    ("GET", "/api/v1/reviews/reviews/7/", "/api/v1/reviews/7/"),
    (
        "GET",
        "/api/v1/reviews/submissions/7/reviews/",
        "/api/v1/submissions/7/reviews/",
    ),
    ("GET", "/api/v1/talent/aggregates/", "/api/v1/talent-aggregates/"),
    ("GET", "/api/v1/talent/invitations/", "/api/v1/talent-invitations/"),
    ("GET", "/api/v1/talent/invitations/7/", "/api/v1/talent-invitations/7/"),
    (
        "POST",
        "/api/v1/talent/invitations/7/respond/",
        "/api/v1/talent-invitations/7/respond/",
    ),
    ("GET", "/api/v1/talent/matches/", "/api/v1/talent-matches/"),
    ("GET", "/api/v1/talent/profile/", "/api/v1/talent-profiles/me/"),
    ("PUT", "/api/v1/talent/profile/", "/api/v1/talent-profiles/me/"),
    ("DELETE", "/api/v1/talent/profile/", "/api/v1/talent-profiles/me/"),
    ("GET", "/api/v1/talent/roles/", "/api/v1/talent-roles/"),
    ("POST", "/api/v1/talent/roles/", "/api/v1/talent-roles/"),
    ("GET", "/api/v1/talent/roles/7/", "/api/v1/talent-roles/7/"),
    ("PATCH", "/api/v1/talent/roles/7/", "/api/v1/talent-roles/7/"),
    ("POST", "/api/v1/talent/roles/7/submit/", "/api/v1/talent-roles/7/submit/"),
]

# /api/v1/ then resources as plural nouns with hyphens, each optionally followed
# by its {identifier}, and at the end an action or sub-resource (a word with
# hyphens), never an underscore or a capital.
WORD = r"[a-z0-9]+(?:-[a-z0-9]+)*"
CONVENTION = re.compile(rf"^/api/v1/(?:{WORD}/(?:\{{[a-z_]+\}}/)?){{0,2}}$")
# The two levels a path may have below a resource, by design.
NESTED = {
    "/api/v1/calls/{slug}/review-dashboard/",
    "/api/v1/submissions/{id}/reviews/",
    "/api/v1/investment-projects/oc4ids/",
    "/api/v1/talent-profiles/me/",
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker):
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--file", str(path))
    return yaml.safe_load(path.read_text())


@pytest.mark.parametrize(("method", "old", "new"), OLD_PATHS)
def test_every_old_path_redirects_to_its_new_one(client, method, old, new):
    response = client.generic(method, f"{old}?language=en", "{}", "application/json")

    assert response.status_code == (301 if method in ("GET", "HEAD") else 308)
    assert response["Location"] == f"{new}?language=en"


def test_old_paths_cover_every_address_moved(schema):
    """Each old address points at a path of today's document."""
    paths = set(schema["paths"])
    for _method, _old, new in OLD_PATHS:
        template = re.sub(r"/7/", "/{id}/", new)
        template = re.sub(r"/(open-call|school-roof)/", "/{slug}/", template)
        assert template in paths, new


@pytest.mark.django_db
def test_a_redirected_read_answers_at_its_new_address(client):
    response = client.get("/api/v1/exchange/calls/", follow=True)

    assert response.redirect_chain == [("/api/v1/calls/", 301)]
    assert response.status_code == 200


def test_every_path_follows_the_convention(schema):
    wrong = [path for path in schema["paths"] if not CONVENTION.match(path)]
    assert wrong == []
    for path, operations in schema["paths"].items():
        literal = [p for p in path.split("/")[3:-1] if not p.startswith("{")]
        if len(literal) > 1:
            assert path in NESTED or operations.keys() == {"post"}, path
        if path.count("/") > 5 and path not in NESTED:
            # An action on one object: POST …/{id}/<verb>/.
            assert set(operations) <= {"post", "parameters"}, path


def test_operation_ids_are_readable_and_unique(schema):
    ids = [
        operation["operationId"]
        for operations in schema["paths"].values()
        for method, operation in operations.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert len(ids) == len(set(ids))
    assert [
        i for i in ids if not re.fullmatch(r"[a-z]+(?:[A-Z0-9][a-z0-9]*)+", i)
    ] == []
    assert "listCalls" not in ids  # the basename names the resource
    assert {"listExchangeCalls", "withdrawExchangeSubmission", "getOc4idsPackage"} <= (
        set(ids)
    )


def test_the_document_names_its_server(schema, settings):
    assert schema["servers"] == [
        {"url": settings.SITE_URL, "description": "This Mist site"}
    ]


def test_every_answer_has_a_typed_schema(schema):
    """No success answer is a free-form object (the OC4IDS package included)."""
    untyped = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            for code, response in operation["responses"].items():
                if not code.startswith("2"):
                    continue
                for content in (response.get("content") or {}).values():
                    body = content["schema"]
                    if body.get("additionalProperties") == {} and not body.get(
                        "properties"
                    ):
                        untyped.append(f"{method} {path} {code}")
    assert untyped == []
    package = schema["components"]["schemas"]["OC4IDSPackage"]
    assert {"uri", "publishedDate", "publisher", "version", "projects"} <= set(
        package["required"]
    )
