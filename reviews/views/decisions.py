"""The organizers decide: decisions, their release, the outbox of decision e-mails
and their templates; the submitters read the released feedback."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.pagination import paginate
from core.views import add_errors_to_form
from exchange import permissions as exchange_permissions
from exchange import queries as exchange_queries
from exchange.models import Submission
from reviews import permissions, queries, services
from reviews.forms import DecisionForm, DecisionTemplateForm, OutboxMessageForm
from reviews.models import Decision, DecisionTemplate, OutboxMessage
from reviews.views.common import (
    PAGE_SIZE,
    managed_call,
    managed_submission,
)


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, pk):
    """Record or change the pending decision on a submission."""
    submission = managed_submission(request, pk)
    decision = Decision.objects.filter(submission=submission).first()
    initial = {}
    # A later round's decision starts blank, not from the earlier "revise".
    if decision is not None and decision.round >= submission.review_round:
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
    released = (
        decision is not None
        and decision.status == Decision.Status.RELEASED
        and decision.round >= submission.review_round
    )
    with timezone.override(call_zone):
        valid = request.method == "POST" and not released and form.is_valid()
    if valid:
        try:
            services.record_decision(submission, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors_to_form(form, error)
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
    call = managed_call(request, slug)
    pending = list(queries.pending_decisions(call))
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            created = services.release_decisions(call, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("reviews:decision-release", slug=call.slug)
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
    call = managed_call(request, slug)
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
            add_errors_to_form(form, error)
        else:
            messages.success(request, _("Message saved."))
            return redirect("reviews:outbox", slug=call.slug)
    return render(
        request,
        "reviews/outbox_message.html",
        {
            "call": call,
            "message": message,
            "form": form,
            "editable": permissions.can_edit_outbox_message(request.user, message),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, slug, outcome):
    """Edit the bilingual decision e-mail of one outcome."""
    call = managed_call(request, slug)
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
            add_errors_to_form(form, error)
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
    decision = queries.released_decision(submission)
    reviews = queries.feedback_rows(submission, decision)
    context = {
        "submission": submission,
        "call": submission.call,
        "decision": decision,
        "reviews": reviews,
        "rounds": submission.review_round > 1,
        "can_revise": exchange_permissions.can_edit_submission(request.user, submission)
        and submission.review_round > 1,
        "now": timezone.now(),
        "resubmit": exchange_queries.deadline(decision.resubmit_by, submission.call)
        if decision and decision.resubmit_by
        else None,
    }
    return render(request, "reviews/submission_feedback.html", context)
