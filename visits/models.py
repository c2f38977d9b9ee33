"""Delegation visits: the delegation, programme, invitations, outcomes, follow-ups."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import (
    NOTE_MAX,
    TimeStampedModel,
    belongs_to,
    ends_after_start,
    optional_reference,
    status_field,
    user_reference,
)
from core.translation import Translated
from meetings.models import Outcome as MeetingOutcome

# The fields the visit form edits and services.create_visit/update_visit store.
VISIT_FIELDS = (
    "organization",
    "title_uk",
    "title_en",
    "starts_on",
    "ends_on",
    "cities",
    "needs",
    "interpreter_needs",
    "host",
    "is_public",
)


class Visit(TimeStampedModel):
    """A delegation of a partner organization abroad travelling to the city."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    organization = belongs_to(
        "directory.Organization",
        _("partner organization"),
        related_name="visits",
        on_delete=models.PROTECT,
    )
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    cities = models.CharField(_("cities"), max_length=200, blank=True)
    tags = models.ManyToManyField(
        "directory.Tag", verbose_name=_("tags"), blank=True, related_name="+"
    )
    sectors = models.ManyToManyField(
        "directory.Sector", verbose_name=_("sectors"), blank=True, related_name="+"
    )
    needs = models.TextField(
        _("what the delegation looks for"), blank=True, max_length=NOTE_MAX
    )
    interpreter_needs = models.TextField(
        _("interpreter needs"), blank=True, max_length=NOTE_MAX
    )
    host = user_reference(_("host"), related_name="hosted_visits")
    status = status_field(Status.DRAFT, max_length=12, db_index=True)
    is_public = models.BooleanField(
        _("shown to every signed-in person"),
        default=False,
        help_text=_("Otherwise only the host, the members and invited organizations."),
    )
    sequence = models.PositiveIntegerField(default=0)

    title = Translated("title")

    class Meta:
        verbose_name = _("delegation visit")
        verbose_name_plural = _("delegation visits")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            ends_after_start(
                "visit_ends_after_start", start="starts_on", end="ends_on", or_same=True
            )
        ]

    def __str__(self):
        return self.title_en or self.title_uk

    def get_absolute_url(self):
        return reverse("visits:visit-detail", kwargs={"pk": self.pk})


class VisitMember(TimeStampedModel):
    """A member of the delegation, signing in with their own account."""

    visit = belongs_to(Visit, _("visit"), related_name="members")
    user = belongs_to(
        settings.AUTH_USER_MODEL, _("person"), related_name="visit_memberships"
    )

    class Meta:
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "user"], name="unique_visit_member"
            )
        ]

    def __str__(self):
        return str(self.user)


class ProgrammeItem(TimeStampedModel):
    """One item of the programme: a company visit, the B2B session, a meal…"""

    class Kind(models.TextChoices):
        COMPANY_VISIT = "company_visit", _("Company visit")
        B2B_SESSION = "b2b_session", _("B2B session")
        FORUM = "forum", _("Forum")
        MEAL = "meal", _("Meal")
        TRAVEL = "travel", _("Travel")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    visit = belongs_to(Visit, _("visit"), related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    organization = optional_reference(
        "directory.Organization", _("host organization"), related_name="visit_items"
    )
    session = optional_reference(
        "meetings.B2BSession", _("B2B session"), related_name="visit_items"
    )
    event = optional_reference("events.Event", _("event"), related_name="visit_items")
    status = status_field(Status.SCHEDULED, max_length=12)
    sequence = models.PositiveIntegerField(default=0)
    outcome_reminded_at = models.DateTimeField(
        _("outcome reminder sent"), null=True, blank=True
    )

    title = Translated("title")

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["starts_at", "pk"]
        constraints = [ends_after_start("programme_item_ends_after_start")]

    def __str__(self):
        return self.title_en or self.title_uk


class VisitInvitation(TimeStampedModel):
    """The host invites a local organization to meet the delegation at a time."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    visit = belongs_to(Visit, _("visit"), related_name="invitations")
    organization = belongs_to(
        "directory.Organization", _("organization"), related_name="visit_invitations"
    )
    starts_at = models.DateTimeField(_("proposed start"))
    ends_at = models.DateTimeField(_("proposed end"))
    message = models.TextField(_("message"), blank=True, max_length=NOTE_MAX)
    reasons = models.TextField(_("why they should meet"), blank=True)
    status = status_field(Status.PENDING, max_length=12, db_index=True)
    invited_by = user_reference(_("invited by"))
    answered_by = user_reference(_("answered by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    item = models.OneToOneField(
        ProgrammeItem,
        verbose_name=_("programme item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
    )

    class Meta:
        verbose_name = _("visit invitation")
        verbose_name_plural = _("visit invitations")
        ordering = ["starts_at", "pk"]
        constraints = [ends_after_start("visit_invitation_ends_after_start")]

    def __str__(self):
        return f"{self.visit} → {self.organization}"


class ItemOutcome(TimeStampedModel):
    """What one side says came of a programme item (a company visit, a meeting)."""

    class Side(models.TextChoices):
        DELEGATION = "delegation", _("Delegation")
        HOST = "host", _("Host organization")

    # The same answers as a meeting's.
    Outcome = MeetingOutcome

    item = belongs_to(ProgrammeItem, _("programme item"), related_name="outcomes")
    side = models.CharField(_("side"), max_length=12, choices=Side.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    agreed = models.TextField(_("what was agreed"), blank=True, max_length=NOTE_MAX)
    recorded_by = user_reference(_("recorded by"), blank=False)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["item", "side"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "side"], name="unique_item_outcome_side"
            )
        ]

    def __str__(self):
        return f"{self.item}: {self.get_side_display()}"


class FollowUp(TimeStampedModel):
    """Something to do after the visit, with an owner and a due date."""

    visit = belongs_to(Visit, _("visit"), related_name="follow_ups")
    item = optional_reference(
        ProgrammeItem, _("programme item"), related_name="follow_ups"
    )
    text = models.TextField(_("what follows"), max_length=NOTE_MAX)
    owner = user_reference(_("owner"), related_name="visit_follow_ups", blank=False)
    due_on = models.DateField(_("due"))
    is_done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.text[:60]
