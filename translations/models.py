from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import NOTE_MAX, belongs_to, user_reference


class CachedTranslation(models.Model):
    """One engine's translation of one text: asked once per (text, engine, target
    language), reused by every record carrying the same text."""

    engine = models.CharField(_("engine"), max_length=20)
    source_language = models.CharField(_("from"), max_length=2)
    target_language = models.CharField(_("into"), max_length=2)
    source_hash = models.CharField(_("text digest"), max_length=32)
    text = models.TextField(_("translation"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("cached machine translation")
        verbose_name_plural = _("cached machine translations")
        constraints = [
            models.UniqueConstraint(
                fields=["engine", "source_language", "target_language", "source_hash"],
                name="translations_unique_cached",
            )
        ]

    def __str__(self):
        return f"{self.engine} {self.source_language}→{self.target_language}"


class TranslationFlag(models.Model):
    """A reviewer's note that a machine translation of a submission is wrong or
    misleading; the submitters see it on their submission."""

    submission = belongs_to(
        "exchange.Submission", _("submission"), related_name="translation_flags"
    )
    field = models.CharField(_("field"), max_length=20)
    language = models.CharField(_("language"), max_length=2)
    note = models.TextField(_("what is wrong"), max_length=NOTE_MAX)
    created_by = user_reference(_("flagged by"))
    created_at = models.DateTimeField(_("flagged"), default=timezone.now)

    class Meta:
        verbose_name = _("translation problem")
        verbose_name_plural = _("translation problems")
        ordering = ["submission", "-created_at"]

    def __str__(self):
        return f"{self.submission_id} {self.field}_{self.language}"
