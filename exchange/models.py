"""Models of the `exchange` app: calls for projects, their rubric and phases,
submissions with their versions, attachments and question-and-answer threads."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import (
    NOTE_MAX,
    TEXT_MAX,
    TimeStampedModel,
    belongs_to,
    description_fields,
    status_field,
    user_reference,
)
from core.storage import private_storage
from core.translation import MachineTranslatable, Translated

# More reviewers per submission than any committee has; the column is a smallint.
MAX_REVIEWS_PER_SUBMISSION = 50


class Call(TimeStampedModel):
    """A call for projects run by an organizing organization."""

    class Phase(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMISSION = "submission", _("Submissions open")
        REVIEW = "review", _("Under review")
        DECISION = "decision", _("Decision")
        PUBLISHED = "published", _("Results published")

    organizer = belongs_to(
        "directory.Organization",
        _("organizer"),
        related_name="calls",
        on_delete=models.PROTECT,
    )
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=255, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    description_uk, description_en = description_fields()
    eligibility_uk = models.TextField(
        _("eligibility (Ukrainian)"), blank=True, max_length=TEXT_MAX
    )
    eligibility_en = models.TextField(
        _("eligibility (English)"), blank=True, max_length=TEXT_MAX
    )
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    time_zone = models.CharField(
        _("time zone of the call"), max_length=64, default=settings.TIME_ZONE
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    reviews_per_submission = models.PositiveSmallIntegerField(
        _("reviews per submission"),
        default=3,
        validators=[
            MinValueValidator(1),
            MaxValueValidator(MAX_REVIEWS_PER_SUBMISSION),
        ],
    )
    is_blind = models.BooleanField(
        _("blind review"),
        default=False,
        help_text=_("Reviewers never see the submitters' names or organizations."),
    )
    phase = models.CharField(
        _("phase"), max_length=12, choices=Phase.choices, default=Phase.DRAFT
    )
    open_to_all_verified = models.BooleanField(
        _("open to every verified local organization"), default=True
    )
    eligible_organizations = models.ManyToManyField(
        "directory.Organization",
        verbose_name=_("eligible organizations"),
        blank=True,
        related_name="eligible_calls",
        help_text=_("Used when the call is not open to every verified organization."),
    )
    created_by = user_reference(_("created by"))
    # A new random value with every write the review ranking reads (reviews and
    # their scores, assignments, submissions' status and round, the rubric,
    # decisions): reviews.ranking caches the ranking under it, so a dashboard page
    # need not ask the reviews whether they changed. Random, not a counter: no two
    # states of any call, in any database, share one.
    review_stamp = models.UUIDField(
        _("review stamp"), default=uuid.uuid4, editable=False
    )

    title = Translated("title")
    description = Translated("description")
    eligibility = Translated("eligibility")

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_at"]
        indexes = [models.Index(fields=["phase", "closes_at"])]

    def __str__(self):
        return str(self.title)

    def get_absolute_url(self):
        return reverse("exchange:call-detail", kwargs={"slug": self.slug})

    @classmethod
    def reviews_changed(cls, call_id: int) -> None:
        """A new review stamp for the call: call it in the same transaction as
        every write its review ranking reads, bulk ones included."""
        cls.objects.filter(pk=call_id).update(review_stamp=uuid.uuid4())

    @property
    def phase_label(self) -> str:
        return str(self.Phase(self.phase).label)

    @property
    def is_public(self) -> bool:
        return self.phase != self.Phase.DRAFT

    def is_open(self, now=None) -> bool:
        """Submissions are accepted: the submission phase, between open and close."""
        now = now or timezone.now()
        return (
            self.phase == self.Phase.SUBMISSION
            and self.opens_at <= now < self.closes_at
        )

    def active_settings(self) -> "CallPhase":
        """The switches of the active phase (defaults when none were set)."""
        known = getattr(self, "_active_settings", None)
        if known is not None and known.phase == self.phase:
            return known
        for setting in self._phase_settings():
            if setting.phase == self.phase:
                return setting
        return CallPhase.default_for(self, self.phase)

    def set_active_settings(self, setting: "CallPhase") -> None:
        """Remember the active phase's switches, read along with the call."""
        self._active_settings = setting

    def _phase_settings(self):
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "phases" in cache:
            return cache["phases"]
        return list(self.phases.all())


# The order phases follow; automatic switching only moves forward along it.
# What an organizer sets on a call (page, API and services alike).
CALL_FIELDS = (
    "organizer",
    "title_uk",
    "title_en",
    "description_uk",
    "description_en",
    "eligibility_uk",
    "eligibility_en",
    "time_zone",
    "opens_at",
    "closes_at",
    "reviews_per_submission",
    "is_blind",
    "open_to_all_verified",
)
PHASE_ORDER = [p.value for p in Call.Phase]

# The switches a phase has when staff did not set them.
PHASE_DEFAULTS = {
    Call.Phase.DRAFT: (True, False, False),
    Call.Phase.SUBMISSION: (True, False, False),
    Call.Phase.REVIEW: (False, False, False),
    Call.Phase.DECISION: (False, True, False),
    Call.Phase.PUBLISHED: (False, True, False),
}


class CallPhase(models.Model):
    """The switches of one phase of a call, and when it starts automatically."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="phases"
    )
    phase = models.CharField(_("phase"), max_length=12, choices=Call.Phase.choices)
    starts_at = models.DateTimeField(
        _("starts automatically at"),
        null=True,
        blank=True,
        help_text=_("Leave empty to switch by hand."),
    )
    submitters_can_edit = models.BooleanField(_("submitters can edit"), default=False)
    reviewers_see_other_reviews = models.BooleanField(
        _("reviewers see other reviews"), default=False
    )
    reviewers_see_names = models.BooleanField(
        _("reviewers see submitters' names"), default=False
    )
    # Set when the automatic switch happened, so it happens once.
    switched_at = models.DateTimeField(_("switched"), null=True, blank=True)

    class Meta:
        verbose_name = _("call phase")
        verbose_name_plural = _("call phases")
        ordering = ["call", "starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "phase"], name="exchange_unique_call_phase"
            )
        ]

    def __str__(self):
        return f"{self.call_id}: {self.phase}"

    @classmethod
    def default_for(cls, call: Call, phase: str) -> "CallPhase":
        edit, others, names = PHASE_DEFAULTS[phase]
        return cls(
            call=call,
            phase=phase,
            submitters_can_edit=edit,
            reviewers_see_other_reviews=others,
            reviewers_see_names=names,
        )

    @property
    def phase_label(self) -> str:
        return str(Call.Phase(self.phase).label)


# What an organizer sets on a criterion (the form and the API alike).
CRITERION_FIELDS = (
    "name_uk",
    "name_en",
    "description_uk",
    "description_en",
    "scale_min",
    "scale_max",
    "weight",
    "is_required",
    "counts_toward_total",
    "position",
)


class Criterion(models.Model):
    """One criterion of a call's rubric."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria"
    )
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_uk, description_en = description_fields()
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    is_required = models.BooleanField(_("required"), default=True)
    counts_toward_total = models.BooleanField(
        _("counts toward the total"), default=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    name = Translated("name")
    description = Translated("description")

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["call", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="exchange_criterion_scale",
            )
        ]

    def __str__(self):
        return str(self.name)


# Text fields of a submission that exist in both languages, in display order.
TEXT_FIELDS = ("title", "summary", "problem", "solution", "team")
# Form labels of each language's field (whole sentences, so they translate well).
LANGUAGE_LABELS = {
    ("title", "uk"): _("Title in Ukrainian"),
    ("title", "en"): _("Title in English"),
    ("summary", "uk"): _("Short summary in Ukrainian"),
    ("summary", "en"): _("Short summary in English"),
    ("problem", "uk"): _("Problem in Ukrainian"),
    ("problem", "en"): _("Problem in English"),
    ("solution", "uk"): _("Solution in Ukrainian"),
    ("solution", "en"): _("Solution in English"),
    ("team", "uk"): _("Team in Ukrainian"),
    ("team", "en"): _("Team in English"),
}
TEXT_LABELS = {
    "title": _("Title"),
    "summary": _("Short summary"),
    "problem": _("Problem"),
    "solution": _("Solution"),
    "team": _("Team"),
}
# Each text field in both languages: title_uk, title_en, summary_uk, …
LANGUAGE_FIELDS = tuple(f"{f}_{lang}" for f in TEXT_FIELDS for lang in ("uk", "en"))
# What a submitter fills in (page, API and services alike), and a version snapshots.
SUBMISSION_FIELDS = (
    *LANGUAGE_FIELDS,
    "stage",
    "asks",
    "funding_amount",
    "funding_currency",
    "links",
)


class Submission(MachineTranslatable, TimeStampedModel):
    """A project or initiative an organization hands to a call."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Stage(models.TextChoices):
        IDEA = "idea", _("Idea")
        PROTOTYPE = "prototype", _("Prototype")
        MVP = "mvp", _("MVP")
        GROWTH = "growth", _("Growth")

    class Ask(models.TextChoices):
        FUNDING = "funding", _("Funding")
        PARTNERS = "partners", _("Partners")
        MENTORING = "mentoring", _("Mentoring")
        MARKET_ACCESS = "market_access", _("Market access")
        PILOT = "pilot", _("Pilot")

    call = belongs_to(
        Call, _("call"), related_name="submissions", on_delete=models.PROTECT
    )
    organization = belongs_to(
        "directory.Organization",
        _("organization"),
        related_name="submissions",
        on_delete=models.PROTECT,
    )
    created_by = user_reference(
        _("created by"), related_name="submissions", blank=False
    )
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=255, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    summary_uk = models.TextField(
        _("summary (Ukrainian)"), blank=True, max_length=NOTE_MAX
    )
    summary_en = models.TextField(
        _("summary (English)"), blank=True, max_length=NOTE_MAX
    )
    problem_uk = models.TextField(
        _("problem (Ukrainian)"), blank=True, max_length=TEXT_MAX
    )
    problem_en = models.TextField(
        _("problem (English)"), blank=True, max_length=TEXT_MAX
    )
    solution_uk = models.TextField(
        _("solution (Ukrainian)"), blank=True, max_length=TEXT_MAX
    )
    solution_en = models.TextField(
        _("solution (English)"), blank=True, max_length=TEXT_MAX
    )
    team_uk = models.TextField(_("team (Ukrainian)"), blank=True, max_length=TEXT_MAX)
    team_en = models.TextField(_("team (English)"), blank=True, max_length=TEXT_MAX)
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, blank=True
    )
    asks = models.JSONField(_("asks for"), default=list, blank=True)
    funding_amount = models.DecimalField(
        _("funding amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    funding_currency = models.CharField(_("currency"), max_length=3, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    tags = models.ManyToManyField(
        "directory.Tag",
        verbose_name=_("technology tags"),
        blank=True,
        related_name="submissions",
    )
    sectors = models.ManyToManyField(
        "directory.Sector",
        verbose_name=_("sectors"),
        blank=True,
        related_name="submissions",
    )
    status = status_field(Status.DRAFT, max_length=10)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    english_needed = models.BooleanField(_("English needed"), default=False)
    version = models.PositiveIntegerField(_("version"), default=0)
    # The review round the submission is in: a "revise and resubmit" decision
    # opens the next one, and the submitters may send a new version until
    # `resubmit_until`.
    review_round = models.PositiveSmallIntegerField(_("review round"), default=1)
    resubmit_until = models.DateTimeField(
        _("new version accepted until"), null=True, blank=True
    )
    # Who wrote each language of each text field: {"summary_en": {"origin":
    # "submitter"|"added", "by": user id, "by_name": str, "at": ISO time}}.
    provenance = models.JSONField(_("translation provenance"), default=dict, blank=True)

    MACHINE_TRANSLATED = ("title", "summary", "problem", "solution", "team")
    title = Translated("title")
    summary = Translated("summary")
    problem = Translated("problem")
    solution = Translated("solution")
    team = Translated("team")

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["organization", "status"]),
        ]

    def __str__(self):
        return str(self.title) or f"#{self.pk}"

    def get_absolute_url(self):
        return reverse("exchange:submission-detail", kwargs={"pk": self.pk})

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def stage_label(self) -> str:
        return str(self.Stage(self.stage).label) if self.stage else ""

    @property
    def ask_labels(self) -> list[str]:
        return [
            str(self.Ask(code).label) for code in self.asks if code in self.Ask.values
        ]

    def languages(self) -> set[str]:
        """Languages the submission is written in: title and summary both present."""
        return {
            lang
            for lang in ("uk", "en")
            if getattr(self, f"title_{lang}").strip()
            and getattr(self, f"summary_{lang}").strip()
        }

    def snapshot(self) -> dict:
        """The versioned content as JSON-ready values."""
        content = {}
        for name in SUBMISSION_FIELDS:
            value = getattr(self, name)
            if name == "funding_amount":
                value = str(value) if value is not None else None
            content[name] = value
        return content


class SubmissionVersion(models.Model):
    """A snapshot of a submission's content, made on every submit and resubmit."""

    submission = belongs_to(Submission, _("submission"), related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    content = models.JSONField(_("content"), default=dict)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = user_reference(_("created by"), blank=False)

    class Meta:
        verbose_name = _("submission version")
        verbose_name_plural = _("submission versions")
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="exchange_unique_version"
            )
        ]

    def __str__(self):
        return f"{self.submission_id} v{self.number}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A random name per file: the original name is kept in the row only."""
    import uuid

    return f"exchange/{instance.submission_id}/{uuid.uuid4().hex}.pdf"


class Attachment(TimeStampedModel):
    """A PDF attached to a submission, stored privately."""

    submission = belongs_to(Submission, _("submission"), related_name="attachments")
    file = models.FileField(
        _("file"), upload_to=attachment_path, storage=private_storage, max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    uploaded_by = user_reference(_("uploaded by"), blank=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["submission", "created_at"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse(
            "exchange:attachment-download",
            kwargs={"pk": self.submission_id, "attachment": self.pk},
        )


class Message(models.Model):
    """One message of a submission's question-and-answer thread between its
    reviewers and its submitters. Authors are stored; a blind call hides them."""

    submission = belongs_to(Submission, _("submission"), related_name="messages")
    author = user_reference(_("author"), blank=False)
    body = models.TextField(_("message"), max_length=TEXT_MAX)
    is_from_reviewer = models.BooleanField(_("from a reviewer"), default=False)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["submission", "created_at", "pk"]

    def __str__(self):
        return f"{self.submission_id}: {self.body[:40]}"
