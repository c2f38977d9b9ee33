"""The endpoints the documentation page lists, read from the OpenAPI document itself
(so the page covers every app's endpoints and never drifts from the schema)."""

from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")
# The document is built once per process and language (about two seconds).
_GROUPS: dict[str, list] = {}


def endpoint_groups() -> list[tuple[str, list[dict]]]:
    """[(tag, [{"method", "path", "summary"}, ...]), ...] by tag, in path order."""
    language = translation.get_language() or ""
    if language not in _GROUPS:
        schema = SchemaGenerator().get_schema(request=None, public=True)
        groups: dict[str, list[dict]] = {}
        for path, operations in schema["paths"].items():
            for method in METHODS:
                operation = operations.get(method)
                if operation is None:
                    continue
                tag = (operation.get("tags") or ["api"])[0]
                text = operation.get("summary") or operation.get("description", "")
                groups.setdefault(tag, []).append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": str(text).strip().split("\n")[0],
                    }
                )
        _GROUPS[language] = sorted(groups.items())
    return _GROUPS[language]
