"""Changes to calls and submissions: one function per use case, atomic, audited."""

import datetime
import io
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from translitua import translit

from core import audit
from core.storage import delete_with_file
from core.tasks import enqueue
from exchange import permissions
from exchange.models import (
    CALL_FIELDS,
    LANGUAGE_FIELDS,
    PHASE_ORDER,
    SUBMISSION_FIELDS,
    TEXT_FIELDS,
    Attachment,
    Call,
    CallPhase,
    Message,
    Submission,
    SubmissionVersion,
)

logger = logging.getLogger(__name__)

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


# Calls


def _unique_slug(call: Call) -> str:
    base = slugify(call.title_en or translit(call.title_uk or "")) or "call"
    base = base[:100]
    slug = base
    while Call.objects.filter(slug=slug).exclude(pk=call.pk).exists():
        slug = f"{base}-{get_random_string(4).lower()}"
    return slug


def _check_call(call: Call) -> None:
    errors = {}
    if not (call.title_uk or call.title_en):
        errors["title_uk"] = _("Give the call a title in at least one language.")
    if call.opens_at and call.closes_at and call.closes_at <= call.opens_at:
        errors["closes_at"] = _("The call must close after it opens.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_call(*, by, eligible_organizations=(), **fields) -> Call:
    """A new call in the draft phase, with default switches for every phase."""
    if not permissions.can_create_call(by):
        raise PermissionDenied
    call = Call(created_by=by, **{k: v for k, v in fields.items() if k in CALL_FIELDS})
    _check_call(call)
    call.slug = _unique_slug(call)
    call.save()
    call.eligible_organizations.set(eligible_organizations)
    CallPhase.objects.bulk_create(
        [CallPhase.default_for(call, phase) for phase in PHASE_ORDER]
    )
    audit.record("exchange.call_created", call, actor=by)
    return call


@transaction.atomic
def update_call(call: Call, *, by, eligible_organizations=None, **fields) -> Call:
    """Change a call's texts, dates and settings."""
    if not permissions.can_manage_call(by, call):
        raise PermissionDenied
    if not permissions.can_create_call(by):
        # Only staff hand a call to another organizer.
        fields.pop("organizer", None)
    for name, value in fields.items():
        if name in CALL_FIELDS:
            setattr(call, name, value)
    _check_call(call)
    call.save()
    if eligible_organizations is not None:
        call.eligible_organizations.set(eligible_organizations)
    audit.record("exchange.call_updated", call, actor=by, fields=sorted(fields))
    return call


@transaction.atomic
def save_call(
    call: Call | None,
    *,
    by,
    criteria,
    phases=None,
    eligible_organizations=(),
    **fields,
) -> Call:
    """Create (`call` None) or change a call together with its rubric and phase
    switches, given as the page's validated formsets: all saved, or none."""
    if call is None:
        call = create_call(
            by=by, eligible_organizations=eligible_organizations, **fields
        )
    else:
        call = update_call(
            call, by=by, eligible_organizations=eligible_organizations, **fields
        )
    criteria.instance = call
    criteria.save()
    Call.reviews_changed(call.pk)
    if phases is not None:
        phases.save()
    return call


@transaction.atomic
def set_phase(call: Call, phase: str, *, by=None) -> Call:
    """Make `phase` the active one (by hand, or automatically when `by` is None)."""
    if by is not None and not permissions.can_manage_call(by, call):
        raise PermissionDenied
    if phase not in PHASE_ORDER:
        raise ValidationError(_("Unknown phase."))
    previous = call.phase
    if previous == phase:
        return call
    call.phase = phase
    call.save(update_fields=["phase", "updated_at"])
    audit.record(
        "exchange.phase_changed", call, actor=by, previous=previous, phase=phase
    )
    return call


def advance_phases(now: datetime.datetime | None = None) -> list[Call]:
    """Switch every call whose next phase's start has come; idempotent: a phase
    switches automatically once, and only forward."""
    now = now or timezone.now()
    due = (
        CallPhase.objects.filter(starts_at__lte=now, switched_at__isnull=True)
        .select_related("call")
        .order_by("call_id", "starts_at")
    )
    latest: dict[int, CallPhase] = {}
    for setting in due:
        current = latest.get(setting.call_id)
        if current is None or PHASE_ORDER.index(setting.phase) > PHASE_ORDER.index(
            current.phase
        ):
            latest[setting.call_id] = setting
    switched = []
    for setting in latest.values():
        with transaction.atomic():
            call = Call.objects.select_for_update().get(pk=setting.call_id)
            CallPhase.objects.filter(
                call=call, starts_at__lte=now, switched_at__isnull=True
            ).update(switched_at=now)
            if PHASE_ORDER.index(setting.phase) > PHASE_ORDER.index(call.phase):
                set_phase(call, setting.phase)
                switched.append(call)
    return switched


# Submissions


def _record_provenance(
    submission: Submission, changed: list[str], *, by, origin: str
) -> None:
    now = timezone.now().isoformat()
    for name in changed:
        if name not in LANGUAGE_FIELDS:
            continue
        if not getattr(submission, name):
            submission.provenance.pop(name, None)
            continue
        entry = submission.provenance.get(name)
        # A submitter's later edit of their own text keeps it theirs.
        if entry and entry.get("origin") == "submitter" and origin == "submitter":
            continue
        submission.provenance[name] = {
            "origin": origin,
            "by": getattr(by, "pk", None),
            "by_name": by.get_full_name() if by else "",
            "at": now,
        }


def _origin(submission: Submission, by, *, later: bool) -> str:
    """Text a member writes before the first submit is the submitter's; what comes
    after, or from anyone else, is added."""
    if permissions.is_submission_member(by, submission) and not later:
        return "submitter"
    return "added"


def _clean_fields(fields: dict) -> dict:
    cleaned = {k: v for k, v in fields.items() if k in SUBMISSION_FIELDS}
    for name in LANGUAGE_FIELDS:
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if "asks" in cleaned:
        cleaned["asks"] = [a for a in Submission.Ask.values if a in cleaned["asks"]]
    if "links" in cleaned:
        cleaned["links"] = [link for link in cleaned["links"] if link]
    return cleaned


def _apply(submission: Submission, fields: dict) -> list[str]:
    changed = []
    for name, value in fields.items():
        if getattr(submission, name) != value:
            setattr(submission, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def create_submission(
    call: Call, organization, *, by, tags=(), sectors=(), **fields
) -> Submission:
    """A draft of `organization` for `call`."""
    if not permissions.can_submit_to(by, call, organization):
        raise PermissionDenied
    submission = Submission(call=call, organization=organization, created_by=by)
    changed = _apply(submission, _clean_fields(fields))
    _record_provenance(submission, changed, by=by, origin="submitter")
    submission.save()
    submission.tags.set(tags)
    submission.sectors.set(sectors)
    audit.record("exchange.submission_created", submission, actor=by)
    return submission


@transaction.atomic
def update_submission(
    submission: Submission, *, by, tags=None, sectors=None, **fields
) -> Submission:
    """Save changes. A submitted one stays complete and becomes a new version;
    after a revision round's deadline a new version is refused."""
    if not permissions.can_edit_submission(by, submission):
        if permissions.is_late_revision(by, submission):
            raise ValidationError(late_version_message(submission))
        raise PermissionDenied
    changed = _apply(submission, _clean_fields(fields))
    if tags is not None:
        submission.tags.set(tags)
    if sectors is not None:
        submission.sectors.set(sectors)
    later = submission.status == Submission.Status.SUBMITTED
    _record_provenance(
        submission, changed, by=by, origin=_origin(submission, by, later=later)
    )
    if later:
        missing = missing_items(submission)
        if missing:
            raise ValidationError(missing)
    _save_edit(submission, changed, by=by, later=later)
    audit.record(
        "exchange.submission_updated", submission, actor=by, fields=sorted(changed)
    )
    return submission


def late_version_message(submission: Submission) -> str:
    """Why a new version came too late: the deadline in the call's zone."""
    from exchange.queries import deadline

    return _(
        "The deadline for the revised version passed on %(deadline)s. This version "
        "was not saved; your text is kept below so that you can copy it."
    ) % {"deadline": deadline(submission.resubmit_until, submission.call)}


@transaction.atomic
def reopen_submission(submission: Submission, *, until, by) -> Submission:
    """Open the next review round of a submitted project: its submitters may send
    a new version until `until`."""
    if not permissions.can_reopen_submission(by, submission):
        raise PermissionDenied
    if until is None or until <= timezone.now():
        raise ValidationError(
            {"resubmit_by": _("The new deadline must be in the future.")}
        )
    submission.review_round += 1
    submission.resubmit_until = until
    submission.save(update_fields=["review_round", "resubmit_until", "updated_at"])
    Call.reviews_changed(submission.call_id)
    audit.record(
        "exchange.submission_reopened",
        submission,
        actor=by,
        round=submission.review_round,
        until=until.isoformat(),
    )
    return submission


def close_revision(submission: Submission, *, by) -> Submission:
    """The round's decision is out: no more new versions (the round stays)."""
    if submission.resubmit_until is None:
        return submission
    if not permissions.can_manage_call(by, submission.call):
        raise PermissionDenied
    submission.resubmit_until = None
    submission.save(update_fields=["resubmit_until", "updated_at"])
    audit.record(
        "exchange.revision_closed", submission, actor=by, round=submission.review_round
    )
    return submission


def _save_edit(submission: Submission, changed, *, by, later: bool) -> None:
    """Save an edit: English text clears the "English needed" flag, and a change
    made after submitting (`later`) becomes a new version."""
    if "en" in submission.languages():
        submission.english_needed = False
    submission.save()
    if later and changed:
        _make_version(submission, by=by)


def missing_items(submission: Submission) -> list[str]:
    """Every item a submission still lacks, as sentences for the submitter."""
    missing = []
    languages = submission.languages()
    if not languages:
        has_title = submission.title_uk.strip() or submission.title_en.strip()
        has_summary = submission.summary_uk.strip() or submission.summary_en.strip()
        if not has_title:
            missing.append(_("A title in Ukrainian or English."))
        if not has_summary:
            missing.append(_("A summary in Ukrainian or English."))
        if has_title and has_summary:
            missing.append(_("The title and the summary in the same language."))
    for field, message in (
        ("problem", _("The problem the project solves.")),
        ("solution", _("The solution.")),
        ("team", _("The team.")),
    ):
        if not any(
            getattr(submission, f"{field}_{lang}").strip() for lang in ("uk", "en")
        ):
            missing.append(message)
    if not submission.stage:
        missing.append(_("The stage of the project."))
    if not submission.asks:
        missing.append(_("At least one thing you ask for."))
    if Submission.Ask.FUNDING in submission.asks:
        if submission.funding_amount is None or submission.funding_amount <= 0:
            missing.append(_("The amount of funding you ask for."))
        if not submission.funding_currency:
            missing.append(_("The currency of the funding."))
    return missing


def _make_version(submission: Submission, *, by) -> SubmissionVersion:
    submission.version += 1
    Submission.objects.filter(pk=submission.pk).update(version=submission.version)
    return SubmissionVersion.objects.create(
        submission=submission,
        number=submission.version,
        content=submission.snapshot(),
        created_by=by,
    )


@transaction.atomic
def submit_submission(submission: Submission, *, by) -> Submission:
    """Hand a complete draft in; raises ValidationError listing every missing item."""
    if not permissions.can_submit_submission(by, submission):
        raise PermissionDenied
    missing = missing_items(submission)
    if missing:
        raise ValidationError(missing)
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["status", "submitted_at", "updated_at"])
    Call.reviews_changed(submission.call_id)
    version = _make_version(submission, by=by)
    audit.record(
        "exchange.submission_submitted", submission, actor=by, version=version.number
    )
    return submission


@transaction.atomic
def withdraw_submission(submission: Submission, *, by) -> Submission:
    """Take a submission back, at any time."""
    if not permissions.can_withdraw_submission(by, submission):
        raise PermissionDenied
    submission.status = Submission.Status.WITHDRAWN
    submission.withdrawn_at = timezone.now()
    submission.save(update_fields=["status", "withdrawn_at", "updated_at"])
    Call.reviews_changed(submission.call_id)
    audit.record("exchange.submission_withdrawn", submission, actor=by)
    return submission


@transaction.atomic
def set_english_needed(submission: Submission, needed: bool, *, by) -> Submission:
    """Staff flag a submission that lacks English; the submitter is told by e-mail."""
    if not permissions.can_flag_english(by, submission):
        raise PermissionDenied
    if submission.english_needed == needed:
        return submission
    submission.english_needed = needed
    submission.save(update_fields=["english_needed", "updated_at"])
    audit.record("exchange.english_needed", submission, actor=by, needed=needed)
    if needed:
        from exchange.tasks import send_english_needed_task

        enqueue(send_english_needed_task, submission.pk)
    return submission


@transaction.atomic
def add_translation(
    submission: Submission, language: str, *, by, **fields
) -> Submission:
    """Fill the text fields of `language`; who added them is recorded."""
    if not permissions.can_add_translation(by, submission):
        raise PermissionDenied
    if language not in ("uk", "en"):
        raise ValidationError(_("Unknown language."))
    wanted = {
        f"{field}_{language}": (fields.get(field) or "").strip()
        for field in TEXT_FIELDS
        if field in fields
    }
    changed = _apply(submission, wanted)
    later = submission.status != Submission.Status.DRAFT
    _record_provenance(
        submission, changed, by=by, origin=_origin(submission, by, later=later)
    )
    _save_edit(submission, changed, by=by, later=later)
    audit.record(
        "exchange.translation_added",
        submission,
        actor=by,
        language=language,
        fields=sorted(changed),
    )
    return submission


# Attachments


def check_pdf(upload) -> None:
    """A PDF by content: the %PDF- signature, and a parser that can open it."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."), code="too_large")
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head[:1024]:
        raise ValidationError(
            _(
                "This file is not a PDF (its content says otherwise, whatever its "
                "name). Upload a PDF document."
            ),
            code="not_pdf",
        )
    try:
        from pypdf import PdfReader  # deferred: ~0.3 s at import

        data = upload.read()
        reader = PdfReader(io.BytesIO(data))
        len(reader.pages)
    except Exception as error:
        raise ValidationError(
            _("This PDF is damaged and cannot be opened."), code="bad_pdf"
        ) from error
    finally:
        upload.seek(0)


@transaction.atomic
def upload_attachment(submission: Submission, upload, *, by) -> Attachment:
    """Store a PDF privately, after checking its content."""
    if not permissions.can_manage_attachments(by, submission):
        raise PermissionDenied
    check_pdf(upload)
    name = (getattr(upload, "name", "") or "document.pdf").rsplit("/", 1)[-1][:255]
    attachment = Attachment(
        submission=submission, original_name=name, size=upload.size, uploaded_by=by
    )
    attachment.file.save("document.pdf", upload, save=False)
    attachment.save()
    audit.record(
        "exchange.attachment_uploaded", submission, actor=by, attachment=attachment.pk
    )
    return attachment


@transaction.atomic
def delete_attachment(attachment: Attachment, *, by) -> None:
    """Remove an attachment and its file."""
    submission = attachment.submission
    if not permissions.can_manage_attachments(by, submission):
        raise PermissionDenied
    delete_with_file(attachment, attachment.file)
    audit.record(
        "exchange.attachment_deleted",
        submission,
        actor=by,
        name=attachment.original_name,
    )


# Questions and answers


@transaction.atomic
def post_message(submission: Submission, body: str, *, by) -> Message:
    """Add a message to the submission's thread."""
    if not permissions.can_post_message(by, submission):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")})
    is_member = permissions.is_submission_member(by, submission)
    message = Message.objects.create(
        submission=submission,
        author=by,
        body=body,
        is_from_reviewer=not is_member and permissions.is_reviewer_of(by, submission),
    )
    _notify_thread(submission, message, is_member=is_member)
    return message


def _notify_thread(submission: Submission, message: Message, *, is_member: bool):
    """A new question or answer shows in the other side's notification centre:
    the reviewers hear of the submitters' messages, the submitters of everyone
    else's. The notice names the project only, never the author (blind calls)."""
    from django.urls import reverse

    from core import mail
    from exchange import access
    from exchange.emails import submitters_of

    if is_member:
        people, kind = access.reviewers_of_submission(submission), "review"
    else:
        people, kind = submitters_of(submission), "submission"
    people = [p for p in people if p.pk != message.author_id]
    if not people:
        return

    def title():
        return _("New message about “%(title)s”") % {"title": submission.title}

    def link():
        return reverse("exchange:submission-messages", kwargs={"pk": submission.pk})

    mail.notify(people, kind=kind, title=title, link=link)
