"""The organizers' dashboard as CSV and XLSX (organizers may see names)."""

import csv
import io

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


def _safe(value):
    """Text that a spreadsheet would run as a formula starts with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def dashboard_csv(call, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_header())
    for row in rows:
        writer.writerow(["" if v is None else _safe(v) for v in _cells(row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def dashboard_xlsx(call, rows) -> bytes:
    from openpyxl import Workbook  # deferred: ~0.4 s at import

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Reviews")[:31])
    sheet.append(_header())
    for row in rows:
        sheet.append([_safe(v) for v in _cells(row)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
