"""What every API viewset shares: one answer for an object the caller may not see."""

from django.http import Http404
from rest_framework.exceptions import NotFound


class VisibleObjectMixin:
    """`get_object` over the viewset's own `get_queryset` (which holds the
    visibility rule), answering 404 with `not_found_message` for anything the
    caller may not see: a hidden object and a missing one look the same."""

    not_found_message = ""

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise NotFound(self.not_found_message or None) from None
