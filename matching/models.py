"""Models of the `matching` app: needs and offers, match profiles, match documents."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.models import (
    NOTE_MAX,
    TEXT_MAX,
    ListingQuerySet,
    ModeratedListing,
    TimeStampedModel,
    belongs_to,
    status_field,
)
from core.translation import Translated
from directory.models import Organization, Place, Sector, Tag, organization_reference

CURRENCIES = (("UAH", "UAH"), ("USD", "USD"), ("EUR", "EUR"))


# What an organization writes in a need or offer (the form, the API and the services).
NEED_OFFER_FIELDS = (
    "organization",
    "kind",
    "category",
    "title_uk",
    "title_en",
    "description_uk",
    "description_en",
    "tags",
    "sectors",
    "place",
    "country",
    "valid_until",
)


class NeedOffer(ModeratedListing):
    """Something an organization needs or offers: a pilot partner, an internship."""

    class Kind(models.TextChoices):
        NEED = "need", _("Need")
        OFFER = "offer", _("Offer")

    class Category(models.TextChoices):
        PILOT_PARTNER = "pilot_partner", _("Pilot partner")
        INTERNSHIP = "internship", _("Internship place")
        EQUIPMENT = "equipment", _("Equipment")
        EXPERTISE = "expertise", _("Expertise")
        CUSTOMER_INTRODUCTION = "customer_introduction", _("Customer introduction")
        INVESTMENT = "investment", _("Investment")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Expired")

    organization = belongs_to(
        Organization, _("organization"), related_name="needs_offers"
    )
    kind = models.CharField(_("type"), max_length=5, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_uk = models.TextField(_("description (Ukrainian)"), max_length=TEXT_MAX)
    description_en = models.TextField(
        _("description (English)"), blank=True, max_length=TEXT_MAX
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("technology tags"), blank=True, related_name="needs_offers"
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="needs_offers"
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("place in Ukraine"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs_offers",
    )
    country = CountryField(_("country"), blank=True)
    status = status_field(Status.DRAFT, max_length=10)
    # Set when the owner was reminded of the coming expiry; a renewal clears it.
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("need or offer")
        verbose_name_plural = _("needs and offers")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "valid_until"]),
            models.Index(fields=["kind", "category"]),
        ]

    def get_absolute_url(self):
        return reverse("matching:needoffer-detail", kwargs={"pk": self.pk})

    @property
    def kind_label(self) -> str:
        return str(self.Kind(self.kind).label)

    @property
    def category_label(self) -> str:
        return str(self.Category(self.category).label)


class MatchProfile(TimeStampedModel):
    """What a person (and their organization) looks for in partners."""

    class Intent(models.TextChoices):
        PARTNERING = "partnering", _("Partnering")
        INVESTING = "investing", _("Investing")
        HIRING = "hiring", _("Hiring")
        MENTORING = "mentoring", _("Mentoring")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="match_profile",
    )
    organization = organization_reference(related_name="match_profiles")
    intents = models.JSONField(_("looking for"), default=list, blank=True)
    tags = models.ManyToManyField(
        Tag, verbose_name=_("technology tags"), blank=True, related_name="+"
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="+"
    )
    ticket_min = models.DecimalField(
        _("ticket size from"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    ticket_max = models.DecimalField(
        _("ticket size up to"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    ticket_currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCIES, default="USD"
    )
    countries = models.JSONField(_("countries of interest"), default=list, blank=True)
    about_uk = models.TextField(
        _("what you look for (Ukrainian)"), blank=True, max_length=NOTE_MAX
    )
    about_en = models.TextField(
        _("what you look for (English)"), blank=True, max_length=NOTE_MAX
    )
    match_terms = models.TextField(blank=True, editable=False)

    about = Translated("about")

    class Meta:
        verbose_name = _("match profile")
        verbose_name_plural = _("match profiles")

    def __str__(self):
        return str(self.user)


class MatchDocument(models.Model):
    """The terms of an investment project, precomputed for text similarity (the
    project table belongs to another app; organizations keep theirs in
    `search_document`, needs/offers and profiles in `match_terms`)."""

    kind = models.CharField(_("kind"), max_length=16)
    object_id = models.PositiveBigIntegerField(_("object"))
    terms = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("match document")
        verbose_name_plural = _("match documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="unique_match_document"
            )
        ]

    def __str__(self):
        return f"{self.kind}:{self.object_id}"
