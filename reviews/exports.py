"""The organizers' dashboard as CSV and XLSX (organizers may see names)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exports import INTEGER, NUMBER, TEXT, Column
from reviews.models import Decision

COLUMNS = (
    Column("rank", gettext_lazy("Rank"), INTEGER),
    Column("submission", gettext_lazy("Submission"), INTEGER),
    Column("title", gettext_lazy("Title"), TEXT),
    Column("organization", gettext_lazy("Organization"), TEXT),
    Column("reviews_in", gettext_lazy("Reviews in"), INTEGER),
    Column("reviews_needed", gettext_lazy("Reviews needed"), INTEGER),
    Column("weighted_total", gettext_lazy("Weighted total (0–100)"), NUMBER),
    Column("normalized_score", gettext_lazy("Normalized score"), NUMBER),
    Column("spread", gettext_lazy("Spread"), NUMBER),
    Column("strong_disagreement", gettext_lazy("Strong disagreement"), TEXT),
    Column("accept", gettext_lazy("Accept"), INTEGER),
    Column("revise", gettext_lazy("Revise"), INTEGER),
    Column("decline", gettext_lazy("Decline"), INTEGER),
    Column("decision", gettext_lazy("Decision"), TEXT),
    Column("round", gettext_lazy("Review round"), INTEGER),
)


def _cells(row) -> list:
    def rounded(value, digits):
        return None if value is None else round(value, digits)

    outcome = str(Decision.Outcome(row.decision).label) if row.decision else ""
    return [
        row.rank,
        row.pk,
        row.title,
        row.organization,
        row.submitted,
        row.needed,
        rounded(row.mean_total, 1),
        rounded(row.normalized, 3),
        rounded(row.spread, 3),
        _("yes") if row.disagreement else "",
        row.recommendations.get("accept", 0),
        row.recommendations.get("revise", 0),
        row.recommendations.get("decline", 0),
        outcome,
        row.round,
    ]


def dashboard_rows(rows) -> list[list]:
    """One list of cells per dashboard row, in the order of COLUMNS (for
    core.exports), made at once, in the request's language."""
    return [_cells(row) for row in rows]
