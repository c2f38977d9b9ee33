"""URL patterns written once under their common prefix."""

from django.urls import URLPattern, path


def routes(prefix: str, *rows: tuple) -> list[URLPattern]:
    """`path(prefix + suffix, view, name=name)` for each `(suffix, view, name)`:
    the pages and actions of one object, without repeating its URL prefix."""
    return [path(prefix + suffix, view, name=name) for suffix, view, name in rows]
