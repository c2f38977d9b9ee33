"""The charts of the insights pages: what each shows, its table of numbers, its CSV
rows and its one-line reading, built from prepared figures (insights.Figure).

On public pages every count passes core.figures.public_count (the small-number rule),
and an amount is shown only beside a count that is shown; the staff view shows exact
numbers.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.figures import public_count
from insights.models import Figure

STAGE_LABELS = {
    "calls": _("Calls for projects"),
    "submitted": _("Submissions"),
    "reviewed": _("Reviewed"),
    "accepted": _("Accepted"),
    "mentored": _("Mentoring offered"),
    "revise": _("Revise and resubmit"),
    "published": _("Published projects"),
    "interest": _("Investor interest"),
    "meeting": _("Meeting"),
    "due_diligence": _("Due diligence"),
    "letter_of_intent": _("Letter of intent"),
    "funded": _("Funded"),
    "funding": _("Funding"),
    "events": _("Events held"),
    "attendance": _("Confirmed registrations"),
    "assigned": _("Reviews assigned"),
    "new": _("New"),
    "contacted": _("Contacted"),
    "declined": _("Declined"),
}


@dataclass(frozen=True)
class Chart:
    """One chart: a measure split by a dimension, with one column per series."""

    slug: str
    title: object
    measure: str
    dimension: str
    dimension_label: object
    series: tuple = ("",)
    unit: object = _("Count")
    kind: str = "bar"  # bar, line or funnel
    amount_label: object = None
    # Whether the amount is a total of days, shown as an average per count.
    amount_is_days: bool = False
    is_public: bool = True
    by_sector: bool = True
    note: object = ""


CHARTS = (
    Chart(
        "organizations-kind",
        _("Organizations by kind"),
        "organizations",
        "kind",
        _("Kind"),
        unit=_("Organizations"),
    ),
    Chart(
        "organizations-section",
        _("Organizations by KVED section"),
        "organizations",
        "section",
        _("KVED section"),
        unit=_("Organizations"),
        by_sector=False,
    ),
    Chart(
        "organizations-district",
        _("Organizations by district"),
        "organizations",
        "district",
        _("District"),
        unit=_("Organizations"),
    ),
    Chart(
        "organizations-size",
        _("Organizations by size"),
        "organizations",
        "size",
        _("Size"),
        unit=_("Organizations"),
    ),
    Chart(
        "cluster-members",
        _("Cluster members over time"),
        "cluster_members",
        "quarter",
        _("Quarter"),
        unit=_("Cluster members"),
        kind="line",
        note=_("At the end of each quarter, whatever period is chosen."),
    ),
    Chart(
        "partners-abroad",
        _("Partners abroad by country"),
        "partners_abroad",
        "country",
        _("Country"),
        unit=_("Organizations"),
    ),
    Chart(
        "exchange-funnel",
        _("Project exchange: from call to decision"),
        "exchange_funnel",
        "stage",
        _("Stage"),
        unit=_("Count"),
        kind="funnel",
    ),
    Chart(
        "investment-funnel",
        _("Investment projects: from publication to funding"),
        "investment_funnel",
        "stage",
        _("Stage"),
        unit=_("Projects"),
        kind="funnel",
        amount_label=_("Amount"),
    ),
    Chart(
        "events",
        _("Events held and attendance"),
        "events",
        "kind",
        _("Kind of event"),
        series=("events", "attendance"),
        by_sector=False,
    ),
    Chart(
        "meetings",
        _("Meetings held and their outcomes"),
        "meetings",
        "outcome",
        _("Outcome"),
        unit=_("Meetings"),
        by_sector=False,
    ),
    Chart(
        "journey",
        _("From submission to funding"),
        "journey",
        "stage",
        _("Stage"),
        unit=_("Submissions"),
        kind="funnel",
    ),
    Chart(
        "journey-country",
        _("From submission to funding, by partner country"),
        "journey",
        "country",
        _("Partner country"),
        series=("submitted", "accepted", "meeting", "interest", "funding"),
        by_sector=False,
    ),
)
STAFF_CHARTS = (
    Chart(
        "pipeline",
        _("Investor pipeline by investor kind"),
        "pipeline",
        "investor_kind",
        _("Investor kind"),
        series=(
            "new",
            "contacted",
            "meeting",
            "due_diligence",
            "letter_of_intent",
            "funded",
            "declined",
        ),
        is_public=False,
        by_sector=False,
    ),
    Chart(
        "reviewer-load",
        _("Reviewers' load"),
        "reviewer_load",
        "reviewer",
        _("Reviewer"),
        series=("assigned", "submitted"),
        is_public=False,
        by_sector=False,
    ),
    Chart(
        "decision-days",
        _("Time from submission to decision"),
        "decision_days",
        "call",
        _("Call"),
        unit=_("Decisions"),
        amount_label=_("Average days"),
        amount_is_days=True,
        is_public=False,
        by_sector=False,
    ),
    Chart(
        "stage-wait",
        _("How long an interest waits in its stage"),
        "stage_wait",
        "stage",
        _("Stage"),
        unit=_("Interests waiting"),
        amount_label=_("Average days"),
        amount_is_days=True,
        is_public=False,
        by_sector=False,
        note=_("Now, for interests neither funded nor declined."),
    ),
)
PUBLIC_MEASURES = sorted({chart.measure for chart in CHARTS})
CHARTS_BY_SLUG = {chart.slug: chart for chart in CHARTS}


@dataclass
class Row:
    key: str
    label: str
    counts: list  # PublicCount (public) or int (staff), one per series
    raw: list  # exact counts, for ordering and the chart's drawing only on staff
    amount: Decimal | None = None


@dataclass
class Table:
    """A chart's numbers as the page, the CSV and the API show them."""

    chart: Chart
    rows: list[Row] = field(default_factory=list)
    public: bool = True
    sector_label: str = ""

    @property
    def columns(self) -> list[str]:
        if self.chart.series == ("",):
            return [str(self.chart.unit)]
        return [str(STAGE_LABELS.get(series, series)) for series in self.chart.series]

    @property
    def has_amount(self) -> bool:
        return self.chart.amount_label is not None

    def header(self) -> list[str]:
        header = [str(self.chart.dimension_label), *self.columns]
        if self.has_amount:
            header.append(str(self.chart.amount_label))
        return header

    def data_rows(self) -> list[list]:
        """Rows for CSV and the API: suppressed counts are "<5"."""
        out = []
        for row in self.rows:
            cells = [row.label, *(_as_data(count) for count in row.counts)]
            if self.has_amount:
                cells.append(row.amount if row.amount is not None else "")
            out.append(cells)
        return out

    def chart_data(self) -> dict:
        """What the drawing shows: public pages draw only published numbers."""
        return {
            "kind": self.chart.kind,
            "labels": [row.label for row in self.rows],
            "series": [
                {
                    "label": column,
                    "data": [_drawn(row.counts[i]) for row in self.rows],
                }
                for i, column in enumerate(self.columns)
            ],
        }

    @property
    def reading(self) -> str:
        return reading(self)


def _as_data(count):
    return count.as_data() if hasattr(count, "as_data") else count


def _drawn(count):
    if hasattr(count, "value"):
        return count.value  # None draws nothing
    return count


def build_table(
    chart: Chart, figures: list[Figure], *, public: bool, sector_label: str = ""
) -> Table:
    """The rows of `chart` from `figures` (already read for one period and sector)."""
    mine = [
        figure
        for figure in figures
        if figure.measure == chart.measure and figure.dimension == chart.dimension
    ]
    by_key: dict[str, dict] = defaultdict(dict)
    order: dict[str, tuple] = {}
    labels: dict[str, str] = {}
    amounts: dict[str, Decimal] = {}
    for figure in mine:
        by_key[figure.key][figure.series] = figure.value
        order.setdefault(figure.key, (figure.position, figure.key))
        labels[figure.key] = _label(chart, figure)
        if figure.amount is not None and figure.series in ("", chart.series[0]):
            amounts[figure.key] = figure.amount
    keys = sorted(by_key, key=lambda key: order[key])
    if chart.kind == "bar" and chart.dimension not in ("stage", "outcome"):
        first = chart.series[0]
        keys.sort(key=lambda key: (-by_key[key].get(first, 0), labels[key]))
    table = Table(chart, public=public, sector_label=sector_label)
    for key in keys:
        raw = [by_key[key].get(series, 0) for series in chart.series]
        counts = [public_count(n) for n in raw] if public else raw
        amount = amounts.get(key)
        if amount is not None and chart.amount_is_days:
            amount = (amount / raw[0]).quantize(Decimal("0.1")) if raw[0] else None
        elif amount is not None:
            amount = amount.quantize(Decimal("1"))
        if public and counts[0].is_suppressed:
            amount = None
        table.rows.append(
            Row(key, labels[key], counts, raw if not public else [], amount)
        )
    return table


def _label(chart: Chart, figure: Figure) -> str:
    if chart.dimension == "stage":
        return str(STAGE_LABELS.get(figure.key, figure.label))
    if chart.dimension == "quarter":
        year, month = figure.key[:4], int(figure.key[5:7])
        return gettext("Q%(quarter)s %(year)s") % {
            "quarter": (month - 1) // 3 + 1,
            "year": year,
        }
    if not figure.key:
        return gettext("Not given")
    return str(figure.label) or figure.key


# One-line readings in words.


def _value(table: Table, key: str, column: int = 0):
    for row in table.rows:
        if row.key == key:
            return row.counts[column]
    return public_count(0) if table.public else 0


def reading(table: Table) -> str:
    """The chart in one sentence, over the numbers the table shows."""
    chart = table.chart
    scope = table.sector_label or gettext("All sectors")
    if not table.rows:
        return gettext("No data for this period yet.")
    if chart.slug == "investment-funnel":
        return gettext(
            "%(scope)s: %(interest)s of %(published)s projects found investor interest."
        ) % {
            "scope": scope,
            "interest": _value(table, "interest"),
            "published": _value(table, "published"),
        }
    if chart.slug == "exchange-funnel":
        return gettext(
            "%(scope)s: %(accepted)s of %(submitted)s submissions were accepted."
        ) % {
            "scope": scope,
            "accepted": _value(table, "accepted"),
            "submitted": _value(table, "submitted"),
        }
    if chart.slug == "journey":
        return gettext(
            "%(scope)s: %(meeting)s of %(submitted)s submissions led to a meeting, "
            "%(funding)s to funding."
        ) % {
            "scope": scope,
            "meeting": _value(table, "meeting"),
            "submitted": _value(table, "submitted"),
            "funding": _value(table, "funding"),
        }
    if chart.kind == "line":
        last = table.rows[-1]
        return gettext("%(count)s cluster members at the end of %(quarter)s.") % {
            "count": last.counts[0],
            "quarter": last.label,
        }
    if chart.slug == "events":
        return gettext(
            "Most events held: %(kind)s (%(events)s, %(people)s confirmed "
            "registrations)."
        ) % {
            "kind": table.rows[0].label,
            "events": table.rows[0].counts[0],
            "people": table.rows[0].counts[1],
        }
    if chart.amount_is_days:
        top = max(table.rows, key=lambda row: row.amount or 0)
        return gettext("Longest: %(label)s, %(days)s days on average.") % {
            "label": top.label,
            "days": top.amount,
        }
    top = max(table.rows, key=lambda row: _drawn(row.counts[0]) or 0)
    return gettext("%(scope)s: the largest group is %(label)s (%(count)s).") % {
        "scope": scope,
        "label": top.label,
        "count": top.counts[0],
    }
