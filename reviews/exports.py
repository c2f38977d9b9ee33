"""The organizers' dashboard as CSV and XLSX (organizers may see names)."""

from django.utils.translation import gettext as _

from reviews.models import Decision


def _header() -> list[str]:
    return [
        _("Rank"),
        _("Submission"),
        _("Title"),
        _("Organization"),
        _("Reviews in"),
        _("Reviews needed"),
        _("Weighted total (0–100)"),
        _("Normalized score"),
        _("Spread"),
        _("Strong disagreement"),
        _("Accept"),
        _("Revise"),
        _("Decline"),
        _("Decision"),
    ]


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
    ]


def dashboard_rows(rows) -> list[list]:
    """The header, then one list of cells per dashboard row (for core.exports),
    made at once, in the request's language."""
    return [_header(), *(_cells(row) for row in rows)]
