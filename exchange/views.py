"""Pages of the project exchange: calls, submissions, attachments, Q&A."""

import io
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pagination import paginate
from core.storage import content_response
from exchange import files, permissions, queries, services
from exchange.forms import (
    AttachmentForm,
    CallForm,
    CallPhaseFormSet,
    CriterionFormSet,
    MessageForm,
    PhaseForm,
    SubmissionFilterForm,
    SubmissionForm,
    TranslationForm,
)
from exchange.models import Attachment, Call, Submission, SubmissionVersion


def _call_or_404(request, slug) -> Call:
    call = queries.call_for_page(request.user, slug)
    if call is None:
        raise Http404
    return call


def _submission_or_404(request, pk) -> Submission:
    submission = queries.submission_for_page(request.user, pk)
    if submission is None or not permissions.can_view_submission(
        request.user, submission
    ):
        raise Http404
    return submission


def _zone_from(request, default: str) -> zoneinfo.ZoneInfo:
    name = request.POST.get("time_zone") or default
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(default)


def _optional_url(name: str, **kwargs) -> str | None:
    """A link to another app's page, when that app provides it."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


# Calls


@require_GET
def call_list(request):
    """Open and past calls for everyone; drafts for staff and the organizers."""
    calls = queries.calls_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        calls = calls.filter(Q(title_uk__icontains=q) | Q(title_en__icontains=q))
    phase = request.GET.get("phase", "")
    if phase in Call.Phase.values:
        calls = calls.filter(phase=phase)
    sort = request.GET.get("sort", "")
    calls = calls.order_by("closes_at" if sort == "closing" else "-opens_at", "pk")
    page = paginate(request, calls)
    rows = [(call, queries.deadline(call.closes_at, call)) for call in page.object_list]
    context = {
        "page_obj": page,
        "rows": rows,
        "q": q,
        "phase": phase,
        "sort": sort,
        "phases": Call.Phase.choices,
        "can_create": permissions.can_create_call(request.user),
    }
    return render(request, "exchange/call_list.html", context)


@require_GET
def call_detail(request, slug):
    call = _call_or_404(request, slug)
    can_manage = permissions.can_manage_call(request.user, call)
    organizations = queries.eligible_organizations_for(request.user, call)
    context = {
        "call": call,
        "criteria": list(call.criteria.all()),
        "opens": queries.deadline(call.opens_at, call),
        "closes": queries.deadline(call.closes_at, call),
        "is_open": call.is_open(),
        "can_submit": call.is_open() and bool(organizations),
        "can_manage": can_manage,
        "settings": call.active_settings(),
        "submission_count": (
            queries.submissions_of_call(request.user, call).count()
            if can_manage
            else None
        ),
        "my_submissions": list(
            queries.submissions_of(request.user).filter(call=call)[:20]
        ),
    }
    return render(request, "exchange/call_detail.html", context)


def _save_call_form(request, call, *, is_create):
    zone = _zone_from(request, call.time_zone if call.pk else settings.TIME_ZONE)
    with timezone.override(zone):
        form = CallForm(
            request.POST or None,
            instance=call,
            can_change_organizer=permissions.can_create_call(request.user),
        )
        criteria = CriterionFormSet(
            request.POST or None, instance=call, prefix="criteria"
        )
        phases = (
            None
            if is_create
            else CallPhaseFormSet(request.POST or None, instance=call, prefix="phases")
        )
        valid = (
            request.method == "POST"
            and form.is_valid()
            and criteria.is_valid()
            and (phases is None or phases.is_valid())
        )
        if valid:
            data = dict(form.cleaned_data)
            eligible = data.pop("eligible_organizations", [])
            try:
                with transaction.atomic():
                    if is_create:
                        call = services.create_call(
                            by=request.user, eligible_organizations=eligible, **data
                        )
                    else:
                        if form.fields["organizer"].disabled:
                            data.pop("organizer", None)
                        call = services.update_call(
                            call,
                            by=request.user,
                            eligible_organizations=eligible,
                            **data,
                        )
                    criteria.instance = call
                    criteria.save()
                    if phases is not None:
                        phases.save()
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The call was saved."))
                return redirect(call), None
    context = {
        "form": form,
        "criteria": criteria,
        "phases": phases,
        "call": call if call.pk else None,
        "is_create": is_create,
        "zone": zone.key,
    }
    return None, context


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request):
    if not permissions.can_create_call(request.user):
        raise PermissionDenied
    response, context = _save_call_form(request, Call(), is_create=True)
    return response or render(request, "exchange/call_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request, slug):
    call = _call_or_404(request, slug)
    if not permissions.can_manage_call(request.user, call):
        raise PermissionDenied
    response, context = _save_call_form(request, call, is_create=False)
    if response:
        return response
    context["phase_form"] = PhaseForm(initial={"phase": call.phase})
    return render(request, "exchange/call_form.html", context)


@login_required
@require_POST
def call_phase(request, slug):
    """Switch the active phase by hand."""
    call = _call_or_404(request, slug)
    if not permissions.can_manage_call(request.user, call):
        raise PermissionDenied
    form = PhaseForm(request.POST)
    if form.is_valid():
        services.set_phase(call, form.cleaned_data["phase"], by=request.user)
        messages.success(
            request,
            _("The call is now in the phase: %(phase)s.") % {"phase": call.phase_label},
        )
    return redirect(call)


@login_required
@require_GET
def call_submissions(request, slug):
    """Submissions of a call, for staff and the organizer's editors."""
    call = _call_or_404(request, slug)
    if not permissions.can_manage_call(request.user, call):
        raise PermissionDenied
    form = SubmissionFilterForm(request.GET or None)
    submissions = _filtered(form, queries.submissions_of_call(request.user, call))
    page = paginate(request, submissions)
    context = {"call": call, "form": form, "page_obj": page, "show_org": True}
    return render(request, "exchange/call_submissions.html", context)


def _filtered(form, submissions):
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


# Submissions


@login_required
@require_GET
def my_submissions(request):
    form = SubmissionFilterForm(request.GET or None)
    submissions = _filtered(form, queries.submissions_of(request.user))
    page = paginate(request, submissions)
    context = {"form": form, "page_obj": page, "show_org": True}
    return render(request, "exchange/my_submissions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def submission_create(request, slug):
    call = _call_or_404(request, slug)
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
    }
    return render(request, "exchange/submission_form.html", context)


def _after_save(request, submission):
    if "submit" in request.POST and submission.status == Submission.Status.DRAFT:
        return reverse("exchange:submission-submit", kwargs={"pk": submission.pk})
    return submission.get_absolute_url()


@login_required
@require_http_methods(["GET", "POST"])
def submission_edit(request, pk):
    submission = _submission_or_404(request, pk)
    if not permissions.can_edit_submission(request.user, submission):
        raise PermissionDenied
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
    context = {"form": form, "call": submission.call, "submission": submission}
    return render(request, "exchange/submission_form.html", context)


# The submission page shows the newest messages of the thread; the thread's own
# page shows them all, so the submission page costs the same however long it grows.
THREAD_PREVIEW = 5


def _thread(request, submission, *, identity: bool, latest: int | None = None):
    """Messages with their authors as the viewer may see them, and whether older
    ones were left out."""
    # Names show in open calls; in blind ones only to those who run the call.
    show_names = identity and (
        not submission.call.is_blind
        or permissions.can_manage_call(request.user, submission.call)
    )
    messages, has_earlier = queries.messages_of(
        submission, with_names=show_names, latest=latest
    )
    submitter = _("Submitter")
    when_format = get_format("SHORT_DATETIME_FORMAT")
    reviewer_numbers = None
    rows = []
    for message in messages:
        author_id = message["author_id"]
        if show_names and author_id:
            label = message["author_name"] or message["author_email"]
        elif message["is_from_reviewer"]:
            if reviewer_numbers is None:
                reviewer_numbers = queries.reviewer_numbers(submission)
            label = _("Reviewer %(number)s") % {"number": reviewer_numbers[author_id]}
        else:
            label = submitter
        moment = timezone.localtime(message["created_at"])
        rows.append(
            {
                "body": message["body"],
                "from_reviewer": message["is_from_reviewer"],
                "author": label,
                "is_mine": author_id == request.user.pk,
                "iso": moment.isoformat(),
                "when": dateformat.format(moment, when_format),
            }
        )
    return rows, has_earlier


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
    submission = _submission_or_404(request, pk)
    user = request.user
    call = submission.call
    identity = permissions.sees_identity(user, submission)
    attachments = queries.attachments_of(submission)
    is_member = permissions.is_submission_member(user, submission)
    can_attach = permissions.can_manage_attachments(user, submission)
    is_draft = submission.status == Submission.Status.DRAFT
    thread, thread_has_earlier = (
        ([], False)
        if is_draft
        else _thread(request, submission, identity=identity, latest=THREAD_PREVIEW)
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
        "can_post": permissions.can_post_message(user, submission),
        "creator": submission.creator_name or submission.creator_email,
        "thread": thread,
        "thread_has_earlier": thread_has_earlier,
        "message_form": MessageForm(),
        "attachment_form": AttachmentForm(),
        "missing": services.missing_items(submission) if is_draft else [],
        "feedback_url": _optional_url("reviews:submission-feedback", pk=submission.pk)
        if is_member
        else None,
        "is_member": is_member,
    }
    return render(request, "exchange/submission_detail.html", context)


@login_required
@require_GET
def submission_diff(request, pk):
    """What changed between two versions (default: the last two)."""
    submission = _submission_or_404(request, pk)
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
    submission = _submission_or_404(request, pk)
    if not permissions.can_submit_submission(request.user, submission):
        raise PermissionDenied
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
    submission = _submission_or_404(request, pk)
    if not permissions.can_withdraw_submission(request.user, submission):
        raise PermissionDenied
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
    submission = _submission_or_404(request, pk)
    if not permissions.can_flag_english(request.user, submission):
        raise PermissionDenied
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
    submission = _submission_or_404(request, pk)
    if not permissions.can_add_translation(request.user, submission):
        raise PermissionDenied
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


# Attachments


@login_required
@require_POST
def attachment_upload(request, pk):
    submission = _submission_or_404(request, pk)
    if not permissions.can_manage_attachments(request.user, submission):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.upload_attachment(
                submission, form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The document was attached."))
    else:
        for error in form.errors.get("file", []):
            messages.error(request, error)
    return redirect(f"{submission.get_absolute_url()}#attachments")


@login_required
@require_GET
def attachment_download(request, pk, attachment):
    """The file, for those who may see the submission; a blind call hides its name."""
    submission = _submission_or_404(request, pk)
    if not permissions.can_download_attachment(request.user, submission):
        raise Http404
    item = Attachment.objects.filter(submission=submission, pk=attachment).first()
    if item is None:
        raise Http404
    if permissions.sees_identity(request.user, submission):
        filename = item.original_name
        content = item.file.open("rb")
    else:
        # A blind reviewer: neither the file's name nor its metadata say who wrote it.
        filename = f"submission-{submission.pk}-{item.pk}.pdf"
        with item.file.open("rb") as stored:
            content = io.BytesIO(files.without_metadata(stored.read()))
    return content_response(content, filename=filename, content_type="application/pdf")


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete(request, pk, attachment):
    submission = _submission_or_404(request, pk)
    if not permissions.can_manage_attachments(request.user, submission):
        raise PermissionDenied
    item = Attachment.objects.filter(submission=submission, pk=attachment).first()
    if item is None:
        raise Http404
    if request.method == "POST":
        services.delete_attachment(item, by=request.user)
        messages.success(request, _("The document was removed."))
        return redirect(f"{submission.get_absolute_url()}#attachments")
    context = {"submission": submission, "attachment": item}
    return render(request, "exchange/attachment_delete.html", context)


# Questions and answers


@login_required
@require_http_methods(["GET", "POST"])
def submission_messages(request, pk):
    submission = _submission_or_404(request, pk)
    can_post = permissions.can_post_message(request.user, submission)
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if not can_post:
            raise PermissionDenied
        if form.is_valid():
            services.post_message(
                submission, form.cleaned_data["body"], by=request.user
            )
            return redirect(f"{submission.get_absolute_url()}#questions")
    identity = permissions.sees_identity(request.user, submission)
    context = {
        "submission": submission,
        "thread": _thread(request, submission, identity=identity)[0],
        "message_form": form,
        "can_post": can_post,
    }
    return render(request, "exchange/submission_messages.html", context)
