"""Changes to the directory: one function per use case, atomic, audited."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from accounts.permissions import is_cluster_staff
from core import audit
from core.concurrency import StaleVersionError, check_version
from core.services import required_reason, unique_slug
from directory import emails, permissions
from directory.models import (
    Organization,
    Place,
    ProfileRevision,
)
from directory.queries import profile_value

M2M_FIELDS = ("sectors", "tags")


@dataclass(frozen=True)
class SaveOutcome:
    """What saving a profile did: applied at once, or proposed for moderation."""

    organization: Organization
    revision: ProfileRevision | None = None

    @property
    def awaits_moderation(self) -> bool:
        return self.revision is not None


# Values between forms, JSON and the model.


def _to_json(field: str, value):
    """A cleaned form value as it is stored in ProfileRevision.changes."""
    if field in M2M_FIELDS:
        return sorted(getattr(obj, "pk", obj) for obj in (value or []))
    if field == "place":
        return getattr(value, "pk", value)
    if field == "country":
        return str(value or "")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if field in ("edrpou", "rntrc"):
        return value or None
    if value is None and field not in ("founded_year", "cluster_member_since"):
        return ""
    return value


def _store_logo(value) -> str:
    """Save a fresh upload and return its storage name; names pass through."""
    if not value:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, FieldFile):
        return value.name or ""
    field = Organization._meta.get_field("logo")
    name = field.generate_filename(None, value.name)
    return default_storage.save(name, File(value))


def _changed_fields(organization: Organization, fields: dict) -> dict:
    """The fields whose value differs from the organization's, JSON-shaped."""
    changes = {}
    for field, value in fields.items():
        if field == "logo":
            if value is None:
                continue  # not given: keep the current logo
            if value is False or value == "":
                new = ""
            elif isinstance(value, FieldFile):
                new = value.name or ""
            elif isinstance(value, str):
                new = value
            else:
                new = value  # a fresh upload, stored once the change is kept
            if new != (organization.logo.name or ""):
                changes[field] = new
            continue
        new = _to_json(field, value)
        if new != profile_value(organization, field):
            changes[field] = new
    return changes


def _apply(organization: Organization, changes: dict) -> None:
    """Write JSON-shaped `changes` to the organization (and its m2m fields)."""
    m2m = {}
    for field, value in changes.items():
        if field in M2M_FIELDS:
            m2m[field] = value
        elif field == "place":
            organization.place = Place.objects.get(pk=value) if value else None
        elif field == "logo":
            organization.logo.name = value or ""
        elif field == "cluster_member_since":
            organization.cluster_member_since = (
                datetime.date.fromisoformat(value) if value else None
            )
        else:
            setattr(organization, field, value)
    organization.version += 1
    organization.full_clean(exclude=["logo"])
    organization.save()
    for field, ids in m2m.items():
        getattr(organization, field).set(ids)


def _check_fields(fields: dict, user) -> None:
    unknown = set(fields) - set(permissions.settable_fields(user))
    if unknown:
        raise PermissionDenied(
            "These fields cannot be changed here: " + ", ".join(sorted(unknown))
        )


def _lock(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


def _check_version(organization: Organization, expected_version: int | None) -> None:
    check_version(
        organization.version,
        expected_version,
        _(
            "Someone else changed this profile after you opened it, so your "
            "changes were not saved. Reload the page to see the current profile, "
            "then make your changes again."
        ),
    )


# Creating and editing.


def unique_organization_slug(name: str) -> str:
    """A URL address from the (transliterated) name, unique among organizations."""
    return unique_slug(name, Organization.objects.all(), fallback="organization")


@transaction.atomic
def create_organization(*, by, **fields) -> Organization:
    """Create an organization proposed by `by`, who becomes its editor; it waits for
    verification by cluster staff."""
    if not permissions.can_create_organization(by):
        raise PermissionDenied
    _check_fields(fields, by)
    sectors = fields.pop("sectors", None) or []
    tags = fields.pop("tags", None) or []
    logo = fields.pop("logo", None)
    organization = Organization(
        slug=unique_organization_slug(
            fields.get("name_uk") or fields.get("name_en") or ""
        ),
        verification=Organization.Verification.PENDING,
    )
    for field, value in fields.items():
        if field in ("edrpou", "rntrc"):
            value = value or None
        setattr(organization, field, value)
    if logo:
        organization.logo.name = _store_logo(logo)
    organization.full_clean(exclude=["logo"])
    organization.save()
    organization.sectors.set(sectors)
    organization.tags.set(tags)
    Membership.objects.get_or_create(
        user=by, organization=organization, defaults={"is_editor": True}
    )
    audit.record("organization.created", organization, actor=by)
    return organization


@transaction.atomic
def update_organization(
    organization: Organization, *, by, expected_version: int | None = None, **fields
) -> Organization:
    """Apply profile changes at once: staff edits, or an editor's edits of an
    organization that is not published yet. Bumps the version."""
    if not permissions.can_edit_organization(by, organization):
        raise PermissionDenied
    if permissions.edits_go_to_moderation(by, organization):
        raise PermissionDenied("Changes to a published profile wait for moderation.")
    _check_fields(fields, by)
    organization = _lock(organization)
    _check_version(organization, expected_version)
    changes = _changed_fields(organization, fields)
    if not changes:
        return organization
    if "logo" in changes:
        changes["logo"] = _store_logo(changes["logo"])
    if (
        not is_cluster_staff(by)
        and organization.verification == Organization.Verification.REJECTED
    ):
        # A rejected profile that its editor corrects goes back to the queue.
        organization.verification = Organization.Verification.PENDING
        organization.rejection_reason = ""
    _apply(organization, changes)
    audit.record("organization.updated", organization, actor=by, fields=sorted(changes))
    return organization


@transaction.atomic
def propose_profile_changes(
    organization: Organization, *, by, expected_version: int | None = None, **fields
) -> ProfileRevision | None:
    """Record an editor's changes to a published profile for moderation; the public
    page keeps the approved data. One pending revision per organization: a new
    proposal replaces the previous one. Returns None when nothing differs."""
    if not permissions.can_edit_organization(by, organization):
        raise PermissionDenied
    _check_fields(fields, by)
    organization = _lock(organization)
    _check_version(organization, expected_version)
    changes = _changed_fields(organization, fields)
    if "logo" in changes:
        changes["logo"] = _store_logo(changes["logo"])
    pending = (
        organization.revisions.select_for_update()
        .filter(status=ProfileRevision.Status.PENDING)
        .first()
    )
    if not changes:
        if pending is not None:
            audit.record("revision.withdrawn", pending, actor=by)
            pending.delete()
        return None
    if pending is None:
        pending = ProfileRevision(organization=organization)
        action = "revision.proposed"
    else:
        action = "revision.updated"
    pending.proposed_by = by
    pending.base_version = organization.version
    pending.changes = changes
    pending.save()
    audit.record(action, pending, actor=by, fields=sorted(changes))
    return pending


def save_profile(
    organization: Organization, *, by, expected_version: int | None = None, **fields
) -> SaveOutcome:
    """Save a profile the way `by` may: staff and editors of an unpublished
    organization change it at once; editors of a verified one propose changes."""
    if not permissions.edits_go_to_moderation(by, organization):
        organization = update_organization(
            organization, by=by, expected_version=expected_version, **fields
        )
        return SaveOutcome(organization)
    revision = propose_profile_changes(
        organization, by=by, expected_version=expected_version, **fields
    )
    return SaveOutcome(organization, revision)


# Moderation.


def _check_moderator(user) -> None:
    if not permissions.can_moderate(user):
        raise PermissionDenied


def _set_verification(
    organization: Organization, verification: str, *, by, reason: str = ""
) -> Organization:
    """Lock `organization` and record staff's verdict: verified (by `by`, now) or
    rejected (for `reason`); audit it and tell the organization's editors."""
    organization = _lock(organization)
    verified = verification == Organization.Verification.VERIFIED
    organization.verification = verification
    organization.verified_at = timezone.now() if verified else None
    organization.verified_by = by if verified else None
    organization.rejection_reason = reason
    organization.version += 1
    organization.save()
    verdict = "verified" if verified else "rejected"
    details = {"reason": reason} if reason else {}
    audit.record(f"organization.{verdict}", organization, actor=by, **details)
    emails.mail_editors(organization, f"organization_{verdict}", **details)
    return organization


@transaction.atomic
def verify_organization(organization: Organization, *, by) -> Organization:
    """Staff confirm an organization is real; it becomes visible in the directory."""
    _check_moderator(by)
    return _set_verification(organization, Organization.Verification.VERIFIED, by=by)


@transaction.atomic
def reject_organization(organization: Organization, *, by, reason: str) -> Organization:
    """Staff decline an organization, telling its editors why."""
    _check_moderator(by)
    reason = required_reason(reason)
    return _set_verification(
        organization, Organization.Verification.REJECTED, by=by, reason=reason
    )


@transaction.atomic
def approve_revision(
    revision: ProfileRevision, *, by, force: bool = False
) -> ProfileRevision:
    """Apply proposed changes to the profile. If the profile changed since they were
    proposed, refuse unless `force` (staff saw the conflict and chose to apply)."""
    _check_moderator(by)
    revision = _lock_pending(revision)
    organization = _lock(revision.organization)
    conflict = revision.base_version != organization.version
    if conflict and not force:
        raise StaleVersionError(
            _(
                "The profile changed after these changes were proposed. Compare "
                "the values, then apply anyway or reject."
            )
        )
    _apply(organization, revision.changes)
    _decide(revision, ProfileRevision.Status.APPROVED, by=by)
    audit.record(
        "revision.approved",
        revision,
        actor=by,
        organization=organization.pk,
        fields=sorted(revision.changes),
        conflict=conflict,
    )
    emails.mail_editors(organization, "revision_approved")
    return revision


@transaction.atomic
def reject_revision(revision: ProfileRevision, *, by, reason: str) -> ProfileRevision:
    """Decline proposed changes, telling the organization's editors why."""
    _check_moderator(by)
    reason = required_reason(reason)
    revision = _lock_pending(revision)
    _decide(revision, ProfileRevision.Status.REJECTED, by=by, reason=reason)
    audit.record(
        "revision.rejected",
        revision,
        actor=by,
        organization=revision.organization_id,
        reason=reason,
    )
    emails.mail_editors(revision.organization, "revision_rejected", reason=reason)
    return revision


def _lock_pending(revision: ProfileRevision) -> ProfileRevision:
    """`revision`, locked until the transaction ends, if it still awaits a decision."""
    revision = ProfileRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != ProfileRevision.Status.PENDING:
        raise ValidationError(_("This change has already been decided."))
    return revision


def _decide(revision: ProfileRevision, status: str, *, by, **fields) -> None:
    """Record `by`'s decision on `revision` (and `fields`, such as the reason)."""
    revision.status = status
    revision.decided_by = by
    revision.decided_at = timezone.now()
    for name, value in fields.items():
        setattr(revision, name, value)
    revision.save()


@transaction.atomic
def soft_delete_organization(organization: Organization, *, by) -> Organization:
    """Hide an organization everywhere; the row stays for the audit trail."""
    _check_moderator(by)
    organization = _lock(organization)
    if organization.deleted_at is None:
        organization.deleted_at = timezone.now()
        organization.version += 1
        organization.save()
        audit.record("organization.deleted", organization, actor=by)
    return organization
