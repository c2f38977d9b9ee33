"""Meeting requests, proposed times, meetings, and B2B sessions with their schedules."""

import zoneinfo

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
from directory.models import organization_reference


class Outcome(models.TextChoices):
    """What came of a meeting (a B2B meeting, a delegation's programme item)."""

    FOLLOW_UP = "follow_up", _("Follow-up agreed")
    PARTNERSHIP = "partnership", _("Partnership")
    INTEREST = "interest", _("Expression of interest")
    NOTHING = "nothing", _("Nothing came of it")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WorkingHours(TimeStampedModel):
    """When a person is ready to meet on a weekday, in their own time zone."""

    user = belongs_to(
        settings.AUTH_USER_MODEL, _("person"), related_name="working_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["user", "weekday", "start"]
        constraints = [
            ends_after_start("working_hours_end_after_start", start="start", end="end")
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class MeetingRequest(TimeStampedModel):
    """One person asking another (of an organization) for a meeting."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    requester = belongs_to(
        settings.AUTH_USER_MODEL, _("from"), related_name="meeting_requests_sent"
    )
    requester_organization = organization_reference(
        _("from organization"), related_name="meeting_requests_sent"
    )
    recipient = belongs_to(
        settings.AUTH_USER_MODEL, _("to"), related_name="meeting_requests_received"
    )
    recipient_organization = organization_reference(
        _("to organization"), related_name="meeting_requests_received"
    )
    event = optional_reference(
        "events.Event", _("event"), related_name="meeting_requests"
    )
    message = models.TextField(_("message"), blank=True, max_length=NOTE_MAX)
    status = status_field(Status.PENDING, max_length=20, db_index=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=1,
        help_text=_("A higher priority wins a contested slot in a B2B schedule."),
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    # The journey: what this meeting is about, when it follows an accepted submission
    # or an investment project (recorded where the request is made).
    submission = optional_reference(
        "exchange.Submission", _("about submission"), related_name="meeting_requests"
    )
    investment_project = optional_reference(
        "investments.InvestmentProject",
        _("about investment project"),
        related_name="meeting_requests",
    )

    class Meta:
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return f"{self.requester} → {self.recipient}"

    def get_absolute_url(self):
        return reverse("meetings:request-detail", kwargs={"pk": self.pk})

    def other_side(self, user):
        """The person on the other side of the request from `user`."""
        return self.recipient if user.pk == self.requester_id else self.requester

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.ACCEPTED)


class ProposedTime(TimeStampedModel):
    """A time one side proposes for the meeting; the other side may accept it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    request = belongs_to(MeetingRequest, _("request"), related_name="proposed_times")
    proposed_by = belongs_to(
        settings.AUTH_USER_MODEL, _("proposed by"), related_name="+"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = status_field(Status.PROPOSED, max_length=20)

    class Meta:
        verbose_name = _("proposed time")
        verbose_name_plural = _("proposed times")
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC"


class B2BSession(TimeStampedModel):
    """A block of one-to-one meetings at an event, scheduled by the organizer."""

    class Rule(models.TextChoices):
        ANYONE = "anyone", _("Anyone may meet anyone")
        ACROSS_GROUPS = "across", _("Delegation members only with local companies")

    class RunStatus(models.TextChoices):
        IDLE = "idle", _("Not run yet")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    event = belongs_to("events.Event", _("event"), related_name="b2b_sessions")
    title = models.CharField(_("title"), max_length=200)
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), default=20
    )
    rule = models.CharField(
        _("who may meet whom"),
        max_length=20,
        choices=Rule.choices,
        default=Rule.ACROSS_GROUPS,
    )
    run_status = models.CharField(
        _("scheduler"), max_length=20, choices=RunStatus.choices, default=RunStatus.IDLE
    )
    run_progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    run_summary = models.JSONField(_("last run"), default=dict, blank=True)
    created_by = user_reference(_("created by"))

    class Meta:
        verbose_name = _("B2B session")
        verbose_name_plural = _("B2B sessions")
        ordering = ["event", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:session-detail", kwargs={"pk": self.pk})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.event.time_zone)


class SessionParticipant(TimeStampedModel):
    """A person taking part in a B2B session, with their group for the rules."""

    class Group(models.TextChoices):
        DELEGATION = "delegation", _("Delegation")
        LOCAL = "local", _("Local company")

    session = belongs_to(B2BSession, _("session"), related_name="participants")
    user = belongs_to(
        settings.AUTH_USER_MODEL, _("person"), related_name="b2b_participations"
    )
    organization = organization_reference()
    group = models.CharField(
        _("group"), max_length=20, choices=Group.choices, default=Group.LOCAL
    )

    class Meta:
        verbose_name = _("session participant")
        verbose_name_plural = _("session participants")
        ordering = ["group", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="unique_session_participant"
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.get_group_display()})"


class Slot(models.Model):
    """A time slot of a B2B session."""

    session = belongs_to(B2BSession, _("session"), related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    is_disrupted = models.BooleanField(
        _("disrupted"),
        default=False,
        help_text=_("Lost to an air-raid alert, a power cut…; no meetings here."),
    )

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC"


class Table(models.Model):
    """A table or room where meetings of a session take place."""

    session = belongs_to(B2BSession, _("session"), related_name="tables")
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=1,
        help_text=_("How many meetings it holds at the same time."),
    )

    class Meta:
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class Availability(models.Model):
    """A participant can meet in a slot."""

    participant = belongs_to(
        SessionParticipant, _("participant"), related_name="availabilities"
    )
    slot = belongs_to(Slot, _("slot"), related_name="availabilities")

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "slot"], name="unique_availability"
            )
        ]

    def __str__(self):
        return f"{self.participant} @ {self.slot}"


class Meeting(TimeStampedModel):
    """A scheduled meeting of an accepted request."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    Outcome = Outcome

    request = belongs_to(MeetingRequest, _("request"), related_name="meetings")
    session = models.ForeignKey(
        B2BSession,
        verbose_name=_("B2B session"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    slot = optional_reference(Slot, _("slot"), related_name="meetings")
    table = optional_reference(Table, _("table"), related_name="meetings")
    status = status_field(Status.SCHEDULED, max_length=20)
    is_pinned = models.BooleanField(_("pinned by hand"), default=False)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True
    )
    requester_outcome = models.CharField(
        _("outcome (requester)"), max_length=20, choices=Outcome.choices, blank=True
    )
    recipient_outcome = models.CharField(
        _("outcome (recipient)"), max_length=20, choices=Outcome.choices, blank=True
    )
    outcome_note = models.TextField(_("outcome notes"), blank=True, max_length=NOTE_MAX)
    sequence = models.PositiveIntegerField(default=0)
    # The journey: the expression of interest that followed this meeting (recorded
    # by the meeting outcome form).
    interest = optional_reference(
        "investments.Interest",
        _("expression of interest that followed"),
        related_name="meetings",
    )
    requester_outcome_at = models.DateTimeField(
        _("outcome given (requester)"), null=True, blank=True
    )
    recipient_outcome_at = models.DateTimeField(
        _("outcome given (recipient)"), null=True, blank=True
    )
    outcome_reminded_at = models.DateTimeField(
        _("outcome reminder sent"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return str(self.request)

    def get_absolute_url(self):
        return reverse("meetings:request-detail", kwargs={"pk": self.request_id})
