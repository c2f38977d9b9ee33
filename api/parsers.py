"""Request bodies the API reads."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONObjectParser(JSONParser):
    """JSON whose top level is an object: every API body is one, so an array, a
    string or a number answers 400 before any view reads it."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError(_("The body must be a JSON object ({…})."))
        return data
