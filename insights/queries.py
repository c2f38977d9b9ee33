"""Reads of the prepared figures (insights.Figure): periods, sectors, a view's rows."""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from directory.models import Sector
from insights import charts
from insights.models import Figure

# Measures computed for all time only (a wait is measured now, not per period).
ALL_TIME_MEASURES = ("stage_wait",)
PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:-Q(?P<quarter>[1-4]))?$")


@dataclass(frozen=True)
class Period:
    """What the period filter chose: all time, a year or a quarter."""

    kind: str
    start: datetime.date | None

    @property
    def slug(self) -> str:
        if self.kind == Figure.PeriodKind.ALL:
            return "all"
        if self.kind == Figure.PeriodKind.YEAR:
            return str(self.start.year)
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"

    @property
    def label(self) -> str:
        if self.kind == Figure.PeriodKind.ALL:
            return gettext("All time")
        if self.kind == Figure.PeriodKind.YEAR:
            return str(self.start.year)
        return gettext("Q%(quarter)s %(year)s") % {
            "quarter": (self.start.month - 1) // 3 + 1,
            "year": self.start.year,
        }


ALL_TIME = Period(Figure.PeriodKind.ALL, None)


def parse_period(value: str | None) -> Period:
    """`all`, `2026` or `2026-Q3`; anything else is all time."""
    match = PERIOD_RE.match(value or "")
    if not match:
        return ALL_TIME
    year = int(match["year"])
    if not 1900 < year < 2200:
        return ALL_TIME
    if match["quarter"]:
        month = 3 * (int(match["quarter"]) - 1) + 1
        return Period(Figure.PeriodKind.QUARTER, datetime.date(year, month, 1))
    return Period(Figure.PeriodKind.YEAR, datetime.date(year, 1, 1))


def available_periods(meta: list[Figure] | None = None) -> list[Period]:
    """All time, then the years and quarters that have figures, newest first."""
    meta = index_rows() if meta is None else meta
    found = {
        (row.period_kind, row.period_start)
        for row in meta
        if row.dimension == "period" and row.period_start
    }
    ordered = sorted(found, key=lambda item: (item[1], item[0]), reverse=True)
    return [ALL_TIME, *(Period(kind, start) for kind, start in ordered)]


def index_rows() -> list[Figure]:
    """The few "meta" rows: periods with figures, computing time, rate date."""
    return list(Figure.objects.filter(measure="meta"))


def sections() -> QuerySet[Sector]:
    """The KVED sections the sector filter offers."""
    return Sector.objects.filter(level=Sector.Level.SECTION).order_by("code")


def figures_for(
    period: Period, sector: str, measures, *, public: bool = True
) -> list[Figure]:
    """The figures of `measures` for `period` and `sector` (series over time and
    all-time-only measures are read for all time)."""
    queryset = Figure.objects.filter(measure__in=measures, sector=sector).filter(
        period_kind=period.kind, period_start=period.start
    )
    always = Figure.objects.filter(
        Q(dimension="quarter") | Q(measure__in=ALL_TIME_MEASURES),
        measure__in=measures,
        sector=sector,
        period_kind=Figure.PeriodKind.ALL,
    )
    rows = queryset if period.kind == Figure.PeriodKind.ALL else queryset | always
    if public:
        rows = rows.filter(is_public=True)
    return list(rows.order_by("measure", "dimension", "position", "key", "series"))


def computed_at(meta: list[Figure] | None = None) -> datetime.datetime | None:
    """When the figures were last computed."""
    meta = index_rows() if meta is None else meta
    times = [row.computed_at for row in meta if row.dimension == "computed"]
    return max(times) if times else None


def rate_date(meta: list[Figure] | None = None) -> str:
    """The date of the exchange rates the amounts were converted with."""
    meta = index_rows() if meta is None else meta
    return next((row.label_en for row in meta if row.dimension == "rates"), "")


def chart_tables(period: Period, sector: str, section, *, public: bool, only=None):
    """The tables of the charts the audience sees (or `only` those) for `period`
    and `sector` (`section` its row); a chart not split by sector shows all
    sectors whatever the filter says."""
    if only is not None:
        chart_list = only
    else:
        chart_list = charts.CHARTS if public else (*charts.CHARTS, *charts.STAFF_CHARTS)
    measures = sorted({chart.measure for chart in chart_list})
    figures = figures_for(period, sector, measures, public=public)
    everywhere = figures
    if sector and not all(chart.by_sector for chart in chart_list):
        everywhere = figures_for(period, "", measures, public=public)
    label = str(section.name) if section else ""
    return [
        charts.build_table(
            chart,
            figures if chart.by_sector else everywhere,
            public=public,
            sector_label=label if chart.by_sector else "",
        )
        for chart in chart_list
    ]
