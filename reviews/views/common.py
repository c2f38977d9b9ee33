"""What every reviews page shares: page size, form errors, the organizers' lookups."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from exchange.models import Call, Submission
from reviews import permissions, queries

#: The reviews pages are longer than the site's default page.
PAGE_SIZE = 25


def apply_form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


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
