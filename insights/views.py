"""The public ecosystem page, the staff view, chart CSVs and the quarterly report.

Pages read prepared figures only (insights.Figure); they never count live rows.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.html import json_script
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from core.exports import spreadsheet
from insights import charts, permissions, queries, report


def _filters(request):
    period = queries.parse_period(request.GET.get("period"))
    sector = request.GET.get("sector", "")
    section = queries.sections().filter(code=sector).first() if sector else None
    return period, (sector if section else ""), section


def _context(request, *, public: bool) -> dict:
    """What the page shows. The tables, their chart data and the sector list are
    lazy: the template caches their rendering per period, sector, language and
    computing time, so a page served again reads no figures at all."""
    period, sector, section = _filters(request)
    meta = queries.index_rows()
    computed = queries.computed_at(meta)
    tables = SimpleLazyObject(
        lambda: queries.chart_tables(period, sector, section, public=public)
    )
    return {
        "tables": tables,
        "chart_script": lambda: json_script(
            {table.chart.slug: table.chart_data() for table in tables},
            "insights-data",
        ),
        "period": period,
        "periods": queries.available_periods(meta),
        "sector": sector,
        "section": section,
        "sections": SimpleLazyObject(lambda: list(queries.sections())),
        "computed_at": computed,
        "stamp": computed.timestamp() if computed else 0,
        "rate_date": queries.rate_date(meta),
        "public": public,
        "small_number": settings.MIST_SMALL_NUMBER,
        "query": urlencode({"period": period.slug, "sector": sector}),
    }


@require_GET
def insights_page(request):
    """The public ecosystem page: every figure under the small-number rule."""
    context = _context(request, public=True)
    context["can_view_staff"] = permissions.can_view_staff_insights(request.user)
    return render(request, "insights/insights_page.html", context)


@login_required
@require_GET
def staff_page(request):
    """The same, with exact numbers and what may not be public."""
    if not permissions.can_view_staff_insights(request.user):
        raise PermissionDenied
    return render(
        request, "insights/insights_page.html", _context(request, public=False)
    )


@require_GET
def chart_csv(request, slug):
    """One public chart's numbers as CSV (suppressed counts read "<5")."""
    chart = charts.CHARTS_BY_SLUG.get(slug)
    if chart is None:
        raise Http404
    period, sector, section = _filters(request)
    if not chart.by_sector:
        sector, section = "", None
    [table] = queries.chart_tables(period, sector, section, public=True, only=[chart])
    name = f"mist-insights-{slug}-{period.slug}" + (f"-{sector}" if sector else "")
    return spreadsheet(
        [table.header(), *table.data_rows()], fmt="csv", name=name, title=slug
    )


@require_GET
def report_pdf(request):
    """The quarterly report (or any period's) as PDF, in the page's language."""
    period, sector, section = _filters(request)
    tables = queries.chart_tables(period, sector, section, public=True)
    meta = queries.index_rows()
    pdf = report.render_report(
        tables,
        period=period,
        computed_at=queries.computed_at(meta),
        rate_date=queries.rate_date(meta),
        section=section,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="mist-insights-{period.slug}-{get_language()}.pdf"'
    )
    return response
