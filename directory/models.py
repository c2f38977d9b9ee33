from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from translitua import translit

from core import importing
from core.models import (
    NOTE_MAX,
    TimeStampedModel,
    belongs_to,
    description_fields,
    status_field,
    user_reference,
)
from core.storage import RandomName, private_storage
from core.translation import MachineTranslatable, Translated
from directory.search import build_search_fields
from directory.validators import validate_edrpou, validate_rntrc


class Sector(models.Model):
    """A KVED-2010 (NACE Rev. 2) section or division."""

    class Level(models.TextChoices):
        SECTION = "section", _("Section")
        DIVISION = "division", _("Division")

    code = models.CharField(_("code"), max_length=8, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="divisions",
    )
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)

    name = Translated("name")

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Tag(models.Model):
    """A technology tag from the bilingual controlled vocabulary."""

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    name = Translated("name")

    class Meta:
        verbose_name = _("technology tag")
        verbose_name_plural = _("technology tags")
        ordering = ["slug"]

    def __str__(self):
        return str(self.name)


class Place(models.Model):
    """A place in Ukraine with its KATOTTG code (city, district, community)."""

    code = models.CharField(_("KATOTTG code"), max_length=19, unique=True)
    category = models.CharField(_("category"), max_length=1)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    name = Translated("name")

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["code"]

    def __str__(self):
        return str(self.name)


# Fields an editor may change through the profile form or the API.
PROFILE_FIELDS = (
    "name_uk",
    "name_en",
    "kind",
    "description_uk",
    "description_en",
    "edrpou",
    "rntrc",
    "country",
    "place",
    "locality",
    "address",
    "sectors",
    "tags",
    "size",
    "founded_year",
    "website",
    "email",
    "phone",
    "logo",
    "visibility",
)
# Fields only cluster staff change: membership of the cluster is theirs to record.
STAFF_FIELDS = ("cluster_status", "cluster_member_since")


class Verification(models.TextChoices):
    """Staff's check of an organization or an investor account."""

    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class OrganizationQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)


class Organization(MachineTranslatable, TimeStampedModel):
    """A member of the ecosystem: company, university, city body, partner abroad."""

    class Kind(models.TextChoices):
        IT_COMPANY = "it_company", _("IT company")
        STARTUP = "startup", _("Startup")
        BUSINESS = "business", _("Business")
        EDUCATION = "education", _("Education")
        RESEARCH = "research", _("Research")
        CITY_BODY = "city_body", _("City body")
        COMMUNAL_ENTERPRISE = "communal_enterprise", _("Communal enterprise")
        NGO = "ngo", _("NGO")
        INVESTOR = "investor", _("Investor")
        FOREIGN_PARTNER = "foreign_partner", _("Foreign partner")

    class Size(models.TextChoices):
        MICRO = "1-9", _("1–9 people")
        SMALL = "10-49", _("10–49 people")
        MEDIUM = "50-249", _("50–249 people")
        LARGE = "250-999", _("250–999 people")
        ENTERPRISE = "1000+", _("1000+ people")

    class ClusterStatus(models.TextChoices):
        NONE = "none", _("Not a member")
        MEMBER = "member", _("Member")
        SUSPENDED = "suspended", _("Membership suspended")
        FORMER = "former", _("Former member")

    Verification = Verification

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Signed-in members only")

    name_uk = models.CharField(_("name (Ukrainian)"), max_length=255)
    name_en = models.CharField(
        _("name (English)"),
        max_length=255,
        blank=True,
        help_text=_("Left empty, the official transliteration is shown."),
    )
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    description_uk, description_en = description_fields()
    edrpou = models.CharField(
        _("EDRPOU code"),
        max_length=8,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_edrpou],
    )
    rntrc = models.CharField(
        _("taxpayer number (sole proprietor)"),
        max_length=10,
        null=True,
        blank=True,
        validators=[validate_rntrc],
        help_text=_("Personal data: never shown publicly."),
    )
    country = CountryField(_("country"), default="UA")
    place = models.ForeignKey(
        Place,
        verbose_name=_("place in Ukraine"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    locality = models.CharField(_("city or region abroad"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="organizations"
    )
    tags = models.ManyToManyField(
        Tag,
        verbose_name=_("technology tags"),
        blank=True,
        related_name="organizations",
    )
    size = models.CharField(_("size"), max_length=8, choices=Size.choices, blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    logo = models.ImageField(
        _("logo"), upload_to=RandomName("logos"), blank=True, max_length=255
    )
    cluster_status = models.CharField(
        _("IT Cluster membership"),
        max_length=10,
        choices=ClusterStatus.choices,
        default=ClusterStatus.NONE,
    )
    cluster_member_since = models.DateField(_("member since"), null=True, blank=True)
    verification = models.CharField(
        _("verification"),
        max_length=10,
        choices=Verification.choices,
        default=Verification.PENDING,
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = user_reference(_("verified by"))
    rejection_reason = models.TextField(
        _("reason for rejection"), blank=True, max_length=NOTE_MAX
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    # Lemmatized Ukrainian and stemmed English words; maintained by directory.search.
    search_document = models.TextField(blank=True, editable=False)
    # Both names, lower-cased, for misspelling-tolerant (trigram) matching.
    search_names = models.TextField(blank=True, editable=False)

    objects = OrganizationQuerySet.as_manager()

    MACHINE_TRANSLATED = ("description",)
    name = Translated("name")
    description = Translated("description")

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name_uk"]
        indexes = [
            models.Index(fields=["kind"]),
            models.Index(fields=["verification", "visibility"]),
            models.Index(fields=["cluster_status"]),
            models.Index(fields=["country"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~(
                    models.Q(edrpou__isnull=False) & models.Q(rntrc__isnull=False)
                ),
                name="organization_edrpou_or_rntrc",
            )
        ]

    def __str__(self):
        return str(self.name)

    def save(self, *args, **kwargs):
        self.search_document, self.search_names = build_search_fields(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:organization-detail", kwargs={"slug": self.slug})

    @property
    def kind_label(self) -> str:
        """The kind in the active language; cheaper than get_kind_display(), which
        translates every choice to build its lookup table."""
        return str(self.Kind(self.kind).label)

    def name_fallback_en(self) -> str:
        """A Ukrainian name reads in English as its official 2010 transliteration."""
        return translit(self.name_uk) if self.name_uk else ""

    @property
    def is_public(self) -> bool:
        return (
            self.deleted_at is None
            and self.verification == self.Verification.VERIFIED
            and self.visibility == self.Visibility.PUBLIC
        )


def organization_reference(verbose_name=None, *, related_name="+") -> models.ForeignKey:
    """The organization a person acts for in a record (a registration, a request,
    an interest): optional, and emptied when the organization goes."""
    return models.ForeignKey(
        Organization,
        verbose_name=verbose_name or _("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


class ProfileRevision(TimeStampedModel):
    """Changes an editor proposed to a published profile, waiting for moderation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    organization = belongs_to(Organization, _("organization"), related_name="revisions")
    proposed_by = user_reference(_("proposed by"), blank=False)
    base_version = models.PositiveIntegerField(_("based on version"))
    changes = models.JSONField(_("changes"), default=dict)
    status = status_field(Status.PENDING, max_length=10)
    decided_by = user_reference(_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=NOTE_MAX)

    class Meta:
        verbose_name = _("profile change")
        verbose_name_plural = _("profile changes")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.organization} ({self.get_status_display()})"


class ImportBatch(TimeStampedModel):
    """One uploaded spreadsheet of organizations: dry run first, then applied once."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Dry run in progress")
        CHECKED = "checked", _("Dry run finished")
        APPLYING = "applying", _("Applying")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Failed")

    file = models.FileField(
        _("file"),
        upload_to=RandomName("imports"),
        storage=private_storage,
        max_length=255,
    )
    original_name = models.CharField(_("file name"), max_length=255)
    created_by = user_reference(_("uploaded by"), blank=False)
    status = status_field(Status.UPLOADED, max_length=10)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    # Summary of the last run (recognised and ignored columns, phase); the per-row
    # outcome lives in ImportRow, one record per row, so it can be paginated.
    report = models.JSONField(_("report"), default=list, blank=True)
    # Why the last run failed, in both languages: the run may happen in a worker,
    # whose language is not the reader's.
    error_message_uk = models.TextField(_("error (Ukrainian)"), blank=True)
    error_message_en = models.TextField(_("error (English)"), blank=True)
    # The encoding the dry run read a CSV file in
    # (core.importing.files.ENCODING_LABELS).
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    # When the running dry run or apply last showed it is alive (at least once per
    # chunk); a run whose heartbeat stops is stalled (directory.importing).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # Which start of a dry run or apply is the current one: every start adds one,
    # and a run that finds another number has been superseded and stops.
    attempt = models.PositiveIntegerField(_("attempt"), default=0)

    error_message = Translated("error_message")

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("directory:import-detail", kwargs={"pk": self.pk})

    @property
    def encoding_label(self) -> str:
        from core.importing.files import ENCODING_LABELS

        return ENCODING_LABELS.get(self.encoding, self.encoding)

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class ImportRow(models.Model):
    """The outcome of one spreadsheet row in the last dry run or apply of a batch."""

    Action = importing.Action

    # A batch writes one row per spreadsheet row (100,000 for a big file), so these
    # two references skip the database's constraint checks, which would cost more
    # than writing the rows; Django's on_delete still cascades and clears them.
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import"),
        on_delete=models.CASCADE,
        related_name="rows",
        db_constraint=False,
        db_index=False,  # the (batch, action, row) index serves lookups by batch
    )
    row = models.PositiveIntegerField(_("row"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    # Which identifier is the key: "edrpou", "domain" or "rntrc"; empty when none.
    key_kind = models.CharField(_("key type"), max_length=8, blank=True)
    key = models.CharField(_("key"), max_length=255, blank=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    # Names of the fields an update changes.
    changes = models.JSONField(_("changed fields"), default=list, blank=True)
    # [{"code": "bad_edrpou_checksum", "params": {...}}], rendered in the reader's
    # language by directory.importing.error_messages().
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["batch", "row"]
        indexes = [models.Index(fields=["batch", "action", "row"])]

    def __str__(self):
        return f"{self.batch_id}:{self.row} {self.action}"
