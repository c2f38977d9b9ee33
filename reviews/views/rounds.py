"""A later review round: the organizers choose who reviews it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.views import add_errors_to_form
from exchange import queries as exchange_queries
from reviews import permissions, queries, services
from reviews.forms import RoundReviewersForm
from reviews.models import CallReviewer
from reviews.views.common import managed_submission


@login_required
@require_http_methods(["GET", "POST"])
def round_reviewers(request, pk):
    """The reviewers of the submission's current (second or later) round: the same
    as before by default, or others the organizers choose."""
    submission = managed_submission(request, pk)
    if not permissions.can_manage_round(request.user, submission):
        raise PermissionDenied
    current = list(queries.round_assignments(submission))
    call_reviewers = (
        CallReviewer.objects.filter(call=submission.call, is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    form = RoundReviewersForm(
        request.POST or None,
        call_reviewers=call_reviewers,
        initial={"reviewers": [a.call_reviewer_id for a in current]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_round_reviewers(
                submission,
                reviewers=list(form.cleaned_data["reviewers"]),
                by=request.user,
            )
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, _("The reviewers of this round are saved."))
            return redirect("reviews:submission-reviews", pk=submission.pk)
    context = {
        "submission": submission,
        "call": submission.call,
        "form": form,
        "current": current,
        "deadline": exchange_queries.deadline(
            submission.resubmit_until, submission.call
        )
        if submission.resubmit_until
        else None,
    }
    return render(request, "reviews/round_reviewers.html", context)
