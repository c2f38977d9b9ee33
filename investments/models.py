"""Investments: the city's investment portfolio, investor pipeline."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import (
    NOTE_MAX,
    TEXT_MAX,
    TimeStampedModel,
    description_fields,
    status_field,
    user_reference,
)
from core.storage import RandomName, private_storage
from core.translation import MachineTranslatable, Translated
from directory.models import Verification, organization_reference

from .choices import Currency, Instrument, ProjectType, StrategyArea


def money_field(verbose_name) -> models.DecimalField:
    """An amount of money, never negative; its currency is a field beside it."""
    return models.DecimalField(
        verbose_name, max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )


def currency_field(verbose_name=None, *, default=Currency.UAH) -> models.CharField:
    """The currency of the amount beside it."""
    return models.CharField(
        verbose_name or _("currency"),
        max_length=3,
        choices=Currency.choices,
        default=default,
    )


def validate_period(starts_on, ends_on) -> None:
    """A project cannot end before it starts (the form, the API and the OC4IDS import
    all check this one rule)."""
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(
            {
                "ends_on": ValidationError(
                    _("The project cannot end before it starts (%(starts)s)."),
                    code="ends_before_start",
                    params={"starts": starts_on.isoformat()},
                )
            }
        )


class InvestmentProject(MachineTranslatable, TimeStampedModel):
    """A Smart City or reconstruction project the city presents to investors."""

    StrategyArea = StrategyArea
    ProjectType = ProjectType
    Instrument = Instrument
    Currency = Currency

    class Readiness(models.TextChoices):
        IDEA = "idea", _("Idea")
        CONCEPT = "concept", _("Concept")
        PRE_FEASIBILITY = "pre_feasibility", _("Pre-feasibility")
        FEASIBILITY = "feasibility", _("Feasibility")
        DESIGN = "design", _("Design")
        READY_FOR_PROCUREMENT = "ready_for_procurement", _("Ready for procurement")
        IMPLEMENTATION = "implementation", _("Implementation")
        COMPLETED = "completed", _("Completed")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        INTERNAL_REVIEW = "internal_review", _("Internal review")
        PUBLISHED = "published", _("Published")
        IN_NEGOTIATION = "in_negotiation", _("In negotiation")
        FUNDED = "funded", _("Funded")
        IN_IMPLEMENTATION = "in_implementation", _("In implementation")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    PUBLIC_STATUSES = (
        Status.PUBLISHED,
        Status.IN_NEGOTIATION,
        Status.FUNDED,
        Status.IN_IMPLEMENTATION,
        Status.COMPLETED,
    )

    code = models.CharField(_("code"), max_length=40, unique=True)
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    summary_uk = models.TextField(
        _("summary (Ukrainian)"), blank=True, max_length=NOTE_MAX
    )
    summary_en = models.TextField(
        _("summary (English)"), blank=True, max_length=NOTE_MAX
    )
    description_uk, description_en = description_fields()
    problem_uk = models.TextField(
        _("problem it solves (Ukrainian)"), blank=True, max_length=TEXT_MAX
    )
    problem_en = models.TextField(
        _("problem it solves (English)"), blank=True, max_length=TEXT_MAX
    )
    strategy_area = models.CharField(
        _("Smart City strategy area"), max_length=24, choices=StrategyArea.choices
    )
    sdgs = models.JSONField(
        _("Sustainable Development Goals"), default=list, blank=True
    )
    project_sector = models.JSONField(_("sector"), default=list, blank=True)
    project_type = models.CharField(
        _("project type"),
        max_length=20,
        choices=ProjectType.choices,
        default=ProjectType.CONSTRUCTION,
    )
    # Empty only for a project imported from another publisher whose public authority
    # is not in the directory yet (staff add it: services.add_party_to_directory).
    owner = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("owner"),
        null=True,
        on_delete=models.PROTECT,
        related_name="investment_projects",
    )
    place = models.ForeignKey(
        "directory.Place",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investment_projects",
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    readiness = models.CharField(
        _("readiness"), max_length=24, choices=Readiness.choices, default=Readiness.IDEA
    )
    status = status_field(Status.DRAFT, max_length=20)
    total_cost = money_field(_("total cost"))
    currency = currency_field()
    financing_sought = money_field(_("financing sought"))
    financing_currency = currency_field(_("currency of financing"))
    instruments = models.JSONField(_("instruments"), default=list, blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    risks_uk = models.TextField(_("risks (Ukrainian)"), blank=True, max_length=TEXT_MAX)
    risks_en = models.TextField(_("risks (English)"), blank=True, max_length=TEXT_MAX)
    dream_ids = models.JSONField(_("DREAM project IDs"), default=list, blank=True)
    prozorro_ids = models.JSONField(_("Prozorro tender IDs"), default=list, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    tags = models.ManyToManyField(
        "directory.Tag",
        verbose_name=_("technology tags"),
        blank=True,
        related_name="investment_projects",
    )
    sectors = models.ManyToManyField(
        "directory.Sector",
        verbose_name=_("economic sectors (KVED)"),
        blank=True,
        related_name="investment_projects",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = user_reference(_("created by"))
    updated_by = user_reference(_("updated by"))
    version = models.PositiveIntegerField(_("version"), default=1)
    oc4ids_extra = models.JSONField(_("other OC4IDS data"), default=dict, blank=True)
    # The OC4IDS project as imported, per language, with a digest of what the export
    # made of it then: {"en": {"project": {...}, "digest": {key: sha1}}}. The export
    # gives the original back for every part not changed in Mist since.
    oc4ids_original = models.JSONField(
        _("OC4IDS project as imported"), default=dict, blank=True, editable=False
    )
    # Lemmatized Ukrainian and stemmed English words of the title and summary.
    search_document = models.TextField(blank=True, editable=False)
    # Data-quality warnings of the last save: [{"code", "field", "params"}].
    quality_warnings = models.JSONField(default=list, blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    MACHINE_TRANSLATED = ("title", "summary", "description", "problem", "risks")
    title = Translated("title")
    summary = Translated("summary")
    description = Translated("description")
    problem = Translated("problem")
    risks = Translated("risks")

    # The journey: the submission of a call that the city adopted as this project,
    # recorded by the officer who created the project "from a submission".
    source_submission = models.ForeignKey(
        "exchange.Submission",
        verbose_name=_("from submission"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="investment_projects",
    )

    class Meta:
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "readiness"]),
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["strategy_area"]),
            models.Index(fields=["place"]),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        self.refresh_search_document()
        super().save(*args, **kwargs)

    def refresh_search_document(self) -> None:
        """The words search matches (save() calls it; bulk writes call it first)."""
        from core.text import document_terms

        terms = document_terms(
            self.title_uk, self.title_en, self.summary_uk, self.summary_en, self.code
        )
        # Padded with spaces so that a term matches as " term " (see queries.search).
        self.search_document = f" {' '.join(terms)} "

    def clean(self):
        super().clean()
        validate_period(self.starts_on, self.ends_on)

    def get_absolute_url(self):
        return reverse("investments:project-detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def owner_name(self) -> str:
        """The owner's name: the directory organization's, else the public authority
        that imported OC4IDS data names (not in the directory yet)."""
        if self.owner_id:
            return str(self.owner.name)
        for entry in (self.oc4ids_original or {}).values():
            authority = (entry.get("project") or {}).get("publicAuthority") or {}
            if isinstance(authority, dict) and authority.get("name"):
                return str(authority["name"])
        return ""

    @property
    def strategy_area_label(self) -> str:
        return str(StrategyArea(self.strategy_area).label) if self.strategy_area else ""

    @property
    def sector_labels(self) -> list[str]:
        from .choices import PROJECT_SECTORS

        return [str(PROJECT_SECTORS.get(code, code)) for code in self.project_sector]

    @property
    def instrument_labels(self) -> list[str]:
        return [
            str(Instrument(code).label) if code in Instrument.values else code
            for code in self.instruments
        ]

    @property
    def sdg_labels(self) -> list[tuple[int, str]]:
        from .choices import SDGS

        return [(n, str(SDGS[n])) for n in self.sdgs if n in SDGS]


# What an officer enters for each part of a project (the form and the API alike).
BUDGET_LINE_FIELDS = (
    "category",
    "kind",
    "amount",
    "currency",
    "description_uk",
    "description_en",
)
FUNDING_SOURCE_FIELDS = (
    "source_name",
    "instrument",
    "amount",
    "currency",
    "secured_on",
)
INDICATOR_FIELDS = ("name_uk", "name_en", "unit", "baseline", "target", "target_year")


class BudgetLine(models.Model):
    """One line of the cost breakdown."""

    class Category(models.TextChoices):
        DESIGN = "design", _("Design")
        CONSTRUCTION = "construction", _("Construction")
        EQUIPMENT = "equipment", _("Equipment")
        SOFTWARE = "software", _("Software")
        SERVICES = "services", _("Services")
        OTHER = "other", _("Other")

    class Kind(models.TextChoices):
        CAPEX = "capex", _("Capital expenditure (CAPEX)")
        OPEX = "opex", _("Operating expenditure (OPEX)")

    project = models.ForeignKey(
        InvestmentProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    kind = models.CharField(
        _("kind"), max_length=5, choices=Kind.choices, default=Kind.CAPEX
    )
    amount = money_field(_("amount"))
    currency = currency_field()
    description_uk = models.CharField(
        _("description (Ukrainian)"), max_length=255, blank=True
    )
    description_en = models.CharField(
        _("description (English)"), max_length=255, blank=True
    )

    description = Translated("description")

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["project", "id"]

    def __str__(self):
        return f"{self.get_category_display()} {self.amount} {self.currency}"


class FundingSource(models.Model):
    """Funding already secured, by source."""

    project = models.ForeignKey(
        InvestmentProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="funding_sources",
    )
    source_name = models.CharField(_("source"), max_length=255)
    instrument = models.CharField(
        _("instrument"), max_length=10, choices=Instrument.choices
    )
    amount = money_field(_("amount"))
    currency = currency_field()
    secured_on = models.DateField(_("secured on"), null=True, blank=True)

    # The journey: the expression of interest this funding came from (recorded when
    # the pipeline reaches its final stage).
    interest = models.ForeignKey(
        "investments.Interest",
        verbose_name=_("from expression of interest"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funding_sources",
    )

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["project", "id"]

    def __str__(self):
        return f"{self.source_name} {self.amount} {self.currency}"


class Indicator(models.Model):
    """An expected result, measurable."""

    project = models.ForeignKey(
        InvestmentProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    target_year = models.PositiveSmallIntegerField(
        _("target year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )

    name = Translated("name")

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["project", "id"]

    def __str__(self):
        return str(self.name)


class ProjectDocument(TimeStampedModel):
    """A document of a project, with who may see it."""

    class Access(models.TextChoices):
        OPEN = "open", _("Open to all")
        LIMITED = "limited", _("Limited: investors with an accepted interest")
        RESTRICTED = "restricted", _("Restricted: city only")

    project = models.ForeignKey(
        InvestmentProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    file = models.FileField(
        _("file"),
        upload_to=RandomName("investments/documents"),
        storage=private_storage,
        max_length=255,
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    document_type = models.CharField(_("document type"), max_length=40)
    access = models.CharField(
        _("access"), max_length=10, choices=Access.choices, default=Access.OPEN
    )
    uploaded_by = user_reference(_("uploaded by"))

    title = Translated("title")

    class Meta:
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")
        ordering = ["project", "id"]

    def __str__(self):
        return str(self.title)

    def get_absolute_url(self):
        return reverse("investments:document-download", kwargs={"pk": self.pk})

    @property
    def document_type_label(self) -> str:
        from .choices import DOCUMENT_TYPES

        return str(DOCUMENT_TYPES.get(self.document_type, self.document_type))


class ProjectPhoto(models.Model):
    """A photo of a project, stored privately: shown to whoever may see the project
    (investments:photo), so a draft's photos stay with the city."""

    project = models.ForeignKey(
        InvestmentProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.ImageField(
        _("image"),
        upload_to=RandomName("investments/photos"),
        storage=private_storage,
        max_length=255,
    )
    caption_uk = models.CharField(_("caption (Ukrainian)"), max_length=255, blank=True)
    caption_en = models.CharField(_("caption (English)"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    caption = Translated("caption")

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["project", "position", "id"]

    def __str__(self):
        return str(self.caption) or self.image.name

    def get_absolute_url(self):
        return reverse("investments:photo", kwargs={"pk": self.pk})


class ProjectChange(models.Model):
    """History: who changed what in a project, and status transitions."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        STATUS = "status", _("Status changed")

    project = models.ForeignKey(
        InvestmentProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    changed_by = user_reference(_("changed by"))
    # {field: [old, new]} as JSON-friendly strings.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("project change")
        verbose_name_plural = _("project changes")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.project_id} {self.kind} v{self.version}"


# --- Exchange rates: owned by the oc4ids helper (rates import); fields as agreed. ---
class ExchangeRate(models.Model):
    """How many hryvnias one unit of a currency cost on a date (NBU or imported)."""

    currency = models.CharField(_("currency"), max_length=3)
    rate_date = models.DateField(_("date"))
    uah_per_unit = models.DecimalField(
        _("UAH per unit"), max_digits=18, decimal_places=6
    )
    source = models.CharField(_("source"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-rate_date", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "rate_date"], name="investments_rate_unique"
            )
        ]

    def __str__(self):
        return f"{self.currency} {self.rate_date}: {self.uah_per_unit}"


# --- end of the oc4ids helper's section ---


class InvestorVerification(TimeStampedModel):
    """Staff's verification of an investor account (needed to express interest)."""

    Status = Verification

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("investor"),
        on_delete=models.CASCADE,
        related_name="investor_verification",
    )
    status = status_field(Status.PENDING, max_length=10)
    organization = organization_reference()
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX)
    decided_by = user_reference(_("verified by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("investor verification")
        verbose_name_plural = _("investor verifications")

    def __str__(self):
        return f"{self.user} ({self.get_status_display()})"


class Interest(TimeStampedModel):
    """An investor's expression of interest, worked through the city's pipeline."""

    class Stage(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        MEETING = "meeting", _("Meeting")
        DUE_DILIGENCE = "due_diligence", _("Due diligence")
        LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
        FUNDED = "funded", _("Funded")
        DECLINED = "declined", _("Declined")

    project = models.ForeignKey(
        InvestmentProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="interests",
    )
    investor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("investor"),
        on_delete=models.CASCADE,
        related_name="investment_interests",
    )
    organization = organization_reference(related_name="investment_interests")
    instrument = models.CharField(
        _("instrument"), max_length=10, choices=Instrument.choices
    )
    amount = money_field(_("indicative amount"))
    currency = currency_field(default=Currency.USD)
    message = models.TextField(_("message"), blank=True, max_length=4000)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.NEW
    )
    decline_reason = models.TextField(
        _("reason for declining"), blank=True, max_length=NOTE_MAX
    )
    terms_confirmed_at = models.DateTimeField(
        _("confidentiality terms confirmed"), null=True, blank=True
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = user_reference(_("accepted by"))
    stage_changed_at = models.DateTimeField(_("stage changed"), null=True, blank=True)
    officer_note = models.TextField(_("internal note"), blank=True, max_length=4000)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["stage", "stage_changed_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "investor"], name="investments_interest_unique"
            )
        ]

    def __str__(self):
        return f"{self.investor} → {self.project_id} ({self.get_stage_display()})"

    @property
    def opens_limited_documents(self) -> bool:
        return (
            self.accepted_at is not None
            and self.terms_confirmed_at is not None
            and self.stage != self.Stage.DECLINED
        )
