"""The quarterly report: the public figures as a PDF (WeasyPrint), each chart drawn as
an inline SVG made here (no plotting library), with its table of numbers under it."""

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.pdf import render_pdf
from insights.charts import Table

WIDTH = 640
BAR = 16
GAP = 6
LABEL_WIDTH = 220
COLOURS = ("#0b4f8a", "#2e8b57", "#e0a800", "#b03a2e", "#6f42c1")


def bar_svg(table: Table) -> SafeString:
    """Horizontal bars of the table's first column; suppressed counts draw no bar
    and read "fewer than 5" like the table."""
    rows = table.rows[:20]
    values = [
        count.value if hasattr(count, "value") else count
        for count in (row.counts[0] for row in rows)
    ]
    top = max([value or 0 for value in values] + [1])
    height = len(rows) * (BAR + GAP) + GAP
    room = WIDTH - LABEL_WIDTH - 90
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(table.chart.title)}">'
    ]
    for i, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = GAP + i * (BAR + GAP)
        label = escape(row.label[:40])
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR - 4}" text-anchor="end" '
            f'font-size="11">{label}</text>'
        )
        width = int(room * (value or 0) / top)
        if width:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR}" '
                f'fill="{COLOURS[0]}"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + width + 4}" y="{y + BAR - 4}" '
            f'font-size="11">{escape(str(row.counts[0]))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def render_report(tables, *, period, computed_at, rate_date, section) -> bytes:
    """The report PDF of `tables` (public tables of one period and sector)."""
    sections = [{"table": table, "svg": bar_svg(table)} for table in tables]
    return render_pdf(
        "insights/report.html",
        {
            "sections": sections,
            "period": period,
            "computed_at": computed_at,
            "rate_date": rate_date,
            "section": section,
            "cluster_name": settings.MIST_CLUSTER_NAME,
            "small_number": settings.MIST_SMALL_NUMBER,
        },
    )
