"""Request bodies the API reads: a JSON object (or a form), without NUL bytes.

No field takes a NUL character (PostgreSQL text cannot hold one), so a body with
one anywhere, in a key or a value, answers 400 before a view reads it; otherwise
a NUL reaching a lookup of a related object (a slug) would fail in the database.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

NUL = "\x00"


def contains_nul(value) -> bool:
    """Whether a NUL character is anywhere in parsed data (keys included)."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(contains_nul(item) for item in value)
    return False


def _refuse_nul(data) -> None:
    if hasattr(data, "lists"):  # a QueryDict: every value of every key
        data = dict(data.lists())
    if contains_nul(data):
        raise ParseError(_("The body contains a NUL character, which no field takes."))


class JSONObjectParser(parsers.JSONParser):
    """JSON whose top level is an object: every API body is one, so an array, a
    string or a number answers 400 before any view reads it."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError(_("The body must be a JSON object ({…})."))
        _refuse_nul(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _refuse_nul(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _refuse_nul(result.data)
        _refuse_nul([f.name for _, files in result.files.lists() for f in files])
        return result
