"""Models of the `reviews` app: reviewers, assignments, reviews and decisions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import (
    DESCRIPTION_MAX,
    NOTE_MAX,
    TEXT_MAX,
    TimeStampedModel,
    belongs_to,
    status_field,
    user_reference,
)
from core.translation import Translated


class Recommendation(models.TextChoices):
    """A reviewer's recommendation, and the outcome the organizers decide on."""

    ACCEPT = "accept", _("Accept")
    REVISE = "revise", _("Revise and resubmit")
    DECLINE = "decline", _("Decline")


class CallReviewer(TimeStampedModel):
    """A person reviewing for one call, with their profile for that call."""

    call = belongs_to("exchange.Call", _("call"), related_name="call_reviewers")
    user = belongs_to(
        settings.AUTH_USER_MODEL, _("reviewer"), related_name="call_reviewers"
    )
    invited_by = user_reference(_("invited by"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    max_load = models.PositiveIntegerField(_("maximum number of reviews"), default=10)
    languages = models.JSONField(_("languages read"), default=list, blank=True)
    expertise = models.ManyToManyField(
        "directory.Tag", verbose_name=_("expertise"), blank=True, related_name="+"
    )
    expertise_sectors = models.ManyToManyField(
        "directory.Sector",
        verbose_name=_("sectors of expertise"),
        blank=True,
        related_name="+",
    )
    ties = models.ManyToManyField(
        "directory.Organization",
        verbose_name=_("organizations I have ties with"),
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reviewer of a call")
        verbose_name_plural = _("reviewers of calls")
        ordering = ["call", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "user"], name="unique_call_reviewer"
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.call_id}"

    def reads(self, language: str) -> bool:
        return language in (self.languages or [])


class ReviewerInvitation(TimeStampedModel):
    """Staff asked someone (by e-mail) to review for a call."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    call = belongs_to("exchange.Call", _("call"), related_name="reviewer_invitations")
    email = models.EmailField(_("e-mail"))
    user = user_reference(_("user"), related_name="reviewer_invitations")
    account_invitation = models.ForeignKey(
        "accounts.Invitation",
        verbose_name=_("account invitation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("message"), blank=True, max_length=NOTE_MAX)
    status = status_field(Status.PENDING, max_length=10)
    invited_by = user_reference(_("invited by"))
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)

    class Meta:
        verbose_name = _("reviewer invitation")
        verbose_name_plural = _("reviewer invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} @ {self.call_id}"


class ConflictOfInterest(models.Model):
    """A detected or declared conflict between a reviewer and a submission."""

    class Reason(models.TextChoices):
        SAME_ORGANIZATION = "same_organization", _("Same organization")
        EMAIL_DOMAIN = "email_domain", _("Same e-mail domain")
        DECLARED_TIE = "declared_tie", _("Declared tie")
        CO_SUBMISSION = "co_submission", _("Past co-submission")
        DECLARED_BY_REVIEWER = "declared_by_reviewer", _("Declared by the reviewer")

    call_reviewer = belongs_to(CallReviewer, _("reviewer"), related_name="conflicts")
    submission = belongs_to(
        "exchange.Submission", _("submission"), related_name="conflicts"
    )
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["call_reviewer", "submission"]
        constraints = [
            models.UniqueConstraint(
                fields=["call_reviewer", "submission", "reason"],
                name="unique_conflict_reason",
            )
        ]

    def __str__(self):
        return f"{self.call_reviewer_id} × {self.submission_id}: {self.reason}"


class Assignment(TimeStampedModel):
    """A reviewer is asked to review a submission."""

    class Source(models.TextChoices):
        AUTO = "auto", _("Automatic")
        MANUAL = "manual", _("Manual")

    submission = belongs_to(
        "exchange.Submission", _("submission"), related_name="assignments"
    )
    call_reviewer = belongs_to(CallReviewer, _("reviewer"), related_name="assignments")
    source = models.CharField(
        _("source"), max_length=6, choices=Source.choices, default=Source.MANUAL
    )
    is_pinned = models.BooleanField(_("pinned"), default=False)
    # The review round (1, then 2 after "revise and resubmit"): one review per
    # reviewer and round; earlier rounds' reviews stay read-only.
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    no_conflict_confirmed_at = models.DateTimeField(
        _("no conflict confirmed"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["submission", "call_reviewer"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "call_reviewer", "round"],
                name="unique_assignment_per_round",
            )
        ]

    def __str__(self):
        return f"{self.call_reviewer_id} → {self.submission_id}"


class Review(TimeStampedModel):
    """A reviewer's review of the submission they were assigned."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    Recommendation = Recommendation

    assignment = models.OneToOneField(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="review",
    )
    status = status_field(Status.DRAFT, max_length=10)
    comments_to_submitters = models.TextField(
        _("comments to the submitters"), blank=True, max_length=10000
    )
    confidential_notes = models.TextField(
        _("confidential notes to the organizers"), blank=True, max_length=TEXT_MAX
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    offers_mentoring = models.BooleanField(
        _("I offer to mentor this team"), default=False
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    seen_version = models.PositiveIntegerField(_("version last seen"), default=0)
    # The submission's version when the review was submitted: the next round shows
    # the reviewer what changed since.
    reviewed_version = models.PositiveIntegerField(_("version reviewed"), default=0)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["assignment"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"review of {self.assignment_id}"


class Score(models.Model):
    """A score for one criterion of the rubric."""

    review = belongs_to(Review, _("review"), related_name="scores")
    criterion = belongs_to("exchange.Criterion", _("criterion"), related_name="scores")
    value = models.IntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="unique_score")
        ]

    def __str__(self):
        return f"{self.criterion_id}={self.value}"


class Decision(TimeStampedModel):
    """The organizers' decision on a submission, released together with the others."""

    Outcome = Recommendation

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RELEASED = "released", _("Released")

    submission = models.OneToOneField(
        "exchange.Submission",
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="decision",
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    # The review round decided: a released "revise" opens the next round, whose
    # decision then takes this one's place (the audit log keeps the history).
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    resubmit_by = models.DateTimeField(_("resubmit by"), null=True, blank=True)
    note_uk = models.TextField(_("note (Ukrainian)"), blank=True, max_length=NOTE_MAX)
    note_en = models.TextField(_("note (English)"), blank=True, max_length=NOTE_MAX)
    status = status_field(Status.PENDING, max_length=10)
    decided_by = user_reference(_("decided by"))
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    note = Translated("note")

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.submission_id}: {self.outcome}"


class DecisionTemplate(TimeStampedModel):
    """An editable bilingual e-mail for one outcome of a call's decisions.

    Placeholders: {title}, {call}, {outcome}, {resubmit_by}, {note}, {feedback_url}.
    """

    call = belongs_to("exchange.Call", _("call"), related_name="decision_templates")
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Decision.Outcome.choices
    )
    subject_uk = models.CharField(_("subject (Ukrainian)"), max_length=200)
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    body_uk = models.TextField(_("body (Ukrainian)"), max_length=DESCRIPTION_MAX)
    body_en = models.TextField(_("body (English)"), max_length=DESCRIPTION_MAX)

    subject = Translated("subject")
    body = Translated("body")

    class Meta:
        verbose_name = _("decision e-mail template")
        verbose_name_plural = _("decision e-mail templates")
        ordering = ["call", "outcome"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "outcome"], name="unique_decision_template"
            )
        ]

    def __str__(self):
        return f"{self.call_id}: {self.outcome}"


class OutboxMessage(TimeStampedModel):
    """A rendered decision e-mail waiting for a final check before it goes out."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a check")
        APPROVED = "approved", _("Approved, sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    decision = belongs_to(Decision, _("decision"), related_name="outbox_messages")
    to = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=2, default="uk")
    subject = models.CharField(_("subject"), max_length=300)
    # Staff may edit it; rendered from a template in both languages plus notes.
    body = models.TextField(_("body"), max_length=3 * DESCRIPTION_MAX)
    status = status_field(Status.PENDING, max_length=10)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.to}: {self.subject}"
