"""Models of the `talent` app: specialists who left the city (private, opt-in),
return-friendly roles, invitations between the two, and the return plan."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.models import (
    NOTE_MAX,
    TEXT_MAX,
    ListingQuerySet,
    ModeratedListing,
    TimeStampedModel,
    belongs_to,
    optional_reference,
    status_field,
    user_reference,
)
from core.translation import Translated
from directory.models import Organization, Place, Tag

# The wording of the consent the person gave; a new wording gets a new version.
CONSENT_VERSION = "2026-12-01"
CURRENCIES = (("UAH", "UAH"), ("USD", "USD"), ("EUR", "EUR"))


class Seniority(models.TextChoices):
    JUNIOR = "junior", _("Junior")
    MIDDLE = "middle", _("Middle")
    SENIOR = "senior", _("Senior")
    LEAD = "lead", _("Lead or principal")


class Condition(models.TextChoices):
    """What matters to a person for coming back (and what a role offers)."""

    SHELTER = "shelter", _("Safety and a shelter near the office")
    SALARY = "salary", _("Salary")
    HOUSING = "housing", _("Housing")
    SCHOOLS = "schools", _("Schools and kindergartens")
    FAMILY = "family", _("Family")
    RELOCATION = "relocation", _("Relocation support")
    RESERVATION = "reservation", _("Reservation from military call-up")
    HYBRID = "hybrid", _("Hybrid work")


class Offer(models.TextChoices):
    """What an organization offers to people who return."""

    RELOCATION = "relocation", _("Relocation support")
    HOUSING = "housing", _("Housing help")
    SHELTER = "shelter", _("Shelter at the office")
    GENERATOR = "generator", _("Generator and connectivity")
    RESERVATION = "reservation", _("Reservation where lawful")


# Which offer answers which condition (for reasons and the return plan).
OFFER_FOR_CONDITION = {
    Condition.RELOCATION: Offer.RELOCATION,
    Condition.HOUSING: Offer.HOUSING,
    Condition.SHELTER: Offer.SHELTER,
    Condition.RESERVATION: Offer.RESERVATION,
}


class SpecialistProfile(TimeStampedModel):
    """A specialist who left the city: skills, intent, conditions. Private by
    default; survey imports have no user and only ever count in aggregates."""

    class Intent(models.TextChoices):
        RETURN = "return", _("Return to the city")
        REMOTE = "remote", _("Work remotely for a local organization")
        MENTOR = "mentor", _("Mentor")
        INVEST = "invest", _("Invest")
        NOT_NOW = "not_now", _("Not now")

    class Timeframe(models.TextChoices):
        MONTHS_3 = "3m", _("Within 3 months")
        MONTHS_6 = "6m", _("Within 6 months")
        YEAR = "12m", _("Within a year")
        WHEN_SAFE = "safe", _("When it is safe")

    class Visibility(models.TextChoices):
        AGGREGATE = "aggregate", _("Only counted in aggregates, never shown")
        ORGANIZATIONS = "organizations", _("Visible to verified local organizations")
        PUBLIC = "public", _("Public card")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="specialist_profile",
    )
    skills = models.ManyToManyField(
        Tag, verbose_name=_("skills"), blank=True, related_name="specialists"
    )
    free_skills = models.CharField(
        _("other skills"),
        max_length=300,
        blank=True,
        help_text=_("Separated by commas, e.g. Rust, Figma, team leadership."),
    )
    seniority = models.CharField(
        _("seniority"), max_length=8, choices=Seniority.choices, blank=True
    )
    years_experience = models.PositiveSmallIntegerField(
        _("years of experience"), null=True, blank=True
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    country_now = CountryField(_("country where you live now"), blank=True)
    city_now = models.CharField(
        _("city where you live now"), max_length=120, blank=True
    )
    place_before = models.ForeignKey(
        Place,
        verbose_name=_("where you lived before"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    intent = models.CharField(_("intent"), max_length=8, choices=Intent.choices)
    timeframe = models.CharField(
        _("timeframe"), max_length=4, choices=Timeframe.choices, blank=True
    )
    conditions = models.JSONField(_("conditions that matter"), default=list, blank=True)
    conditions_note = models.CharField(
        _("anything else that matters"), max_length=200, blank=True
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=14,
        choices=Visibility.choices,
        default=Visibility.AGGREGATE,
    )
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_version = models.CharField(_("consent wording"), max_length=20, blank=True)
    digest_enabled = models.BooleanField(_("weekly digest of new roles"), default=True)
    digest_sent_at = models.DateTimeField(_("last digest"), null=True, blank=True)
    # Survey imports: the answer's key in the file, for idempotent re-imports.
    survey_key = models.CharField(_("survey answer"), max_length=64, blank=True)
    # Lemmatized Ukrainian and stemmed English terms of the free skills.
    match_terms = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("specialist profile")
        verbose_name_plural = _("specialist profiles")
        indexes = [models.Index(fields=["visibility", "intent"])]
        constraints = [
            models.UniqueConstraint(
                fields=["survey_key"],
                condition=~models.Q(survey_key=""),
                name="unique_talent_survey_key",
            )
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("talent:profile-detail", kwargs={"pk": self.pk})

    @property
    def display_name(self) -> str:
        if self.user_id is None:
            return str(_("Survey answer"))
        return self.user.full_name or self.user.email.split("@")[0]

    @property
    def free_skill_list(self) -> list[str]:
        return [s.strip() for s in self.free_skills.split(",") if s.strip()]

    @property
    def condition_labels(self) -> list[str]:
        return [str(Condition(c).label) for c in self.conditions if c in Condition]


class RoleQuerySet(ListingQuerySet):
    def published(self, *, today: datetime.date | None = None):
        """Published, still valid, of a verified organization that is not deleted."""
        return (
            super()
            .published(today=today)
            .filter(organization__verification=Organization.Verification.VERIFIED)
        )


ROLE_FIELDS = (
    "organization",
    "title_uk",
    "title_en",
    "description_uk",
    "description_en",
    "skills",
    "seniority",
    "work_mode",
    "offers",
    "salary_min",
    "salary_max",
    "salary_currency",
    "valid_until",
)


class Role(ModeratedListing):
    """A return-friendly role posted by an editor of a verified organization."""

    class WorkMode(models.TextChoices):
        REMOTE = "remote", _("Remote")
        HYBRID = "hybrid", _("Hybrid")
        ON_SITE = "on_site", _("On site in the city")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Expired")
        FILLED = "filled", _("Filled")

    organization = belongs_to(
        Organization, _("organization"), related_name="talent_roles"
    )
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_uk = models.TextField(_("description (Ukrainian)"), max_length=TEXT_MAX)
    description_en = models.TextField(_("description (English)"), max_length=TEXT_MAX)
    skills = models.ManyToManyField(
        Tag, verbose_name=_("skills"), blank=True, related_name="talent_roles"
    )
    seniority = models.CharField(
        _("seniority"), max_length=8, choices=Seniority.choices, blank=True
    )
    work_mode = models.CharField(
        _("where the work is done"), max_length=8, choices=WorkMode.choices
    )
    offers = models.JSONField(
        _("offers to people who return"), default=list, blank=True
    )
    salary_min = models.PositiveIntegerField(_("salary from"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("salary up to"), null=True, blank=True)
    salary_currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCIES, default="USD"
    )
    status = status_field(Status.DRAFT, max_length=10)
    filled_at = models.DateTimeField(_("filled"), null=True, blank=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("return-friendly role")
        verbose_name_plural = _("return-friendly roles")
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "valid_until"])]

    def get_absolute_url(self):
        return reverse("talent:role-detail", kwargs={"pk": self.pk})

    @property
    def offer_labels(self) -> list[str]:
        return [str(Offer(c).label) for c in self.offers if c in Offer]


class Invitation(TimeStampedModel):
    """An organization invites a specialist; contacts are shared only on acceptance."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")

    profile = belongs_to(SpecialistProfile, _("specialist"), related_name="invitations")
    organization = belongs_to(
        Organization, _("organization"), related_name="talent_invitations"
    )
    role = optional_reference(Role, _("role"), related_name="invitations")
    invited_by = user_reference(_("invited by"))
    message = models.TextField(_("message"), max_length=NOTE_MAX, blank=True)
    status = status_field(Status.PENDING, max_length=10)
    expires_at = models.DateTimeField(_("expires"))
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("talent invitation")
        verbose_name_plural = _("talent invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.organization} → {self.profile_id}"

    def get_absolute_url(self):
        return reverse("talent:invitation-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()


class PlanStep(models.Model):
    """One step of a return plan: a link to the city's or cluster's information,
    shown to people for whom its condition matters (content kept by staff)."""

    condition = models.CharField(
        _("for people to whom this matters"),
        max_length=12,
        choices=Condition.choices,
        blank=True,
        help_text=_("Empty: a step for everyone."),
    )
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_uk = models.TextField(_("text (Ukrainian)"), max_length=NOTE_MAX, blank=True)
    body_en = models.TextField(_("text (English)"), max_length=NOTE_MAX, blank=True)
    url = models.URLField(_("link"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    title = Translated("title")
    body = Translated("body")

    class Meta:
        verbose_name = _("return plan step")
        verbose_name_plural = _("return plan steps")
        ordering = ["position", "pk"]

    def __str__(self):
        return str(self.title)


class PlanProgress(models.Model):
    """A step of the return plan the person ticked off."""

    profile = belongs_to(SpecialistProfile, _("specialist"), related_name="progress")
    step = belongs_to(PlanStep, _("step"), related_name="+")
    done_at = models.DateTimeField(_("done"), default=timezone.now)

    class Meta:
        verbose_name = _("return plan progress")
        verbose_name_plural = _("return plan progress")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "step"], name="unique_talent_progress"
            )
        ]

    def __str__(self):
        return f"{self.profile_id}:{self.step_id}"
