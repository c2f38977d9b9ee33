"""In-app notifications, per-kind preferences and the digest's bookkeeping."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.kinds import Channel


class Notification(models.Model):
    """One thing that happened for one person, shown in their notification centre."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("person"),
        db_index=False,  # notification_user_recent starts with the user
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Waiting for the person's next daily digest e-mail.
    in_digest = models.BooleanField(_("waits for the digest"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(
                fields=["user", "-created_at", "-id"], name="notification_user_recent"
            ),
            # The bell's count reads this partial index only (read_at in it so that
            # SQLite's planner prefers it to the one above).
            models.Index(
                fields=["user", "read_at"],
                condition=Q(read_at__isnull=True),
                name="notification_user_unread",
            ),
            models.Index(
                fields=["user"],
                condition=Q(in_digest=True),
                name="notification_user_digest",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(models.Model):
    """How one person wants one kind: in the app, e-mail at once, digest, or off."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    # A code of notifications.kinds.KINDS (the registry, not choices: adding a kind
    # needs no migration).
    kind = models.CharField(_("kind"), max_length=40)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.CHOICES)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notification_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.channel}"


class DigestRun(models.Model):
    """The local day of the last digest a person was sent (one per day at most)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_digest",
        verbose_name=_("person"),
    )
    last_sent_on = models.DateField(_("last sent on"))

    class Meta:
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.last_sent_on}"
