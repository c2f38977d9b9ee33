import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.translation import MachineTranslatable, Translated

# The longest free texts people write, in characters: a TextField's max_length,
# which forms and the API enforce (the database column stays unbounded).
NOTE_MAX = 2000  # a note, a reason, a short message, a summary
TEXT_MAX = 5000  # a message, an answer (problem, solution, team), risks
DESCRIPTION_MAX = 20000  # a description of an organization, event, call, project


def description_fields() -> tuple[models.TextField, models.TextField]:
    """`description_uk, description_en`: the long description of an organization,
    event, call, criterion or project, read through `Translated("description")`;
    either may be empty."""
    return (
        models.TextField(
            _("description (Ukrainian)"), blank=True, max_length=DESCRIPTION_MAX
        ),
        models.TextField(
            _("description (English)"), blank=True, max_length=DESCRIPTION_MAX
        ),
    )


def status_field(default, *, max_length: int, **options) -> models.CharField:
    """The `status` of a record in its life cycle: one of the choices `default`
    belongs to (the model's `Status`), starting at `default`."""
    return models.CharField(
        _("status"),
        max_length=max_length,
        choices=type(default).choices,
        default=default,
        **options,
    )


def optional_reference(
    to, verbose_name, *, related_name="+", blank=True
) -> models.ForeignKey:
    """A reference the record can live without (a host, a linked event): optional,
    and emptied when the referenced row goes, so the record itself stays."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


def user_reference(verbose_name, *, related_name="+", blank=True) -> models.ForeignKey:
    """A reference to a person (who created, decided, uploaded…): optional, and
    emptied when their account goes, so the record itself stays."""
    return optional_reference(
        settings.AUTH_USER_MODEL,
        verbose_name,
        related_name=related_name,
        blank=blank,
    )


def ends_after_start(
    name: str, *, start="starts_at", end="ends_at", or_same=False
) -> models.CheckConstraint:
    """The database's guard that a span ends after it starts (`or_same`: a
    one-day span of dates ends on the day it starts)."""
    lookup = f"{end}__gte" if or_same else f"{end}__gt"
    return models.CheckConstraint(
        condition=models.Q(**{lookup: models.F(start)}), name=name
    )


def belongs_to(
    to, verbose_name, *, related_name: str, on_delete=models.CASCADE
) -> models.ForeignKey:
    """The record this one belongs to (a call's phases, a submission's reviews):
    required, and deleted with it unless `on_delete` says otherwise."""
    return models.ForeignKey(
        to, verbose_name=verbose_name, on_delete=on_delete, related_name=related_name
    )


class TimeStampedModel(models.Model):
    """Adds creation and modification times."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ListingQuerySet(models.QuerySet):
    def published(self, *, today: datetime.date | None = None):
        """Published and still valid, of an organization that is not deleted (an
        overdue one is hidden before the expiry command has run)."""
        return self.filter(
            status=self.model.Status.PUBLISHED,
            valid_until__gte=today or timezone.localdate(),
            organization__deleted_at__isnull=True,
        )


class ModeratedListing(MachineTranslatable, TimeStampedModel):
    """A listing of an organization in core.moderation's life cycle (a need or
    offer, a role): valid until a date, published or rejected by staff. The model
    adds its `organization`, `status` (of its own `Status`) and bilingual title
    and description."""

    valid_until = models.DateField(_("valid until"))
    created_by = user_reference(_("created by"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    decided_by = user_reference(_("decided by"))
    rejection_reason = models.TextField(
        _("reason for rejection"), blank=True, max_length=NOTE_MAX
    )
    # Lemmatized Ukrainian and stemmed English terms, for text similarity.
    match_terms = models.TextField(blank=True, editable=False)

    MACHINE_TRANSLATED = ("title", "description")
    title = Translated("title")
    description = Translated("description")

    class Meta:
        abstract = True

    def __str__(self):
        return str(self.title)

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.valid_until >= timezone.localdate()
        )

    @property
    def may_be_submitted(self) -> bool:
        """A draft, or a rejected one corrected: its editors may send it for review."""
        return self.status in (self.Status.DRAFT, self.Status.REJECTED)

    @property
    def may_be_renewed(self) -> bool:
        """A published or expired one: its editors may extend its date."""
        return self.status in (self.Status.PUBLISHED, self.Status.EXPIRED)


class AuditEntry(models.Model):
    """One recorded action: who did what to which object, and when."""

    actor = user_reference(_("actor"), related_name="audit_entries")
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.action} {self.object_type}#{self.object_id}"


def max_length(model, field: str) -> int | None:
    """The max_length of `model`'s `field`, for a form or serializer field declared
    by hand, so the limit is defined once, on the model."""
    return model._meta.get_field(field).max_length
