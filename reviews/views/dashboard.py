"""The organizers follow a call: their calls, the dashboard and its export, the
reviewers, and every review of one submission."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.exports import header_choice, spreadsheet
from core.pagination import paginate
from core.translation import active_language
from core.views import add_errors_to_form, render_page
from exchange import queries as exchange_queries
from reviews import exports, permissions, queries, services
from reviews.forms import DashboardFilterForm, InviteReviewerForm
from reviews.models import Decision
from reviews.rendering import dashboard_table_rows
from reviews.views.common import (
    PAGE_SIZE,
    managed_call,
    managed_submission,
)

DASHBOARD_PAGE_SIZES = (25, 50, 100, 500, 2000, 5000, 20000)


@login_required
@require_GET
def call_list(request):
    """Calls whose reviews the user runs, with progress."""
    calls = queries.managed_calls(request.user)
    page = paginate(request, calls, PAGE_SIZE)
    return render(
        request, "reviews/call_list.html", {"page_obj": page, "calls": page.object_list}
    )


def _dashboard_rows(request, call):
    form = DashboardFilterForm(request.GET or None)
    values = form.values()
    if _unfiltered(values):
        # Rank order, nothing filtered: the rows are read a page at a time.
        rows = queries.RankedRows(call, language=active_language())
        return form, values, rows, rows
    all_rows = queries.dashboard_rows(call, language=active_language())
    rows = queries.filter_rows(
        all_rows,
        q=values["q"],
        progress=values["progress"],
        disagreement=values["disagreement"],
        decision=values["decision"],
        round=values["round"],
    )
    return form, values, queries.sort_rows(rows, values["ordering"]), all_rows


def _unfiltered(values) -> bool:
    filters = ("q", "progress", "disagreement", "decision", "round")
    return values["ordering"] == "rank" and not any(values[f] for f in filters)


def _per_page(request) -> int:
    try:
        per_page = int(request.GET.get("per_page", PAGE_SIZE))
    except ValueError:
        return PAGE_SIZE
    return per_page if per_page in DASHBOARD_PAGE_SIZES else PAGE_SIZE


@login_required
@require_GET
def dashboard(request, slug):
    """The organizers' dashboard of one call: progress, totals, ranking, flags."""
    call = managed_call(request, slug)
    form, values, rows, all_rows = _dashboard_rows(request, call)
    page = paginate(request, rows, _per_page(request))
    context = {
        "call": call,
        "form": form,
        "page_obj": page,
        "rows": page.object_list,
        "total": len(rows),
        "ordering": values["ordering"],
    }
    if isinstance(all_rows, queries.RankedRows):
        context["progress"], context["pending"] = all_rows.summary()
    else:
        context["progress"] = queries.progress_of(all_rows)
        context["pending"] = sum(1 for r in all_rows if r.decision_status == "pending")
    row_base = reverse("reviews:submission-reviews", kwargs={"pk": 0})[
        : -len("0/reviews/")
    ]
    context["table_rows"] = dashboard_table_rows(page.object_list, row_base)
    return render_page(request, "reviews/dashboard.html", context)


@login_required
@require_GET
def dashboard_export(request, slug, fmt):
    """The dashboard as CSV or XLSX, with the filters in use."""
    call = managed_call(request, slug)
    rows = _dashboard_rows(request, call)[2]
    return spreadsheet(
        exports.dashboard_rows(rows),
        columns=exports.COLUMNS,
        header=header_choice(request),
        fmt=fmt,
        name=f"{call.slug}-reviews",
        title=_("Reviews"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def reviewer_list(request, slug):
    """The call's reviewers and their progress; staff invite more."""
    call = managed_call(request, slug)
    can_invite = permissions.can_invite_reviewers(request.user, call)
    form = InviteReviewerForm(request.POST or None)
    if request.method == "POST":
        if not can_invite:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.invite_reviewer(
                    call,
                    email=form.cleaned_data["email"],
                    language=form.cleaned_data["language"],
                    message=form.cleaned_data["message"],
                    invited_by=request.user,
                )
            except ValidationError as error:
                add_errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("reviews:reviewer-list", slug=call.slug)
    page = paginate(request, queries.reviewers_of(call), PAGE_SIZE)
    invitations = call.reviewer_invitations.filter(user__isnull=True).order_by(
        "-created_at"
    )[:50]
    context = {
        "call": call,
        "form": form,
        "can_invite": can_invite,
        "page_obj": page,
        "reviewers": page.object_list,
        "invitations": invitations,
    }
    return render(request, "reviews/reviewer_list.html", context)


@login_required
@require_GET
def submission_reviews(request, pk):
    """All reviews of one submission for its organizers, confidential notes included
    (each read audited)."""
    submission = managed_submission(request, pk)
    reviews = list(queries.submission_reviews(submission))
    notes = services.read_confidential_notes(
        reviews, call=submission.call, by=request.user, via="page"
    )
    for review in reviews:
        review.notes_read = notes.get(review.pk, "")
    decision = Decision.objects.filter(submission=submission).first()
    context = {
        "submission": submission,
        "call": submission.call,
        "reviews": reviews,
        "decision": decision,
        "assignments": submission.assignments.select_related(
            "call_reviewer__user"
        ).order_by("-round", "pk"),
        "can_manage_round": permissions.can_manage_round(request.user, submission),
        "revision": exchange_queries.deadline(
            submission.resubmit_until, submission.call
        )
        if submission.resubmit_until
        else None,
    }
    return render(request, "reviews/submission_reviews.html", context)
