"""The assignment page of a call: run the automatic assignment, see the matrix,
loads and conflicts, and adjust by hand (staff and the organizer's editors)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.pagination import paginate
from exchange.models import Call, Submission
from reviews import permissions
from reviews.models import Assignment, CallReviewer, ConflictOfInterest
from reviews.views.common import PAGE_SIZE, managed_call


def _services():
    """reviews.assignment.services, imported on first use: its solver brings NumPy
    and OR-Tools (about 0.3 s), which no other page needs."""
    from reviews.assignment import services

    return services


VIEWS = ("submissions", "reviewers", "conflicts")


def _submissions_page(request, call: Call):
    submissions = Submission.objects.filter(
        call=call, status=Submission.Status.SUBMITTED
    ).select_related("organization")
    query = request.GET.get("q", "").strip()
    if query:
        submissions = submissions.filter(
            Q(title_uk__icontains=query)
            | Q(title_en__icontains=query)
            | Q(organization__name_uk__icontains=query)
            | Q(organization__name_en__icontains=query)
        )
    if request.GET.get("filter") == "unfilled":
        submissions = _services().under_assigned(submissions, call)
    ordering = request.GET.get("sort", "pk")
    if ordering not in ("pk", "-pk", "title_uk", "-title_uk"):
        ordering = "pk"
    page = paginate(request, submissions.order_by(ordering), PAGE_SIZE)
    _services().attach_assignments(page.object_list, call.reviews_per_submission)
    return page


def _row_context(request, call: Call, submissions) -> dict:
    reviewers = list(
        CallReviewer.objects.filter(call=call, is_active=True)
        .select_related("user")
        .annotate(load=Count("assignments"))
        .order_by("user__full_name", "user__email")
    )
    reasons = _services().diagnose_unfilled(call, submissions)
    for submission in submissions:
        submission.reason = reasons.get(submission.pk, "")
    return {
        "call": call,
        "active_reviewers": reviewers,
        "can_override": permissions.can_override_assignment(request.user),
        "needed": call.reviews_per_submission,
    }


@login_required
@require_GET
def assignment(request, slug):
    """The assignment page: matrix, loads, conflicts."""
    call = managed_call(request, slug)
    view = request.GET.get("view", "submissions")
    if view not in VIEWS:
        view = "submissions"
    context = {
        "call": call,
        "view": view,
        "summary": _services().assignment_summary(call),
        "replaceable": _services().auto_assignments_to_replace(call),
        "q": request.GET.get("q", ""),
        "filter": request.GET.get("filter", ""),
    }
    if view == "submissions":
        page = _submissions_page(request, call)
        context.update(_row_context(request, call, page.object_list))
    elif view == "reviewers":
        page = paginate(request, _services().reviewer_loads(call), PAGE_SIZE)
    else:
        page = paginate(
            request,
            ConflictOfInterest.objects.filter(call_reviewer__call=call)
            .select_related("call_reviewer__user", "submission")
            .order_by("submission_id", "call_reviewer__user__email", "reason"),
            PAGE_SIZE,
        )
    context.update(page_obj=page, items=page.object_list)
    template = "reviews/assignment.html"
    if request.htmx and request.htmx.target == "assignment-results":
        template += "#results"
    return render(request, template, context)


@login_required
@require_POST
def assignment_run(request, slug):
    """Run the automatic assignment; ask first when it may replace earlier ones."""
    call = managed_call(request, slug)
    replaceable = _services().auto_assignments_to_replace(call)
    if replaceable and request.POST.get("confirm") != "yes":
        return render(
            request,
            "reviews/assignment_confirm.html",
            {"call": call, "replaceable": replaceable},
        )
    report = _services().assign_automatically(call, actor=request.user)
    messages.success(
        request,
        _(
            "Automatic assignment done: %(created)s added, %(removed)s removed, "
            "%(kept)s kept; total affinity %(affinity)s."
        )
        % {
            "created": report.created,
            "removed": report.removed,
            "kept": report.kept,
            "affinity": report.total_affinity,
        },
    )
    if report.unfilled:
        messages.warning(
            request,
            ngettext(
                "%(count)s submission still lacks reviewers; the reasons are "
                "listed next to it.",
                "%(count)s submissions still lack reviewers; the reasons are "
                "listed next to them.",
                len(report.unfilled),
            )
            % {"count": len(report.unfilled)},
        )
    for warning in report.warnings:
        messages.warning(request, warning)
    url = reverse("reviews:assignment", kwargs={"slug": call.slug})
    if report.unfilled:
        url += "?filter=unfilled"
    return redirect(url)


def _render_row(request, call: Call, submission: Submission, error: str = ""):
    _services().attach_assignments([submission], call.reviews_per_submission)
    context = _row_context(request, call, [submission])
    context.update(submission=submission, row_error=error)
    return render(request, "reviews/assignment.html#row", context)


def _back(request, call: Call, submission: Submission, error: str = ""):
    if request.htmx:
        return _render_row(request, call, submission, error)
    if error:
        messages.error(request, error)
    return redirect(
        reverse("reviews:assignment", kwargs={"slug": call.slug})
        + f"#submission-{submission.pk}"
    )


@login_required
@require_POST
def assignment_add(request, slug):
    """Add a reviewer to a submission by hand (staff may override with a reason)."""
    call = managed_call(request, slug)
    submission_id = request.POST.get("submission", "")
    submission = get_object_or_404(
        Submission, call=call, pk=int(submission_id) if submission_id.isdigit() else 0
    )
    reviewer_id = request.POST.get("call_reviewer", "")
    reviewer = CallReviewer.objects.filter(
        call=call, pk=int(reviewer_id) if reviewer_id.isdigit() else 0
    ).first()
    if reviewer is None:
        return _back(request, call, submission, _("Choose a reviewer."))
    try:
        _services().assign_manually(
            submission,
            reviewer,
            actor=request.user,
            override_reason=request.POST.get("override_reason", ""),
        )
    except ValidationError as error:
        return _back(request, call, submission, " ".join(error.messages))
    except PermissionDenied as error:
        if not str(error):
            raise
        return _back(request, call, submission, str(error))
    return _back(request, call, submission)


def _managed_assignment(request, pk: int) -> Assignment:
    assignment = get_object_or_404(
        Assignment.objects.select_related("submission__call"), pk=pk
    )
    managed_call(request, assignment.submission.call.slug)
    return assignment


@login_required
@require_POST
def assignment_remove(request, pk):
    """Remove a reviewer from a submission."""
    assignment = _managed_assignment(request, pk)
    submission, call = assignment.submission, assignment.submission.call
    try:
        _services().unassign(assignment, actor=request.user)
    except ValidationError as error:
        return _back(request, call, submission, " ".join(error.messages))
    return _back(request, call, submission)


@login_required
@require_POST
def assignment_pin(request, pk):
    """Pin (or unpin) an assignment so automatic runs keep it."""
    assignment = _managed_assignment(request, pk)
    _services().pin(
        assignment, actor=request.user, pinned=request.POST.get("pinned") != "0"
    )
    return _back(request, assignment.submission.call, assignment.submission)
