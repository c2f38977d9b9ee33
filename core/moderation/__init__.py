"""The moderation life cycle of listings that cluster staff publish (needs and
offers, talent roles), written once.

    draft → pending → published or rejected (with a reason, mailed to the editors);
    an edit of a published or expired one sends it back to pending;
    a published one expires at its date and its editors may renew it.

Each app describes its listing by subclassing `Lifecycle` in its services module
(the model, the allowed moves, its predicates, how it is saved and whom it tells)
and calls these steps; its pages are a `core.moderation.pages.ListingPages`.
"""

import datetime
from abc import ABC, abstractmethod

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.services import required_reason


class Lifecycle(ABC):
    """What one app tells the shared life cycle about its listing."""

    model = None
    # status → the statuses it may move to.
    transitions: dict = {}
    # The fields an edit may change.
    fields: tuple = ()
    # Audit actions: this prefix + "created", "updated", "status", "rejected",
    # "renewed".
    audit_prefix = ""
    # Message (gettext_noop) with %(old)s and %(new)s for a move that is not allowed.
    cannot_move = ""
    # How long a listing stays valid when no date is given, and the furthest date.
    default_validity = datetime.timedelta(days=90)
    max_validity = datetime.timedelta(days=366)
    # Fields set back to None by a renewal (such as "reminder sent").
    reset_on_renew: tuple = ()
    # Many-to-many fields the steps take by name ("tags", "skills"): a new listing
    # has none unless given, an edit leaves them as they are unless given.
    relations: tuple = ()

    # The app's predicates.
    def can_create_in(self, user, organization) -> bool:
        return self.can_edit(user, self.model(organization=organization))

    @abstractmethod
    def can_edit(self, user, obj) -> bool:
        """The app's predicate."""

    @abstractmethod
    def can_submit(self, user, obj) -> bool:
        """The app's predicate."""

    @abstractmethod
    def can_moderate(self, user) -> bool:
        """The app's predicate."""

    @abstractmethod
    def can_renew(self, user, obj) -> bool:
        """The app's predicate."""

    # The app's own work around the steps.
    def check(self, obj) -> None:
        """Rules beyond the model's own validation (raise ValidationError)."""
        return None  # an optional hook: nothing by default

    def store(self, obj, relations: dict):
        """Save `obj` and its many-to-many `relations` (None: leave as they are)."""
        obj.save()
        for name, values in relations.items():
            if values is not None:
                getattr(obj, name).set(values)

    def changed(self, *, bulk: bool = False) -> None:
        """What the public set changing means (indexes, aggregates), after commit;
        `bulk`: rows changed by an UPDATE, which sends no model signals."""
        return None  # an optional hook: nothing by default

    def mail(self, obj, template: str, **context) -> None:
        """Tell the listing's editors: `template` is "published" or "rejected"."""
        return None  # an optional hook: nothing by default

    # The steps.
    def check_validity(self, valid_until: datetime.date) -> None:
        today = timezone.localdate()
        if valid_until < today:
            raise ValidationError(
                {"valid_until": _("Choose a date from today on.")}, code="past"
            )
        if valid_until > today + self.max_validity:
            raise ValidationError(
                {"valid_until": _("Choose a date within a year from today.")},
                code="too_far",
            )

    def set_status(self, obj, new: str, *, by=None):
        """Move `obj` to status `new` if the life cycle allows it (audited)."""
        if new not in self.transitions.get(obj.status, set()):
            labels = self.model.Status
            raise ValidationError(
                _(self.cannot_move)
                % {"old": labels(obj.status).label, "new": labels(new).label},
                code="transition",
            )
        old = obj.status
        obj.status = new
        audit.record(f"{self.audit_prefix}status", obj, actor=by, old=old, new=new)
        return obj

    def _lock(self, obj):
        return self.model.objects.select_for_update().get(pk=obj.pk)

    def _relations(self, fields: dict, default) -> dict:
        return {name: fields.pop(name, default) for name in self.relations}

    @transaction.atomic
    def create(self, *, by, submit: bool = False, **fields):
        """An editor drafts a listing for their organization (and may submit it)."""
        relations = self._relations(fields, ())
        if not self.can_create_in(by, fields["organization"]):
            raise PermissionDenied
        fields.setdefault("valid_until", timezone.localdate() + self.default_validity)
        self.check_validity(fields["valid_until"])
        obj = self.model(created_by=by, status=self.model.Status.DRAFT, **fields)
        self.check(obj)
        obj.full_clean(exclude=["match_terms"])
        self.store(obj, relations)
        audit.record(f"{self.audit_prefix}created", obj, actor=by)
        if submit:
            self.submit(obj, by=by)
        return obj

    @transaction.atomic
    def update(self, obj, *, by, submit: bool = False, **fields):
        """Change a listing. A published or expired one goes back to review, since
        the public sees only what staff approved."""
        relations = self._relations(fields, None)
        if not self.can_edit(by, obj):
            raise PermissionDenied
        obj = self._lock(obj)
        if "organization" in fields and not self.can_edit(
            by, self.model(organization=fields["organization"])
        ):
            raise PermissionDenied
        for name, value in fields.items():
            if name not in self.fields:
                raise ValidationError(_("This field cannot be changed."), code="field")
            setattr(obj, name, value)
        self.check_validity(obj.valid_until)
        self.check(obj)
        obj.full_clean(exclude=["match_terms"])
        Status = self.model.Status
        if obj.status in (Status.PUBLISHED, Status.EXPIRED):
            self.set_status(obj, Status.PENDING, by=by)
            obj.submitted_at = timezone.now()
        self.store(obj, relations)
        audit.record(f"{self.audit_prefix}updated", obj, actor=by)
        if submit and obj.may_be_submitted:
            self.submit(obj, by=by)
        return obj

    @transaction.atomic
    def submit(self, obj, *, by):
        """Send a draft (or a corrected rejected one) to staff for review."""
        if not self.can_submit(by, obj):
            raise PermissionDenied
        self.set_status(obj, self.model.Status.PENDING, by=by)
        obj.submitted_at = timezone.now()
        obj.rejection_reason = ""
        obj.save(
            update_fields=["status", "submitted_at", "rejection_reason", "updated_at"]
        )
        return obj

    @transaction.atomic
    def approve(self, obj, *, by):
        """Staff publish a listing; its editors are told."""
        if not self.can_moderate(by):
            raise PermissionDenied
        obj = self._lock(obj)
        self.set_status(obj, self.model.Status.PUBLISHED, by=by)
        obj.published_at = timezone.now()
        obj.decided_by = by
        obj.rejection_reason = ""
        if obj.valid_until < timezone.localdate():
            obj.valid_until = timezone.localdate() + self.default_validity
        obj.save()
        self.changed()
        self.mail(obj, "published")
        return obj

    @transaction.atomic
    def reject(self, obj, *, by, reason: str):
        """Staff decline a listing; its editors get the reason."""
        if not self.can_moderate(by):
            raise PermissionDenied
        reason = required_reason(reason)
        obj = self._lock(obj)
        self.set_status(obj, self.model.Status.REJECTED, by=by)
        obj.decided_by = by
        obj.rejection_reason = reason
        obj.save()
        audit.record(f"{self.audit_prefix}rejected", obj, actor=by, reason=reason)
        self.mail(obj, "rejected", reason=reason)
        return obj

    @transaction.atomic
    def renew(self, obj, *, by, until: datetime.date | None = None):
        """Extend a published or expired listing; it stays public without a new
        review, since its text did not change."""
        if not self.can_renew(by, obj):
            raise PermissionDenied
        obj = self._lock(obj)
        today = timezone.localdate()
        until = until or max(today, obj.valid_until) + self.default_validity
        until = min(until, today + self.max_validity)
        self.check_validity(until)
        self.set_status(obj, self.model.Status.PUBLISHED, by=by)
        obj.valid_until = until
        for name in self.reset_on_renew:
            setattr(obj, name, None)
        obj.save()
        audit.record(f"{self.audit_prefix}renewed", obj, actor=by, until=str(until))
        self.changed()
        return obj

    def expire(self, *, today: datetime.date | None = None) -> int:
        """Mark published listings past their date as expired."""
        today = today or timezone.localdate()
        Status = self.model.Status
        count = self.model.objects.filter(
            status=Status.PUBLISHED, valid_until__lt=today
        ).update(status=Status.EXPIRED, updated_at=timezone.now())
        if count:
            self.changed(bulk=True)
        return count


def sort_listings(queryset, sort: str):
    """A list's order: "expiring" (soonest first), "title", else the newest first."""
    if sort == "expiring":
        return queryset.order_by("valid_until", "pk")
    if sort == "title":
        return queryset.order_by("title_uk", "pk")
    return queryset.order_by("-published_at", "-created_at", "-pk")
