"""What a catalogue card shows, computed once in Python (the catalogue is the busiest
page of the app; template lookups and filters per card cost more than this)."""

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.formats import number_format

from core.translation import TranslatedText, translated
from investments import money
from investments.choices import Instrument, StrategyArea
from investments.models import InvestmentProject

SUMMARY_CHARS = 220
AREAS = dict(StrategyArea.choices)
READINESS = dict(InvestmentProject.Readiness.choices)
STATUSES = dict(InvestmentProject.Status.choices)
INSTRUMENTS = dict(Instrument.choices)


@dataclass(frozen=True)
class ProjectCard:
    url: str
    title: TranslatedText
    code: str
    owner: str
    place: str
    summary: str
    summary_language: str
    area: str
    readiness: str
    status: str
    status_label: str
    sought: str
    sought_shown: str
    instruments: str


def _money(amount) -> str:
    return number_format(amount, 0, use_l10n=True, force_grouping=True)


def project_cards(projects, *, currency: str, rates: dict) -> list[ProjectCard]:
    """Cards for projects loaded with select_related("owner", "place")."""
    base = reverse("investments:project-detail", kwargs={"slug": "__slug__"})
    cards = []
    for project in projects:
        summary = translated(project, "summary")
        text = summary.text
        if len(text) > SUMMARY_CHARS:
            text = text[: SUMMARY_CHARS - 1].rstrip() + "…"
        shown = ""
        if project.financing_currency != currency:
            try:
                factor = money.factor(rates, project.financing_currency, currency)
            except money.RateMissing:
                factor = None
            if factor is not None:
                amount = (project.financing_sought * factor).quantize(Decimal(1))
                shown = f"≈ {currency} {_money(amount)}"
        cards.append(
            ProjectCard(
                url=base.replace("__slug__", project.slug),
                title=translated(project, "title"),
                code=project.code,
                owner=project.owner_name,
                place=str(project.place.name) if project.place else "",
                summary=text,
                summary_language=summary.language if summary.is_fallback else "",
                area=str(AREAS.get(project.strategy_area, "")),
                readiness=str(READINESS.get(project.readiness, "")),
                status=project.status,
                status_label=str(STATUSES.get(project.status, "")),
                sought=f"{project.financing_currency} "
                f"{_money(project.financing_sought)}",
                sought_shown=shown,
                instruments=", ".join(
                    str(INSTRUMENTS.get(code, code)) for code in project.instruments
                ),
            )
        )
    return cards
