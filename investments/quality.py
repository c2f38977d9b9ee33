"""Data-quality checks of a project: warnings shown to the officer, never rejections.

`check_project(project)` returns JSON-friendly warnings `{"code", "field", "params"}`
(stored on the project at every save); `describe(warning)` turns one into a sentence
in the active language.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from investments.choices import DOCUMENT_TYPES
from investments.models import InvestmentProject
from investments.money import BASE, RateMissing, convert

Readiness = InvestmentProject.Readiness

# Plausible ranges, in UAH (amounts) and days (durations).
MIN_TOTAL_UAH = Decimal("100000")
MAX_TOTAL_UAH = Decimal("200000000000")
MIN_DURATION_DAYS = 30
MAX_DURATION_DAYS = 15 * 365
# A breakdown may differ from the total by rounding: 1 %.
BREAKDOWN_TOLERANCE = Decimal("0.01")

# Documents a readiness stage is expected to have (any one of each group), and every
# later stage keeps the earlier stages' expectations.
READINESS_ORDER = list(Readiness.values)
EXPECTED_DOCUMENTS = {
    Readiness.PRE_FEASIBILITY: [("needsAssessment", "projectScope")],
    Readiness.FEASIBILITY: [("feasibilityStudy",)],
    Readiness.DESIGN: [("technicalSpecifications", "billOfQuantity", "projectPlan")],
    Readiness.READY_FOR_PROCUREMENT: [("procurementPlan", "biddingDocuments")],
}

ENGLISH_FIELDS = {
    "title_en": _("title"),
    "summary_en": _("summary"),
    "description_en": _("description"),
    "problem_en": _("problem it solves"),
}

MESSAGES = {
    "dates_reversed": _("The project ends before it starts."),
    "duration_short": _("The project lasts only %(days)s days; is the timeline right?"),
    "duration_long": _(
        "The project lasts %(years)s years, longer than usual; is the timeline right?"
    ),
    "total_small": _("The total cost (%(amount)s) looks too small for a city project."),
    "total_large": _("The total cost (%(amount)s) looks implausibly large."),
    "sought_exceeds_total": _(
        "The financing sought (%(sought)s) is more than the total cost (%(total)s)."
    ),
    "secured_exceeds_total": _(
        "The funding secured (%(secured)s) is more than the total cost (%(total)s)."
    ),
    "breakdown_mismatch": _(
        "The budget breakdown adds up to %(sum)s, not the total cost of %(total)s."
    ),
    "breakdown_missing": _("There is no budget breakdown."),
    "rate_missing": _(
        "No exchange rate for %(currency)s: amounts in it could not be checked."
    ),
    "document_missing": _(
        "At the readiness stage “%(stage)s” a project is expected to have: "
        "%(documents)s."
    ),
    "english_missing": _("English text is missing: %(fields)s."),
    "no_location": _("The project has no point on the map."),
    "no_indicators": _("The project has no measurable indicators of its results."),
}


def warning(code: str, field: str = "", **params) -> dict:
    return {"code": code, "field": field, "params": params}


def describe(item: dict) -> str:
    """One warning as a sentence in the active language."""
    template = MESSAGES.get(item.get("code"), "")
    params = dict(item.get("params") or {})
    if item.get("code") == "document_missing":
        params["stage"] = str(Readiness(params["stage"]).label)
        params["documents"] = gettext(" or ").join(
            str(DOCUMENT_TYPES.get(code, code)) for code in params["documents"]
        )
    if item.get("code") == "english_missing":
        params["fields"] = ", ".join(
            str(ENGLISH_FIELDS.get(name, name)) for name in params["fields"]
        )
    return str(template) % params if params else str(template)


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}".replace(",", "\u202f")


def _in(amount, currency, target, on, missing: set) -> Decimal | None:
    try:
        return convert(amount, currency, target, on).amount
    except RateMissing as error:
        missing.add(error.currency)
        return None


def check_project(
    project: InvestmentProject, *, on: datetime.date | None = None
) -> list:
    """Every warning about `project` (reads its budget lines, funding and documents)."""
    on = on or timezone.localdate()
    # Each money check records the currencies it could not convert; they are
    # reported once, after all money warnings.
    missing_rates: set[str] = set()
    total = project.total_cost or Decimal(0)
    found = _duration_warnings(project)
    found += _total_warnings(project, total, on, missing_rates)
    found += _breakdown_warnings(project, total, on, missing_rates)
    found += _secured_warnings(project, total, on, missing_rates)
    found += [
        warning("rate_missing", "currency", currency=currency)
        for currency in sorted(missing_rates)
    ]
    found += _document_warnings(project)
    found += _completeness_warnings(project)
    return found


def _duration_warnings(project: InvestmentProject) -> list:
    if not (project.starts_on and project.ends_on):
        return []
    days = (project.ends_on - project.starts_on).days
    if days < 0:
        return [warning("dates_reversed", "ends_on")]
    if days < MIN_DURATION_DAYS:
        return [warning("duration_short", "ends_on", days=days)]
    if days > MAX_DURATION_DAYS:
        return [warning("duration_long", "ends_on", years=round(days / 365, 1))]
    return []


def _total_warnings(project, total: Decimal, on, missing_rates: set) -> list:
    """The total's size in UAH, and financing sought beyond the total."""
    found = []
    total_uah = _in(total, project.currency, BASE, on, missing_rates)
    if total_uah is not None:
        if total_uah < MIN_TOTAL_UAH:
            found.append(
                warning(
                    "total_small", "total_cost", amount=_money(total, project.currency)
                )
            )
        elif total_uah > MAX_TOTAL_UAH:
            found.append(
                warning(
                    "total_large", "total_cost", amount=_money(total, project.currency)
                )
            )
    sought = _in(
        project.financing_sought or 0,
        project.financing_currency,
        project.currency,
        on,
        missing_rates,
    )
    if sought is not None and sought > total * (1 + BREAKDOWN_TOLERANCE):
        found.append(
            warning(
                "sought_exceeds_total",
                "financing_sought",
                sought=_money(project.financing_sought, project.financing_currency),
                total=_money(total, project.currency),
            )
        )
    return found


def _breakdown_warnings(project, total: Decimal, on, missing_rates: set) -> list:
    """Budget lines missing, or not adding up to the total."""
    lines = list(project.budget_lines.all())
    if not lines:
        return [warning("breakdown_missing", "budget_lines")]
    parts = [
        _in(line.amount, line.currency, project.currency, on, missing_rates)
        for line in lines
    ]
    # A line we cannot convert makes any sum meaningless: rate_missing says why.
    if None in parts:
        return []
    breakdown = sum(parts, Decimal(0))
    if abs(breakdown - total) <= max(total * BREAKDOWN_TOLERANCE, Decimal(1)):
        return []
    return [
        warning(
            "breakdown_mismatch",
            "budget_lines",
            sum=_money(breakdown, project.currency),
            total=_money(total, project.currency),
        )
    ]


def _secured_warnings(project, total: Decimal, on, missing_rates: set) -> list:
    """Funding already secured beyond the total."""
    secured = [
        _in(source.amount, source.currency, project.currency, on, missing_rates)
        for source in project.funding_sources.all()
    ]
    if not secured or None in secured:
        return []
    secured_total = sum(secured, Decimal(0))
    if secured_total <= total * (1 + BREAKDOWN_TOLERANCE):
        return []
    return [
        warning(
            "secured_exceeds_total",
            "funding_sources",
            secured=_money(secured_total, project.currency),
            total=_money(total, project.currency),
        )
    ]


def _document_warnings(project: InvestmentProject) -> list:
    """Documents expected by every readiness stage the project has reached."""
    found = []
    have = {document.document_type for document in project.documents.all()}
    reached = READINESS_ORDER.index(project.readiness) if project.readiness else -1
    for stage, groups in EXPECTED_DOCUMENTS.items():
        if READINESS_ORDER.index(stage) > reached:
            continue
        for group in groups:
            if not have.intersection(group):
                found.append(
                    warning(
                        "document_missing",
                        "documents",
                        stage=str(stage),
                        documents=list(group),
                    )
                )
    return found


def _completeness_warnings(project: InvestmentProject) -> list:
    """English translations, location and indicators."""
    found = []
    empty = [
        name
        for name in ENGLISH_FIELDS
        if getattr(project, name.removesuffix("_en") + "_uk", "")
        and not getattr(project, name, "")
    ]
    if empty:
        found.append(warning("english_missing", "title_en", fields=empty))
    if project.latitude is None or project.longitude is None:
        found.append(warning("no_location", "latitude"))
    if not project.indicators.exists():
        found.append(warning("no_indicators", "indicators"))
    return found
