"""Events of the ecosystem, registrations with a waiting list, calendar tokens."""

import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import (
    TimeStampedModel,
    description_fields,
    status_field,
    user_reference,
)
from core.translation import Translated
from directory.models import organization_reference


def validate_time_zone(value: str) -> None:
    """An IANA time zone name known to zoneinfo."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a known time zone."), params={"value": value}
        )


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Event(TimeStampedModel):
    """A meetup, delegation visit, forum, hackathon or training."""

    class Kind(models.TextChoices):
        MEETUP = "meetup", _("Meetup")
        DELEGATION_VISIT = "delegation_visit", _("Delegation visit")
        INVESTMENT_FORUM = "investment_forum", _("Investment forum")
        HACKATHON = "hackathon", _("Hackathon")
        TRAINING = "training", _("Training")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    slug = models.SlugField(_("address"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_uk, description_en = description_fields()
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("The zone the event's times are given in, e.g. Europe/Kyiv."),
    )
    venue_uk = models.CharField(_("venue (Ukrainian)"), max_length=300, blank=True)
    venue_en = models.CharField(_("venue (English)"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    organizer = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
    )
    status = status_field(Status.DRAFT, max_length=20)
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Shown in the public calendar and feeds once published."),
    )
    sequence = models.PositiveIntegerField(
        _("revision"), default=0, help_text=_("iCalendar SEQUENCE, raised on changes.")
    )
    created_by = user_reference(_("created by"), related_name="created_events")

    title = Translated("title")
    description = Translated("description")
    venue = Translated("venue")

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            )
        ]

    def __str__(self):
        return str(self.title)

    def get_absolute_url(self):
        return reverse("events:event-detail", kwargs={"slug": self.slug})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_listed(self) -> bool:
        """Visible to everyone: public and published or cancelled (announced)."""
        return self.is_public and self.status != self.Status.DRAFT


class Registration(TimeStampedModel):
    """A person's place at an event, or their place on its waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    organization = organization_reference(related_name="event_registrations")
    status = status_field(Status.CONFIRMED, max_length=20)
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], name="unique_event_registration"
            )
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self):
        return f"{self.user} @ {self.event}"


class CalendarToken(models.Model):
    """The secret in a person's calendar feed URL (calendar apps have no session)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="calendar_token",
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_calendar_token
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")

    def __str__(self):
        return f"{self.user}"
