"""The OpenAPI schema's error answers, documented once for every operation.

Every operation gets the error codes it can answer, each in the one error shape
(api.serializers.ErrorSerializer), derived from what the view really does:

- 400 for any request with a body (even a malformed one) or with query parameters;
- 401 wherever credentials are read (an invalid token is refused everywhere);
- 403 for changes (CSRF, roles) and for reads behind a permission of their own;
- 404 for addresses with an identifier, and for pages past a list's last one;
- 409 and 428 for changes of a versioned object (optimistic locking);
- 429 wherever requests are throttled.

Codes a view documents itself (with extend_schema) keep their own description.
"""

import re
from collections.abc import Callable

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated

ERRORS = {
    400: "Invalid input, with messages for each field.",
    401: "Not signed in, or the token is not valid.",
    403: "Not allowed.",
    404: "No such object, or not visible to you.",
    409: "The object changed since you read it; nothing was saved.",
    428: "The change does not say which version of the object it is based on "
    "(send `version`).",
    429: "Too many requests; try again later.",
}

# Permissions that never refuse a signed-in reader (anonymous ones get 401).
_READ_PERMISSIONS_WITHOUT_403 = (AllowAny, IsAuthenticated)


def error_response(code: int) -> OpenApiResponse:
    from api.serializers import ErrorSerializer

    return OpenApiResponse(response=ErrorSerializer, description=ERRORS[code])


def editable_schema(
    *,
    tags: list[str],
    output,
    input,
    list_summary: str,
    retrieve: str,
    create: str,
    partial_update: str,
    **list_options,
) -> Callable:
    """`extend_schema_view` of a viewset that lists, shows, creates and changes
    (partially): the summary of each of these actions, `input` for the writes,
    `output` for every answer, `list_options` (parameters) for the list."""
    return extend_schema_view(
        list=extend_schema(summary=list_summary, tags=tags, **list_options),
        retrieve=extend_schema(summary=retrieve, tags=tags, responses={200: output}),
        create=extend_schema(
            summary=create, tags=tags, request=input, responses={201: output}
        ),
        partial_update=extend_schema(
            summary=partial_update, tags=tags, request=input, responses={200: output}
        ),
    )


# operationIds: a verb and the resource, in camelCase (listCalls, getCall,
# withdrawSubmission). Viewsets take the verb from their action and the resource
# from their basename; paths that are not viewsets are named here.
ACTION_VERBS = {
    "list": "list",
    "retrieve": "get",
    "create": "create",
    "update": "replace",
    "partial_update": "update",
    "destroy": "delete",
}
METHOD_VERBS = {
    "GET": "get",
    "POST": "create",
    "PUT": "replace",
    "PATCH": "update",
    "DELETE": "delete",
}
OPERATION_IDS = {
    ("/api/v1/", "GET"): "getApiRoot",
    ("/api/v1/auth-tokens/", "POST"): "createAuthToken",
    ("/api/v1/investment-projects/oc4ids/", "GET"): "getOc4idsPackage",
    ("/api/v1/recommendations/", "GET"): "listRecommendations",
    ("/api/v1/calls/{slug}/review-dashboard/", "GET"): "getCallReviewDashboard",
    ("/api/v1/submissions/{id}/reviews/", "GET"): "listSubmissionReviews",
    ("/api/v1/talent-profiles/me/", "GET"): "getMyTalentProfile",
    ("/api/v1/talent-profiles/me/", "PUT"): "replaceMyTalentProfile",
    ("/api/v1/talent-profiles/me/", "DELETE"): "deleteMyTalentProfile",
    ("/api/v1/talent-matches/", "GET"): "listMyTalentMatches",
    ("/api/v1/talent-aggregates/", "GET"): "getTalentAggregates",
}
# Action names that are not verbs on their own.
ACTION_NAMES = {"status": "transition"}


def _camel(*words: str) -> str:
    parts = [part for word in words for part in re.split(r"[-_/\s]+", word) if part]
    return parts[0].lower() + "".join(part[:1].upper() + part[1:] for part in parts[1:])


def _plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


class AutoSchema(BaseAutoSchema):
    """drf-spectacular's schema, with every operation's error answers and readable
    operationIds."""

    def get_tags(self) -> list[str]:
        """By the app the endpoint belongs to (its API module), not by the first
        word of its path: the paths are flat."""
        if self.path in ("/api/v1/", "/api/v1/auth-tokens/"):
            return ["api"]
        module = type(self.view).__module__.rsplit(".", 1)[-1]
        if module == "views":
            return ["directory"]
        return [module]

    def get_operation_id(self):
        named = OPERATION_IDS.get((self.path, self.method))
        if named:
            return named
        basename = getattr(self.view, "basename", None)
        action = getattr(self.view, "action", None)
        if basename and action:
            if action == "list":
                return _camel("list", _plural(basename))
            verb = ACTION_VERBS.get(action) or ACTION_NAMES.get(action, action)
            return _camel(verb, basename)
        words = [
            part
            for part in self.path.removeprefix("/api/v1/").split("/")
            if part and not part.startswith("{")
        ]
        return _camel(METHOD_VERBS.get(self.method, self.method.lower()), *words)

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(
            path, path_regex, path_prefix, method, registry
        )
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code in self.error_codes(operation):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    error_response(code), str(code)
                )
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def error_codes(self, operation: dict) -> set[int]:
        view = self.view
        changes = self.method not in SAFE_METHODS
        parameters = operation.get("parameters", [])
        codes = set()
        if changes or any(p["in"] == "query" for p in parameters):
            codes.add(400)
        if view.get_authenticators():
            codes.add(401)
            permissions = view.get_permissions()
            if changes or not all(
                isinstance(p, _READ_PERMISSIONS_WITHOUT_403) for p in permissions
            ):
                codes.add(403)
        if any(p["in"] == "path" for p in parameters) or any(
            p["name"] == "page" and p["in"] == "query" for p in parameters
        ):
            codes.add(404)
        if self.method in ("PUT", "PATCH") and self._is_versioned():
            codes.update((409, 428))
        if view.get_throttles():
            codes.add(429)
        return codes

    def _is_versioned(self) -> bool:
        serializer = force_instance(self.get_request_serializer())
        fields = getattr(serializer, "fields", None)
        return bool(fields) and "version" in fields
