"""What every exchange page shares: the visible call and submission, the
submission lists' filters."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from exchange import permissions, queries
from exchange.models import Call, Submission


def call_or_404(request, slug, *, may=None) -> Call:
    """The call the user may see (else 404); with `may`, a predicate on the user
    and the call that must also hold (else 403)."""
    call = queries.call_for_page(request.user, slug)
    if call is None:
        raise Http404
    if may is not None and not may(request.user, call):
        raise PermissionDenied
    return call


def submission_or_404(request, pk, *, may=None) -> Submission:
    """The submission the user may see (else 404); with `may`, a predicate on the
    user and the submission that must also hold (else 403)."""
    submission = queries.submission_for_page(request.user, pk)
    if submission is None or not permissions.can_view_submission(
        request.user, submission
    ):
        raise Http404
    if may is not None and not may(request.user, submission):
        raise PermissionDenied
    return submission


def filtered(form, submissions):
    """The submissions as the list's filter form asks: text, status, order."""
    if form.is_bound:
        form.is_valid()
    data = getattr(form, "cleaned_data", {}) or {}
    q = data.get("q")
    if q:
        submissions = submissions.filter(
            Q(title_uk__icontains=q) | Q(title_en__icontains=q)
        )
    if data.get("status"):
        submissions = submissions.filter(status=data["status"])
    order = {
        "title": ("title_uk", "title_en"),
        "-submitted": ("-submitted_at",),
    }.get(data.get("sort") or "", ("-updated_at",))
    return submissions.order_by(*order, "-pk")
