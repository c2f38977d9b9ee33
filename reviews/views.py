"""Pages of the reviews app: reviewers' work, the organizers' dashboard, decisions."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import audit
from core.exports import spreadsheet
from core.pagination import paginate
from core.translation import active_language
from exchange import queries as exchange_queries
from exchange.models import Call, Submission, SubmissionVersion
from reviews import exports, permissions, queries, services
from reviews.forms import (
    ConflictForm,
    DashboardFilterForm,
    DecisionForm,
    DecisionTemplateForm,
    InviteReviewerForm,
    OutboxMessageForm,
    ReviewerProfileForm,
    ReviewForm,
)
from reviews.models import (
    CallReviewer,
    Decision,
    DecisionTemplate,
    OutboxMessage,
    Review,
)
from reviews.rendering import dashboard_table_rows

PAGE_SIZE = 25
DASHBOARD_PAGE_SIZES = (25, 50, 100, 500, 2000, 5000)


def _apply_form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _managed_call(request, slug: str) -> Call:
    call = queries.managed_calls(request.user).filter(slug=slug).first()
    if call is None:
        raise Http404
    if not permissions.can_manage_reviews(request.user, call):
        raise PermissionDenied
    return call


def _managed_submission(request, pk: int) -> Submission:
    submission = (
        Submission.objects.select_related(
            "call__organizer", "organization", "created_by"
        )
        .exclude(status=Submission.Status.DRAFT)
        .filter(pk=pk)
        .first()
    )
    if submission is None or not permissions.can_manage_reviews(
        request.user, submission.call
    ):
        raise Http404
    return submission


# Reviewers


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
        review = (
            getattr(assignment, "review", None)
            if hasattr(assignment, "review")
            else None
        )
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
            _apply_form_errors(form, error)
        else:
            messages.success(request, _("Your reviewer profile is saved."))
            return redirect("reviews:my-reviews")
    return render(
        request, "reviews/reviewer_profile.html", {"form": form, "reviewer": reviewer}
    )


def _attachment_url(attachment) -> str:
    try:
        return reverse(
            "exchange:attachment-download",
            kwargs={"pk": attachment.submission_id, "attachment": attachment.pk},
        )
    except NoReverseMatch:
        return ""


def _changes_since(submission: Submission, seen: int):
    if not seen or seen >= submission.version:
        return None
    versions = {
        v.number: v.content
        for v in SubmissionVersion.objects.filter(
            submission=submission, number__in=(seen, submission.version)
        )
    }
    if seen not in versions or submission.version not in versions:
        return None
    return exchange_queries.version_changes(
        versions[seen], versions[submission.version]
    )


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
    show_names = permissions.reviewer_sees_names(call)
    criteria = list(call.criteria.all())
    review = services.review_of(assignment) if confirmed else None
    form = None
    if confirmed:
        initial = {}
        if review is not None:
            initial = {
                "comments_to_submitters": review.comments_to_submitters,
                "confidential_notes": review.confidential_notes,
                "recommendation": review.recommendation,
                "offers_mentoring": review.offers_mentoring,
            }
            for score in review.scores.all():
                initial[f"score_{score.criterion_id}"] = score.value
        form = ReviewForm(request.POST or None, initial=initial, criteria=criteria)
        if request.method == "POST":
            if not permissions.can_review(request.user, assignment):
                raise PermissionDenied
            if form.is_valid():
                submit = request.POST.get("action") == "submit"
                data = {
                    k: v
                    for k, v in form.cleaned_data.items()
                    if not k.startswith("score_")
                }
                try:
                    services.save_review(
                        assignment,
                        by=request.user,
                        scores=form.scores(),
                        submit=submit,
                        **data,
                    )
                except ValidationError as error:
                    _apply_form_errors(form, error)
                else:
                    services.mark_seen(
                        services.review_of(assignment), submission.version
                    )
                    if submit:
                        messages.success(
                            request, _("Your review is submitted. Thank you!")
                        )
                    else:
                        messages.success(request, _("Draft saved."))
                    return redirect("reviews:review-edit", pk=submission.pk)
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "GET" and review is not None and review.confidential_notes:
        # The reviewer reads their own confidential notes in the form: audited too.
        audit.record(
            "reviews.confidential_read",
            review,
            actor=request.user,
            submission=submission.pk,
            via="review-page",
        )
    others = []
    if confirmed and permissions.reviewer_sees_other_reviews(call):
        for number, other in enumerate(queries.other_reviews(assignment), start=1):
            others.append(
                {"label": _("Reviewer %(n)s") % {"n": number}, "review": other}
            )
    attachments = []
    if confirmed:
        for number, attachment in enumerate(submission.attachments.all(), start=1):
            attachments.append(
                {
                    "name": attachment.original_name
                    if show_names
                    else _("Attachment %(n)s (PDF)") % {"n": number},
                    "size": attachment.size,
                    "url": _attachment_url(attachment),
                }
            )
    pairs = exchange_queries.field_pairs(submission, show_names=show_names)
    if not confirmed:
        pairs = [p for p in pairs if p.field in ("title", "summary")]
    context = {
        "assignment": assignment,
        "submission": submission,
        "call": call,
        "review": review,
        "form": form,
        "confirmed": confirmed,
        "conflict_form": ConflictForm(),
        "show_names": show_names,
        "pairs": pairs,
        "attachments": attachments,
        "changes": _changes_since(submission, review.seen_version if review else 0),
        "others": others,
        "editable": permissions.can_review(request.user, assignment),
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


# Organizers


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
    all_rows = queries.dashboard_rows(call, language=active_language())
    rows = queries.filter_rows(
        all_rows,
        q=values["q"],
        progress=values["progress"],
        disagreement=values["disagreement"],
        decision=values["decision"],
    )
    return form, values, queries.sort_rows(rows, values["ordering"]), all_rows


@login_required
@require_GET
def dashboard(request, slug):
    """The organizers' dashboard of one call: progress, totals, ranking, flags."""
    call = _managed_call(request, slug)
    form, values, rows, all_rows = _dashboard_rows(request, call)
    try:
        per_page = int(request.GET.get("per_page", PAGE_SIZE))
    except ValueError:
        per_page = PAGE_SIZE
    if per_page not in DASHBOARD_PAGE_SIZES:
        per_page = PAGE_SIZE
    page = paginate(request, rows, per_page)
    context = {
        "call": call,
        "form": form,
        "page_obj": page,
        "rows": page.object_list,
        "total": len(rows),
        "progress": queries.progress_of(all_rows),
        "ordering": values["ordering"],
        "pending": sum(1 for r in all_rows if r.decision_status == "pending"),
    }
    row_base = reverse("reviews:submission-reviews", kwargs={"pk": 0})[
        : -len("0/reviews/")
    ]
    context["table_rows"] = dashboard_table_rows(page.object_list, row_base)
    template = "reviews/dashboard.html"
    if request.htmx and not request.htmx.boosted:
        return render(request, f"{template}#results", context)
    return render(request, template, context)


@login_required
@require_GET
def dashboard_export(request, slug, fmt):
    """The dashboard as CSV or XLSX, with the filters in use."""
    call = _managed_call(request, slug)
    rows = _dashboard_rows(request, call)[2]
    return spreadsheet(
        exports.dashboard_rows(rows),
        fmt=fmt,
        name=f"{call.slug}-reviews",
        title=_("Reviews"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def reviewer_list(request, slug):
    """The call's reviewers and their progress; staff invite more."""
    call = _managed_call(request, slug)
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
                _apply_form_errors(form, error)
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
    submission = _managed_submission(request, pk)
    reviews = list(queries.submission_reviews(submission))
    for review in reviews:
        if review.confidential_notes:
            review.notes_read = services.read_confidential_notes(
                review, by=request.user
            )
    decision = Decision.objects.filter(submission=submission).first()
    context = {
        "submission": submission,
        "call": submission.call,
        "reviews": reviews,
        "decision": decision,
        "assignments": submission.assignments.select_related("call_reviewer__user"),
    }
    return render(request, "reviews/submission_reviews.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, pk):
    """Record or change the pending decision on a submission."""
    submission = _managed_submission(request, pk)
    decision = Decision.objects.filter(submission=submission).first()
    initial = {}
    if decision is not None:
        initial = {
            "outcome": decision.outcome,
            "resubmit_by": decision.resubmit_by,
            "note_uk": decision.note_uk,
            "note_en": decision.note_en,
        }
    # The new deadline is entered and shown in the call's time zone.
    call_zone = ZoneInfo(submission.call.time_zone)
    if initial.get("resubmit_by"):
        initial["resubmit_by"] = initial["resubmit_by"].astimezone(call_zone)
    form = DecisionForm(request.POST or None, initial=initial)
    released = decision is not None and decision.status == Decision.Status.RELEASED
    with timezone.override(call_zone):
        valid = request.method == "POST" and not released and form.is_valid()
    if valid:
        try:
            services.record_decision(submission, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_form_errors(form, error)
        else:
            messages.success(
                request,
                _("Decision recorded; it stays pending until you release it."),
            )
            return redirect("reviews:dashboard", slug=submission.call.slug)
    context = {
        "submission": submission,
        "call": submission.call,
        "form": form,
        "decision": decision,
        "released": released,
    }
    with timezone.override(call_zone):
        return render(request, "reviews/decision_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def decision_release(request, slug):
    """Release every pending decision: e-mails go into the outbox (asks first)."""
    call = _managed_call(request, slug)
    pending = list(queries.pending_decisions(call))
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        created = services.release_decisions(call, by=request.user)
        messages.success(
            request,
            _("%(count)s e-mails are waiting in the outbox for a final check.")
            % {"count": len(created)},
        )
        return redirect("reviews:outbox", slug=call.slug)
    return render(
        request,
        "reviews/decision_release.html",
        {"call": call, "pending": pending, "outcomes": Decision.Outcome.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def outbox(request, slug):
    """The decision e-mails waiting for a check; send them all (asks first)."""
    call = _managed_call(request, slug)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        count = services.send_outbox(call, by=request.user)
        messages.success(
            request, _("%(count)s e-mails are being sent.") % {"count": count}
        )
        return redirect("reviews:outbox", slug=call.slug)
    page = paginate(request, queries.outbox_of(call), PAGE_SIZE)
    waiting = (
        queries.outbox_of(call).filter(status=OutboxMessage.Status.PENDING).count()
    )
    context = {
        "call": call,
        "page_obj": page,
        "messages_list": page.object_list,
        "waiting": waiting,
    }
    return render(request, "reviews/outbox.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def outbox_message(request, pk):
    """Read, and correct before sending, one decision e-mail."""
    message = get_object_or_404(
        OutboxMessage.objects.select_related("decision__submission__call"), pk=pk
    )
    call = message.decision.submission.call
    if not permissions.can_manage_reviews(request.user, call):
        raise Http404
    form = OutboxMessageForm(request.POST or None, instance=message)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_outbox_message(
                message,
                by=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            _apply_form_errors(form, error)
        else:
            messages.success(request, _("Message saved."))
            return redirect("reviews:outbox", slug=call.slug)
    return render(
        request,
        "reviews/outbox_message.html",
        {"call": call, "message": message, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, slug, outcome):
    """Edit the bilingual decision e-mail of one outcome."""
    call = _managed_call(request, slug)
    if outcome not in Decision.Outcome.values:
        raise Http404
    template = services.templates_of(call)[outcome]
    form = DecisionTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_template(
                DecisionTemplate.objects.get(pk=template.pk),
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _apply_form_errors(form, error)
        else:
            messages.success(request, _("Template saved."))
            return redirect("reviews:outbox", slug=call.slug)
    context = {
        "call": call,
        "form": form,
        "outcome": Decision.Outcome(outcome),
        "outcomes": Decision.Outcome.choices,
        "placeholders": [f"{{{p}}}" for p in services.PLACEHOLDERS],
    }
    return render(request, "reviews/template_form.html", context)


# Submitters


@login_required
@require_GET
def submission_feedback(request, pk):
    """The released decision and the reviewers' comments, for the submitters."""
    submission = (
        Submission.objects.select_related("call", "organization").filter(pk=pk).first()
    )
    if submission is None or not permissions.can_view_feedback(
        request.user, submission
    ):
        raise Http404
    decision = Decision.objects.filter(submission=submission).first()
    show_names = not submission.call.is_blind
    reviews = []
    for number, review in enumerate(queries.feedback_reviews(submission), start=1):
        reviewer = review.assignment.call_reviewer.user
        name = ""
        if show_names:
            name = reviewer.full_name and reviewer.get_full_name()
        reviews.append(
            {
                "label": name or _("Reviewer %(n)s") % {"n": number},
                "comments": review.comments_to_submitters,
                "recommendation": review.get_recommendation_display(),
                "offers_mentoring": review.offers_mentoring,
                "scores": [
                    {"criterion": s.criterion, "value": s.value}
                    for s in review.scores.all()
                ],
            }
        )
    context = {
        "submission": submission,
        "call": submission.call,
        "decision": decision
        if decision and decision.status == Decision.Status.RELEASED
        else None,
        "reviews": reviews,
        "now": timezone.now(),
        "resubmit": exchange_queries.deadline(decision.resubmit_by, submission.call)
        if decision and decision.resubmit_by
        else None,
    }
    return render(request, "reviews/submission_feedback.html", context)
