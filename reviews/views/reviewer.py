"""The reviewers' pages: their assignments, their profile, the review form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pagination import paginate
from core.views import add_errors_to_form
from exchange import queries as exchange_queries
from reviews import permissions, queries, services
from reviews.blinding import reviewer_view
from reviews.forms import ConflictForm, ReviewerProfileForm, ReviewForm
from reviews.models import CallReviewer, Review
from reviews.views.common import PAGE_SIZE


@login_required
@require_GET
def my_reviews(request):
    """The signed-in reviewer's assignments, across calls."""
    services.claim_invitations(request.user)
    assignments = queries.assignments_of(request.user)
    status = request.GET.get("status", "")
    if status == "todo":
        assignments = assignments.exclude(review__status=Review.Status.SUBMITTED)
    elif status == "done":
        assignments = assignments.filter(review__status=Review.Status.SUBMITTED)
    page = paginate(request, assignments, PAGE_SIZE)
    rows = []
    for assignment in page.object_list:
        try:
            review = assignment.review
        except Review.DoesNotExist:
            review = None
        rows.append({"assignment": assignment, "review": review})
    profiles = (
        CallReviewer.objects.filter(user=request.user, is_active=True)
        .select_related("call")
        .order_by("-call__closes_at")
    )
    context = {"page_obj": page, "rows": rows, "status": status, "profiles": profiles}
    return render(request, "reviews/my_reviews.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reviewer_profile(request, slug):
    """A reviewer's profile for one call: languages, expertise, ties, load."""
    services.claim_invitations(request.user)
    reviewer = (
        CallReviewer.objects.filter(call__slug=slug, user=request.user)
        .select_related("call")
        .first()
    )
    if reviewer is None:
        raise Http404
    initial = {
        "languages": reviewer.languages,
        "max_load": reviewer.max_load,
        "expertise": list(reviewer.expertise.all()),
        "expertise_sectors": list(reviewer.expertise_sectors.all()),
        "ties": list(reviewer.ties.all()),
    }
    form = ReviewerProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_reviewer_profile(
                reviewer, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, _("Your reviewer profile is saved."))
            return redirect("reviews:my-reviews")
    return render(
        request, "reviews/reviewer_profile.html", {"form": form, "reviewer": reviewer}
    )


def _save_review(request, assignment, form):
    """Save (or submit) the review from a valid form: a redirect, or None with the
    service's errors on the form."""
    submit = request.POST.get("action") == "submit"
    try:
        review = services.save_review(
            assignment,
            by=request.user,
            scores=form.scores(),
            submit=submit,
            **form.review_fields(),
        )
    except ValidationError as error:
        add_errors_to_form(form, error)
        return None
    services.mark_seen(review, assignment.submission.version)
    if submit:
        messages.success(request, _("Your review is submitted. Thank you!"))
    else:
        messages.success(request, _("Draft saved."))
    return redirect("reviews:review-edit", pk=assignment.submission_id)


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request, pk):
    """The review page of one submission (pk = submission) for its assigned reviewer."""
    assignment = queries.assignment_for_review(request.user, pk)
    if assignment is None:
        raise Http404
    submission = assignment.submission
    call = submission.call
    confirmed = permissions.can_see_confidential_fields(request.user, assignment)
    review = services.review_of(assignment) if confirmed else None
    if request.method == "POST" and not (
        confirmed and permissions.can_review(request.user, assignment)
    ):
        raise PermissionDenied
    form = None
    if confirmed:
        form = ReviewForm(
            request.POST or None,
            initial=ReviewForm.initial_from(review),
            criteria=queries.rubric_of(call),
        )
        if request.method == "POST" and form.is_valid():
            response = _save_review(request, assignment, form)
            if response is not None:
                return response
    if request.method == "GET" and review is not None and review.confidential_notes:
        # The reviewer reads their own confidential notes in the form: audited too.
        services.read_own_confidential_notes(
            [review], by=request.user, via="review-page"
        )
    previous = queries.previous_review(assignment) if confirmed else None
    since = (previous.reviewed_version or previous.seen_version) if previous else None
    seen = reviewer_view(request.user, assignment, review, since=since)
    context = {
        "assignment": assignment,
        "submission": submission,
        "call": call,
        "review": review,
        "form": form,
        "confirmed": confirmed,
        "conflict_form": None if confirmed else ConflictForm(),
        "show_names": seen.show_names,
        "pairs": seen.pairs,
        "attachments": seen.attachments,
        "changes": seen.changes,
        "others": seen.others,
        "editable": permissions.can_review(request.user, assignment),
        "previous": previous,
        "since": since,
        "revision": exchange_queries.deadline(submission.resubmit_until, call)
        if assignment.round > 1 and submission.resubmit_until
        else None,
        "deadline": exchange_queries.deadline(call.closes_at, call)
        if call.closes_at
        else None,
    }
    return render(request, "reviews/review_form.html", context)


@login_required
@require_POST
def review_conflict(request, pk):
    """The reviewer confirms "no conflict" or declares one."""
    assignment = queries.assignment_for_review(request.user, pk)
    if assignment is None:
        raise Http404
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tell us whether you have a conflict of interest."))
        return redirect("reviews:review-edit", pk=pk)
    if form.cleaned_data["answer"] == "none":
        services.confirm_no_conflict(assignment, by=request.user)
        return redirect("reviews:review-edit", pk=pk)
    services.declare_conflict(
        assignment, by=request.user, detail=form.cleaned_data["detail"]
    )
    messages.info(
        request,
        _("Thank you. The organizers will give this submission to someone else."),
    )
    return redirect("reviews:my-reviews")
