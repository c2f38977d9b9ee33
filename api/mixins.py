"""What every API viewset shares: one answer for an object the caller may not see,
one answer with an object just changed."""

from django.http import Http404
from rest_framework.exceptions import NotFound
from rest_framework.response import Response


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

    def visible_response(self, obj, **kwargs) -> Response:
        """`obj` as this viewset shows it after a change: read again through
        `get_queryset` (its annotations and prefetches) and serialized; `kwargs`
        (a status, headers) go to the `Response`."""
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(obj).data, **kwargs)
