"""Changes to the investment portfolio: one function per use case, atomic, audited."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from translitua import translit

from core import audit
from core.concurrency import check_version
from core.storage import delete_with_file
from core.tasks import enqueue
from directory.models import Organization
from investments import permissions, quality
from investments.models import (
    BudgetLine,
    FundingSource,
    Indicator,
    Interest,
    InvestmentProject,
    InvestorVerification,
    ProjectChange,
    ProjectDocument,
    ProjectPhoto,
    validate_period,
)

Status = InvestmentProject.Status
Stage = Interest.Stage

ALLOWED_TRANSITIONS = {
    Status.DRAFT: (Status.INTERNAL_REVIEW, Status.WITHDRAWN),
    Status.INTERNAL_REVIEW: (Status.DRAFT, Status.PUBLISHED, Status.WITHDRAWN),
    Status.PUBLISHED: (
        Status.INTERNAL_REVIEW,
        Status.IN_NEGOTIATION,
        Status.FUNDED,
        Status.WITHDRAWN,
    ),
    Status.IN_NEGOTIATION: (Status.PUBLISHED, Status.FUNDED, Status.WITHDRAWN),
    Status.FUNDED: (Status.IN_IMPLEMENTATION, Status.WITHDRAWN),
    Status.IN_IMPLEMENTATION: (Status.COMPLETED, Status.WITHDRAWN),
    Status.COMPLETED: (),
    Status.WITHDRAWN: (Status.DRAFT,),
}

# Fields of the project form and the API, compared for the history.
PROJECT_FIELDS = (
    "code",
    "title_uk",
    "title_en",
    "summary_uk",
    "summary_en",
    "description_uk",
    "description_en",
    "problem_uk",
    "problem_en",
    "strategy_area",
    "sdgs",
    "project_sector",
    "project_type",
    "owner",
    "place",
    "latitude",
    "longitude",
    "readiness",
    "total_cost",
    "currency",
    "financing_sought",
    "financing_currency",
    "instruments",
    "starts_on",
    "ends_on",
    "risks_uk",
    "risks_en",
    "dream_ids",
    "prozorro_ids",
    "contact_name",
    "contact_email",
    "contact_phone",
)
M2M_FIELDS = ("tags", "sectors")
PART_FIELDS = {
    "budget_lines": (
        BudgetLine,
        ("category", "kind", "amount", "currency", "description_uk", "description_en"),
    ),
    "funding_sources": (
        FundingSource,
        ("source_name", "instrument", "amount", "currency", "secured_on"),
    ),
    "indicators": (
        Indicator,
        ("name_uk", "name_en", "unit", "baseline", "target", "target_year"),
    ),
}


class TransitionError(ValidationError):
    """A status change the workflow does not allow."""


def _json(value):
    """A field value as JSON for the history."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    return value


def _current(project: InvestmentProject, name: str):
    if name in ("owner", "place"):
        return getattr(project, f"{name}_id")
    return getattr(project, name)


def _parts_json(rows) -> list:
    return [{key: _json(value) for key, value in row.items()} for row in rows]


def _existing_parts(project: InvestmentProject, name: str) -> list:
    model, fields = PART_FIELDS[name]
    return _parts_json(
        model.objects.filter(project=project).order_by("id").values(*fields)
    )


def _unique_slug(project: InvestmentProject) -> str:
    base = slugify(project.title_en or translit(project.title_uk))[:80] or "project"
    base = f"{slugify(project.code)[:30]}-{base}".strip("-")[:110]
    slug = base
    while InvestmentProject.objects.filter(slug=slug).exclude(pk=project.pk).exists():
        slug = f"{base[:100]}-{get_random_string(5).lower()}"
    return slug


def _save_version(project: InvestmentProject, *, by, kind, **change) -> None:
    """Save `project` as its next version and log the change."""
    project.version += 1
    project.updated_by = by
    project.save()
    ProjectChange.objects.create(
        project=project, kind=kind, changed_by=by, version=project.version, **change
    )


def _replace_parts(project: InvestmentProject, name: str, rows: list[dict]) -> None:
    model, fields = PART_FIELDS[name]
    # A funding source recorded from an expression of interest keeps that link when
    # the form saves the same row again (the form has no field for it).
    links = {}
    if model is FundingSource:
        for source in FundingSource.objects.filter(
            project=project, interest__isnull=False
        ):
            links[tuple(_json(getattr(source, key)) for key in fields)] = (
                source.interest_id
            )
    model.objects.filter(project=project).delete()
    parts = []
    for row in rows:
        part = model(
            project=project, **{key: row.get(key) for key in fields if key in row}
        )
        if links:
            key = tuple(_json(getattr(part, field)) for field in fields)
            part.interest_id = links.pop(key, None)
        parts.append(part)
    model.objects.bulk_create(parts)


def refresh_quality(project: InvestmentProject) -> list:
    """Run the data-quality checks and store their warnings on the project."""
    warnings = quality.check_project(project)
    InvestmentProject.objects.filter(pk=project.pk).update(quality_warnings=warnings)
    project.quality_warnings = warnings
    return warnings


def _check_code(code: str, project: InvestmentProject | None = None) -> None:
    others = InvestmentProject.objects.filter(code=code)
    if project is not None:
        others = others.exclude(pk=project.pk)
    if others.exists():
        raise ValidationError({"code": _("Another project already has this code.")})


@transaction.atomic
def create_project(
    *, by, fields: dict, parts: dict | None = None, source_submission=None
) -> InvestmentProject:
    """A new draft project (city officers and staff), adopted from an accepted
    submission when `source_submission` is given (the journey's link)."""
    if not permissions.can_create_project(by):
        raise PermissionDenied
    if source_submission is not None and not permissions.can_create_project_from(
        by, source_submission
    ):
        raise PermissionDenied
    fields = dict(fields)
    fields["source_submission"] = source_submission
    m2m = {name: fields.pop(name) for name in M2M_FIELDS if name in fields}
    _check_code(fields.get("code", ""))
    project = InvestmentProject(
        **fields, created_by=by, updated_by=by, status=Status.DRAFT
    )
    validate_period(project.starts_on, project.ends_on)
    project.slug = _unique_slug(project)
    project.save()
    for name, values in m2m.items():
        getattr(project, name).set(values or [])
    for name, rows in (parts or {}).items():
        _replace_parts(project, name, rows)
    ProjectChange.objects.create(
        project=project,
        kind=ProjectChange.Kind.CREATED,
        changed_by=by,
        to_status=project.status,
        version=project.version,
    )
    audit.record(
        "investments.project.create",
        project,
        actor=by,
        code=project.code,
        source_submission=source_submission.pk if source_submission else None,
    )
    refresh_quality(project)
    return project


@transaction.atomic
def update_project(
    project: InvestmentProject,
    *,
    by,
    fields: dict,
    parts: dict | None = None,
    expected_version: int | None = None,
) -> InvestmentProject:
    """Save an officer's edit; refuse it when someone else saved in between."""
    if not permissions.can_edit_project(by, project):
        raise PermissionDenied
    locked = InvestmentProject.objects.select_for_update().get(pk=project.pk)
    check_version(
        locked.version,
        expected_version,
        _(
            "Someone else saved this project while you were editing it "
            "(now version %(version)s). Reload it and make your changes again."
        )
        % {"version": locked.version},
    )
    fields = dict(fields)
    m2m = {name: fields.pop(name) for name in M2M_FIELDS if name in fields}
    if "code" in fields:
        _check_code(fields["code"], locked)
    changes = {}
    for name, value in fields.items():
        old = _json(_current(locked, name))
        new = _json(value)
        if old != new:
            changes[name] = [old, new]
            setattr(locked, name, value)
    for name, values in m2m.items():
        old = sorted(getattr(locked, name).values_list("pk", flat=True))
        new = sorted(getattr(value, "pk", value) for value in values or [])
        if old != new:
            changes[name] = [old, new]
            getattr(locked, name).set(new)
    for name, rows in (parts or {}).items():
        old = _existing_parts(locked, name)
        new = _parts_json(rows)
        if old != new:
            changes[name] = [old, new]
            _replace_parts(locked, name, rows)
    validate_period(locked.starts_on, locked.ends_on)
    if changes:
        _save_version(locked, by=by, kind=ProjectChange.Kind.EDITED, changes=changes)
        audit.record(
            "investments.project.edit", locked, actor=by, fields=sorted(changes)
        )
    refresh_quality(locked)
    return locked


def allowed_statuses(project: InvestmentProject) -> tuple:
    return ALLOWED_TRANSITIONS.get(project.status, ())


@transaction.atomic
def set_status(
    project: InvestmentProject, status: str, *, by, note: str = ""
) -> InvestmentProject:
    """Move a project through the workflow; only the allowed transitions."""
    if not permissions.can_change_status(by, project):
        raise PermissionDenied
    locked = InvestmentProject.objects.select_for_update().get(pk=project.pk)
    if status not in Status.values:
        raise TransitionError(_("Unknown status."))
    if status not in ALLOWED_TRANSITIONS.get(locked.status, ()):
        allowed = ", ".join(str(Status(s).label) for s in allowed_statuses(locked))
        raise TransitionError(
            _(
                "A project that is “%(current)s” cannot become “%(new)s”. "
                "Allowed next: %(allowed)s."
            )
            % {
                "current": Status(locked.status).label,
                "new": Status(status).label,
                "allowed": allowed or _("none"),
            }
        )
    old = locked.status
    locked.status = status
    if status == Status.PUBLISHED and locked.published_at is None:
        locked.published_at = timezone.now()
    _save_version(
        locked,
        by=by,
        kind=ProjectChange.Kind.STATUS,
        changes={"status": [old, status]},
        from_status=old,
        to_status=status,
        note=note,
    )
    audit.record("investments.project.status", locked, actor=by, old=old, new=status)
    project.status, project.version = locked.status, locked.version
    project.published_at = locked.published_at
    return locked


# Documents and photos.


@transaction.atomic
def add_document(
    project: InvestmentProject,
    *,
    by,
    file,
    title_uk: str,
    title_en: str = "",
    document_type: str,
    access: str,
) -> ProjectDocument:
    if not permissions.can_edit_project(by, project):
        raise PermissionDenied
    document = ProjectDocument.objects.create(
        project=project,
        title_uk=title_uk,
        title_en=title_en,
        file=file,
        original_name=getattr(file, "name", "")[:255],
        size=getattr(file, "size", 0) or 0,
        document_type=document_type,
        access=access,
        uploaded_by=by,
    )
    ProjectChange.objects.create(
        project=project,
        kind=ProjectChange.Kind.EDITED,
        changed_by=by,
        changes={"documents": [None, f"+ {document.title_uk} ({access})"]},
        version=project.version,
    )
    audit.record("investments.document.add", document, actor=by, access=access)
    refresh_quality(project)
    return document


@transaction.atomic
def delete_document(document: ProjectDocument, *, by) -> None:
    project = document.project
    if not permissions.can_edit_project(by, project):
        raise PermissionDenied
    ProjectChange.objects.create(
        project=project,
        kind=ProjectChange.Kind.EDITED,
        changed_by=by,
        changes={"documents": [f"- {document.title_uk}", None]},
        version=project.version,
    )
    audit.record("investments.document.delete", document, actor=by)
    delete_with_file(document, document.file)
    refresh_quality(project)


def record_document_download(document: ProjectDocument, *, by) -> None:
    """Audit a download of a limited or restricted document."""
    if document.access != ProjectDocument.Access.OPEN:
        audit.record(
            "investments.document.download",
            document,
            actor=by,
            access=document.access,
            project=document.project_id,
        )


@transaction.atomic
def add_photo(
    project: InvestmentProject, *, by, image, caption_uk: str = "", caption_en: str = ""
) -> ProjectPhoto:
    if not permissions.can_edit_project(by, project):
        raise PermissionDenied
    position = project.photos.count()
    photo = ProjectPhoto.objects.create(
        project=project,
        image=image,
        caption_uk=caption_uk,
        caption_en=caption_en,
        position=position,
    )
    audit.record("investments.photo.add", photo, actor=by)
    return photo


@transaction.atomic
def delete_photo(photo: ProjectPhoto, *, by) -> None:
    if not permissions.can_edit_project(by, photo.project):
        raise PermissionDenied
    audit.record("investments.photo.delete", photo, actor=by)
    delete_with_file(photo, photo.image)


# Investors.


@transaction.atomic
def request_verification(
    user, *, organization=None, note: str = ""
) -> InvestorVerification:
    """An investor asks staff to verify their account."""
    if not permissions.can_request_verification(user):
        raise PermissionDenied
    verification, created = InvestorVerification.objects.get_or_create(
        user=user, defaults={"organization": organization, "note": note}
    )
    if not created and verification.status == InvestorVerification.Status.REJECTED:
        verification.status = InvestorVerification.Status.PENDING
        verification.note = note
        verification.save(update_fields=["status", "note", "updated_at"])
    return verification


@transaction.atomic
def verify_investor(
    user, *, by, verified: bool = True, note: str = ""
) -> InvestorVerification:
    """Staff verify (or reject) an investor account."""
    if not permissions.can_verify_investors(by):
        raise PermissionDenied
    verification, _created = InvestorVerification.objects.get_or_create(user=user)
    verification.status = (
        InvestorVerification.Status.VERIFIED
        if verified
        else InvestorVerification.Status.REJECTED
    )
    verification.decided_by = by
    verification.decided_at = timezone.now()
    if note:
        verification.note = note
    verification.save()
    if hasattr(user, "_investor_verification_cache"):
        del user._investor_verification_cache
    audit.record(
        "investments.investor.verify",
        verification,
        actor=by,
        status=verification.status,
    )
    return verification


@transaction.atomic
def express_interest(
    project: InvestmentProject,
    *,
    investor,
    instrument: str,
    amount: Decimal,
    currency: str,
    message: str = "",
) -> Interest:
    """A verified investor's expression of interest in a published project, on
    behalf of the organization their verification names."""
    if not permissions.can_express_interest(investor, project):
        raise PermissionDenied
    if instrument not in InvestmentProject.Instrument.values:
        raise ValidationError({"instrument": _("Choose an instrument.")})
    if Interest.objects.filter(project=project, investor=investor).exists():
        raise ValidationError(_("You have already expressed interest in this project."))
    verification = InvestorVerification.objects.filter(user=investor).first()
    now = timezone.now()
    try:
        with transaction.atomic():
            interest = Interest.objects.create(
                project=project,
                investor=investor,
                organization=verification.organization if verification else None,
                instrument=instrument,
                amount=amount,
                currency=currency,
                message=message,
                stage=Stage.NEW,
                stage_changed_at=now,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("You have already expressed interest in this project.")
        ) from error
    audit.record("investments.interest.create", interest, actor=investor)
    from investments import tasks

    enqueue(tasks.send_new_interest_email, interest.pk)
    return interest


@transaction.atomic
def confirm_terms(interest: Interest, *, by) -> Interest:
    """The investor accepts the confidentiality terms (a separate, explicit step)."""
    if not permissions.can_confirm_terms(by, interest):
        raise PermissionDenied
    if interest.terms_confirmed_at is None:
        interest.terms_confirmed_at = timezone.now()
        interest.save(update_fields=["terms_confirmed_at", "updated_at"])
        audit.record("investments.interest.terms", interest, actor=by)
    return interest


@transaction.atomic
def accept_interest(interest: Interest, *, by) -> Interest:
    """The city accepts the interest: limited documents open once terms are agreed."""
    if not permissions.can_work_pipeline(by):
        raise PermissionDenied
    if interest.stage == Stage.DECLINED:
        raise ValidationError(_("A declined interest cannot be accepted."))
    if interest.accepted_at is None:
        interest.accepted_at = timezone.now()
        interest.accepted_by = by
        interest.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
        audit.record("investments.interest.accept", interest, actor=by)
        from investments import tasks

        enqueue(tasks.send_interest_accepted_email, interest.pk)
    return interest


@transaction.atomic
def move_interest(
    interest: Interest,
    stage: str,
    *,
    by,
    reason: str = "",
    note: str | None = None,
    funding: dict | None = None,
) -> Interest:
    """Move an interest along the pipeline; tell the investor. At the final stage
    (funded) `funding` (amount, currency, secured_on, optional source_name) records
    the funding source it brought, linked to the interest."""
    if not permissions.can_work_pipeline(by):
        raise PermissionDenied
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    reason = (reason or "").strip()
    if stage == Stage.DECLINED and not reason:
        raise ValidationError({"reason": _("Say why the interest is declined.")})
    if funding and stage != Stage.FUNDED:
        raise ValidationError(
            {"amount": _("Funding is recorded only at the stage “Funded”.")}
        )
    if funding:
        record_funding(interest, by=by, **funding)
    old = interest.stage
    if note is not None:
        interest.officer_note = note
    if old == stage:
        interest.save(update_fields=["officer_note", "updated_at"])
        return interest
    interest.stage = stage
    interest.decline_reason = reason if stage == Stage.DECLINED else ""
    interest.stage_changed_at = timezone.now()
    interest.save()
    audit.record("investments.interest.stage", interest, actor=by, old=old, new=stage)
    from investments import tasks

    enqueue(tasks.send_interest_stage_email, interest.pk, old)
    return interest


@transaction.atomic
def record_funding(
    interest: Interest,
    *,
    by,
    amount: Decimal,
    currency: str,
    secured_on: datetime.date | None = None,
    source_name: str = "",
) -> FundingSource:
    """The funding an expression of interest brought, as a funding source of its
    project linked to the interest (the journey's last step)."""
    if not permissions.can_work_pipeline(by):
        raise PermissionDenied
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Give the amount secured.")})
    if currency not in InvestmentProject.Currency.values:
        raise ValidationError({"currency": _("Choose a currency.")})
    if secured_on and secured_on > timezone.localdate():
        raise ValidationError({"secured_on": _("The date cannot be in the future.")})
    # The source is public on the project page: an organization's name, never a
    # private investor's own.
    name = (source_name or "").strip() or (
        str(interest.organization) if interest.organization else _("Private investor")
    )
    source = FundingSource.objects.create(
        project=interest.project,
        source_name=name[:255],
        instrument=interest.instrument,
        amount=amount,
        currency=currency,
        secured_on=secured_on,
        interest=interest,
    )
    audit.record(
        "investments.interest.funding",
        interest,
        actor=by,
        funding_source=source.pk,
        amount=str(amount),
        currency=currency,
    )
    refresh_quality(interest.project)
    return source


def reminder_days() -> int:
    return int(getattr(settings, "MIST_INTEREST_REMINDER_DAYS", 7))


def remind_stale_interests(*, now: datetime.datetime | None = None) -> int:
    """E-mail each officer the interests untouched for N days; returns how many."""
    from investments import emails, queries

    now = now or timezone.now()
    stale = list(queries.stale_interests(days=reminder_days(), now=now))
    by_officer = {}
    for interest in stale:
        for officer in emails.officers_for(interest.project):
            by_officer.setdefault(officer.pk, (officer, []))[1].append(interest)
    for officer, interests in by_officer.values():
        emails.send_stale_reminder(officer, interests)
    Interest.objects.filter(pk__in=[i.pk for i in stale]).update(reminded_at=now)
    return len(stale)


@transaction.atomic
def add_party_to_directory(
    project: InvestmentProject, party_key: str, *, by
) -> Organization:
    """Add a party of a project's imported OC4IDS data to the directory (awaiting
    verification, like any new organization); the project's public authority also
    becomes its owner when it has none. The party keeps its id in the export.
    `party_key` is ImportedParty.key (never a person's taxpayer number)."""
    from directory.services import unique_organization_slug
    from investments.queries import imported_parties

    if not permissions.can_add_party_to_directory(by, project):
        raise PermissionDenied
    party = next((p for p in imported_parties(project) if p.key == party_key), None)
    if party is None:
        raise ValidationError(_("The project's imported data has no such party."))
    if party.organization is not None:
        return party.organization
    cyrillic = any("\u0400" <= char <= "\u04ff" for char in party.name)
    organization = Organization.objects.create(
        slug=unique_organization_slug(party.name),
        name_uk=party.name,
        name_en="" if cyrillic else party.name,
        kind=Organization.Kind.CITY_BODY
        if "publicAuthority" in party.roles
        else Organization.Kind.BUSINESS,
        # A person's taxpayer number never goes into the directory from here.
        edrpou=party.edrpou or None,
        verification=Organization.Verification.PENDING,
    )
    audit.record("organization.created", organization, actor=by, source="oc4ids")
    project = InvestmentProject.objects.select_for_update().get(pk=project.pk)
    extra = dict(project.oc4ids_extra or {})
    extra["directory"] = {**extra.get("directory", {}), party.id: organization.pk}
    project.oc4ids_extra = extra
    fields = ["oc4ids_extra"]
    if project.owner_id is None and "publicAuthority" in party.roles:
        project.owner = organization
        fields.append("owner")
    project.save(update_fields=fields)
    audit.record(
        "investments.project.party_added",
        project,
        actor=by,
        party=party.key,
        organization=organization.pk,
    )
    return organization
