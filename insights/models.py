from django.db import models
from django.utils.translation import gettext_lazy as _

from core.translation import Translated


class Figure(models.Model):
    """One prepared number of the insights pages: a measure, for one period and one
    sector, split by one dimension (recomputed by insights.services)."""

    class PeriodKind(models.TextChoices):
        ALL = "all", _("All time")
        YEAR = "year", _("Year")
        QUARTER = "quarter", _("Quarter")

    period_kind = models.CharField(
        _("period"), max_length=8, choices=PeriodKind.choices
    )
    # The first day of the year or quarter (in the deployment's time zone); empty
    # for all time.
    period_start = models.DateField(_("period start"), null=True, blank=True)
    # A KVED section code, or "" for every sector.
    sector = models.CharField(_("sector"), max_length=8, blank=True)
    measure = models.CharField(_("measure"), max_length=40)
    dimension = models.CharField(_("dimension"), max_length=40)
    key = models.CharField(_("key"), max_length=64, blank=True)
    # A second split inside a key (a funnel stage of a country, events or attendance).
    series = models.CharField(_("series"), max_length=40, blank=True)
    label_uk = models.CharField(_("label (Ukrainian)"), max_length=300, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    value = models.BigIntegerField(_("count"), default=0)
    amount = models.DecimalField(
        _("amount"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    # Figures only staff see (pipeline per investor kind, reviewers' load, waits).
    is_public = models.BooleanField(_("public"), default=True)
    computed_at = models.DateTimeField(_("computed"))

    label = Translated("label")

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ["measure", "dimension", "position", "key", "series"]
        indexes = [
            models.Index(
                fields=["period_kind", "period_start", "sector", "measure"],
                name="insights_figure_lookup",
            ),
            models.Index(
                fields=["measure", "dimension"], name="insights_figure_measure"
            ),
        ]

    def __str__(self):
        return f"{self.measure}/{self.dimension}/{self.key}/{self.series}={self.value}"
