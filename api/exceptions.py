"""One error shape for the whole API: {"detail": "...", "errors": {"field": [...]}}."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    """The object changed since the client read it (optimistic concurrency)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _lazy("The object changed since you read it.")
    default_code = "conflict"

    def __init__(self, detail=None, code=None, errors=None):
        super().__init__(detail, code)
        self.errors = errors or {}


class VersionRequired(exceptions.APIException):
    """A change of a versioned object that does not say which version it is based
    on: optimistic locking is not optional (428 Precondition Required)."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _lazy(
        "Send the version of the object you read (the field `version`), so that "
        "changes made since by someone else are not overwritten. Nothing was saved."
    )
    default_code = "version_required"

    def __init__(self, detail=None, code=None):
        super().__init__(detail, code)
        self.errors = {"version": [str(self.detail)]}


def require_version(request) -> None:
    """428 unless the body of a change of a versioned object carries `version`."""
    if "version" not in request.data:
        raise VersionRequired


class LockedOut(exceptions.APIException):
    """Too many failed sign-ins for this e-mail address from this address."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = _lazy(
        "Too many failed attempts to sign in with this e-mail address. Try again later."
    )
    default_code = "locked_out"


def flatten_errors(data, prefix: str = "") -> dict[str, list[str]]:
    """{"sectors": {"1": ["…"]}} becomes {"sectors.1": ["…"]}: one list per field."""
    if isinstance(data, dict):
        flat: dict[str, list[str]] = {}
        for key, value in data.items():
            key = "non_field_errors" if key == NON_FIELD_ERRORS else key
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_errors(value, name))
        return flat
    if isinstance(data, list) and any(isinstance(item, dict | list) for item in data):
        flat = {}
        for index, item in enumerate(data):
            if item:
                flat.update(flatten_errors(item, f"{prefix}.{index}"))
        return flat
    messages = data if isinstance(data, list) else [data]
    return {prefix or "non_field_errors": [str(message) for message in messages]}


def exception_handler(exc, context):
    """DRF's handler, plus Django's ValidationError from services, in one shape."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = _("Some of the data is not valid; see the errors for each field.")
        errors = flatten_errors(response.data)
    elif isinstance(response.data, dict) and "detail" in response.data:
        detail = str(response.data["detail"])
        errors = getattr(exc, "errors", None) or {}
    else:
        detail = str(response.data)
        errors = {}
    response.data = {"detail": detail, "errors": errors}
    return response


# Django's own error views, for addresses under /api/: JSON in the same shape,
# never the site's HTML pages (unknown addresses, refused hosts, crashes).


def is_api_request(request) -> bool:
    return request.path_info.startswith("/api/")


def _json_error(status_code: int, detail) -> JsonResponse:
    return JsonResponse(
        {"detail": str(detail), "errors": {}},
        status=status_code,
        json_dumps_params={"ensure_ascii": False},
    )


def bad_request(request, exception=None):
    if is_api_request(request):
        return _json_error(400, exceptions.ParseError.default_detail)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api_request(request):
        return _json_error(403, exceptions.PermissionDenied.default_detail)
    from core.views import permission_denied as page

    return page(request, exception)


def page_not_found(request, exception=None):
    if is_api_request(request):
        return _json_error(404, exceptions.NotFound.default_detail)
    from core.views import page_not_found as page

    return page(request, exception)


def server_error(request):
    if is_api_request(request):
        return _json_error(500, exceptions.APIException.default_detail)
    from core.views import server_error as page

    return page(request)
