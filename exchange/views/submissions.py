"""Submissions: the own list, drafting, the page, versions, submit and withdraw,
the English flag and translations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pagination import paginate
from exchange import access, permissions, queries, services
from exchange.forms import (
    AttachmentForm,
    MessageForm,
    SubmissionFilterForm,
    SubmissionForm,
    TranslationForm,
)
from exchange.models import Submission, SubmissionVersion
from exchange.views.common import (
    call_or_404,
    filtered,
    submission_or_404,
)
from exchange.views.thread import THREAD_PREVIEW, thread_rows


def _optional_url(name: str, **kwargs) -> str | None:
    """A link to another app's page, when that app provides it."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


@login_required
@require_GET
def my_submissions(request):
    form = SubmissionFilterForm(request.GET or None)
    submissions = filtered(form, queries.submissions_of(request.user))
    page = paginate(request, submissions)
    context = {"form": form, "page_obj": page, "show_org": True}
    return render(request, "exchange/my_submissions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def submission_create(request, slug):
    call = call_or_404(request, slug)
    organizations = queries.eligible_organizations_for(request.user, call)
    if not (call.is_open() and organizations):
        raise PermissionDenied
    form = SubmissionForm(request.POST or None, organizations=organizations)
    if form.is_valid():
        organization = form.cleaned_data["organization"]
        submission = services.create_submission(
            call, organization, by=request.user, **form.service_fields()
        )
        messages.success(request, _("Your draft was saved."))
        return redirect(_after_save(request, submission))
    context = {
        "form": form,
        "call": call,
        "submission": None,
        "organizations": organizations,
        "can_save_and_submit": True,
    }
    return render(request, "exchange/submission_form.html", context)


def _after_save(request, submission):
    if "submit" in request.POST and permissions.can_save_and_submit(submission):
        return reverse("exchange:submission-submit", kwargs={"pk": submission.pk})
    return submission.get_absolute_url()


@login_required
@require_http_methods(["GET", "POST"])
def submission_edit(request, pk):
    submission = submission_or_404(request, pk, may=permissions.can_open_edit_form)
    late = permissions.is_late_revision(request.user, submission)
    form = SubmissionForm(
        request.POST or None, initial=SubmissionForm.initial_from(submission)
    )
    if form.is_valid():
        try:
            services.update_submission(
                submission, by=request.user, **form.service_fields()
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(_after_save(request, submission))
    context = {
        "form": form,
        "call": submission.call,
        "submission": submission,
        "can_save_and_submit": permissions.can_save_and_submit(submission),
        # A revision round: its deadline, and the reviewers' comments beside the form.
        "revision": queries.deadline(submission.resubmit_until, submission.call)
        if submission.resubmit_until and submission.review_round > 1
        else None,
        "late": late,
        "late_message": services.late_version_message(submission) if late else "",
        "feedback": access.submitter_feedback(request.user, submission),
    }
    return render(request, "exchange/submission_form.html", context)


def _latest_changes_url(submission) -> str | None:
    """What changed in the latest version; the page there compares any two."""
    if submission.version < 2:
        return None
    diff_url = reverse("exchange:submission-diff", kwargs={"pk": submission.pk})
    return f"{diff_url}?from={submission.version - 1}&to={submission.version}"


def _attachment_rows(submission, attachments, *, identity: bool, can_attach: bool):
    """Each document's link text, size and removal link, as the viewer may see."""
    rows = []
    for number, attachment in enumerate(attachments, start=1):
        rows.append(
            {
                "attachment": attachment,
                "name": attachment.original_name
                if identity
                else _("Document %(n)s") % {"n": number},
                "size": filesizeformat(attachment.size),
                "url": attachment.get_absolute_url(),
                "delete_url": reverse(
                    "exchange:attachment-delete", args=[submission.pk, attachment.pk]
                )
                if can_attach
                else None,
            }
        )
    return rows


@login_required
@require_GET
def submission_detail(request, pk):
    submission = submission_or_404(request, pk)  # it is visible to the user
    user = request.user
    call = submission.call
    identity = permissions.sees_identity(user, submission)
    attachments = queries.attachments_of(submission)
    is_member = permissions.is_submission_member(user, submission)
    can_attach = permissions.can_manage_attachments(user, submission)
    is_draft = submission.status == Submission.Status.DRAFT
    can_post = permissions.can_post_message(user, submission, visible=True)
    thread, thread_has_earlier = (
        ([], False)
        if is_draft
        else thread_rows(request, submission, latest=THREAD_PREVIEW)
    )
    context = {
        "submission": submission,
        "call": call,
        "identity": identity,
        "pairs": queries.field_pairs(submission, show_names=identity),
        "tags": queries.tags_of(submission),
        "latest_changes_url": _latest_changes_url(submission),
        "attachments": attachments,
        "attachment_rows": _attachment_rows(
            submission, attachments, identity=identity, can_attach=can_attach
        ),
        "closes": queries.deadline(call.closes_at, call) if is_draft else None,
        "can_edit": permissions.can_edit_submission(user, submission),
        "can_submit": permissions.can_submit_submission(user, submission),
        "can_withdraw": permissions.can_withdraw_submission(user, submission),
        "can_flag_english": permissions.can_flag_english(user, submission),
        "can_translate": permissions.can_add_translation(user, submission),
        "can_attach": can_attach,
        "can_post": can_post,
        "creator": submission.creator_name or submission.creator_email,
        "thread": thread,
        "thread_has_earlier": thread_has_earlier,
        "message_form": MessageForm() if can_post else None,
        "attachment_form": AttachmentForm() if can_attach else None,
        "missing": services.missing_items(submission) if is_draft else [],
        "feedback_url": _optional_url("reviews:submission-feedback", pk=submission.pk)
        if is_member
        else None,
        "is_member": is_member,
        "is_draft": is_draft,
        "revision": queries.deadline(submission.resubmit_until, call)
        if is_member and permissions.in_revision(submission)
        else None,
    }
    return render(request, "exchange/submission_detail.html", context)


@login_required
@require_GET
def submission_diff(request, pk):
    """What changed between two versions (default: the last two)."""
    submission = submission_or_404(request, pk)
    versions = {
        v.number: v for v in SubmissionVersion.objects.filter(submission=submission)
    }
    if not versions:
        raise Http404
    try:
        new = int(request.GET.get("to") or max(versions))
        old = int(request.GET.get("from") or max(new - 1, min(versions)))
    except ValueError as error:
        raise Http404 from error
    if new not in versions or old not in versions:
        raise Http404
    changes = queries.version_changes(versions[old].content, versions[new].content)
    context = {
        "submission": submission,
        "old": versions[old],
        "new": versions[new],
        "changes": changes,
        "versions": [versions[number] for number in sorted(versions)],
    }
    return render(request, "exchange/submission_diff.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def submission_submit(request, pk):
    """The completeness check, then the submit itself."""
    submission = submission_or_404(request, pk, may=permissions.can_submit_submission)
    missing = services.missing_items(submission)
    if request.method == "POST" and not missing:
        services.submit_submission(submission, by=request.user)
        messages.success(
            request,
            _(
                "Your project was submitted. You can still edit it while the call "
                "allows."
            ),
        )
        return redirect(submission)
    context = {
        "submission": submission,
        "missing": missing,
        "closes": queries.deadline(submission.call.closes_at, submission.call),
    }
    return render(request, "exchange/submission_submit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def submission_withdraw(request, pk):
    submission = submission_or_404(request, pk, may=permissions.can_withdraw_submission)
    if request.method == "POST":
        services.withdraw_submission(submission, by=request.user)
        messages.success(request, _("Your submission was withdrawn."))
        return redirect(submission)
    return render(
        request, "exchange/submission_withdraw.html", {"submission": submission}
    )


@login_required
@require_POST
def submission_english(request, pk):
    """Staff turn the "English needed" flag on or off."""
    submission = submission_or_404(request, pk, may=permissions.can_flag_english)
    needed = request.POST.get("needed") == "1"
    services.set_english_needed(submission, needed, by=request.user)
    if needed:
        messages.success(request, _("The submitters were asked to add English."))
    else:
        messages.success(request, _("The “English needed” flag was removed."))
    return redirect(submission)


@login_required
@require_http_methods(["GET", "POST"])
def submission_translate(request, pk, language):
    """Add the other language to a submission; who added it is recorded."""
    if language not in ("uk", "en"):
        raise Http404
    submission = submission_or_404(request, pk, may=permissions.can_add_translation)
    initial = {
        f: getattr(submission, f"{f}_{language}")
        for f in ("title", "summary", "problem", "solution", "team")
    }
    form = TranslationForm(request.POST or None, initial=initial, language=language)
    if form.is_valid():
        services.add_translation(
            submission, language, by=request.user, **form.cleaned_data
        )
        messages.success(request, _("The translation was saved."))
        return redirect(submission)
    other = "uk" if language == "en" else "en"
    originals = [
        (form[f], getattr(submission, f"{f}_{other}"))
        for f in ("title", "summary", "problem", "solution", "team")
    ]
    context = {
        "submission": submission,
        "form": form,
        "language": language,
        "originals": originals,
    }
    return render(request, "exchange/submission_translate.html", context)
