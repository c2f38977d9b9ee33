"""What every reviews page shares: page size, form errors, the organizers' lookups."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from exchange.models import Call, Submission
from reviews import permissions, queries

#: The reviews pages are longer than the site's default page.
PAGE_SIZE = 25


def managed_call(request, slug: str) -> Call:
    call = queries.managed_calls(request.user).filter(slug=slug).first()
    if call is None:
        raise Http404
    if not permissions.can_manage_reviews(request.user, call):
        raise PermissionDenied
    return call


def managed_submission(request, pk: int) -> Submission:
    submission = queries.managed_submission(request.user, pk)
    if submission is None:
        raise Http404
    return submission
