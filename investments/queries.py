"""Reads of the investment portfolio and its visibility rules (for views and API)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast

from accounts.models import Role, User
from accounts.permissions import is_investor
from core import text
from investments import money
from investments.models import (
    Interest,
    InvestmentProject,
    InvestorVerification,
    ProjectChange,
    ProjectDocument,
    ProjectPhoto,
)
from investments.permissions import is_city_side

Status = InvestmentProject.Status
CURRENCIES = list(InvestmentProject.Currency.values)
AMOUNT = DecimalField(max_digits=24, decimal_places=6)


def projects_visible_to(user) -> QuerySet[InvestmentProject]:
    """Public statuses for everyone; every project for city officers and staff."""
    projects = InvestmentProject.objects.all()
    if is_city_side(user):
        return projects
    return projects.filter(status__in=InvestmentProject.PUBLIC_STATUSES)


def photos_visible_to(user) -> QuerySet[ProjectPhoto]:
    """The photos of the projects `user` may see (the project page's own rule)."""
    return ProjectPhoto.objects.filter(project__in=projects_visible_to(user))


def catalogue_projects() -> QuerySet[InvestmentProject]:
    """What the public catalogue lists: what anyone may see (city officers too see
    only the public projects there), with what a card shows."""
    return projects_visible_to(None).select_related("owner", "place")


def project_for_page(user, slug: str) -> InvestmentProject:
    """One project with everything its page shows (raises DoesNotExist)."""
    return (
        projects_visible_to(user)
        .select_related("owner", "place", "created_by", "updated_by")
        .prefetch_related(
            "budget_lines", "funding_sources", "indicators", "photos", "tags"
        )
        .get(slug=slug)
    )


def documents_for(user, project: InvestmentProject, *, interest=None) -> list:
    """The project's documents with whether `user` may open each one.

    Returns [(document, may_open)]; restricted documents are left out for everyone
    outside the city (their titles are not the investors' business).
    """
    from investments.permissions import can_see_document

    rows = []
    for document in project.documents.all():
        document.project = project
        may_open = can_see_document(user, document, interest=interest)
        if document.access == ProjectDocument.Access.RESTRICTED and not may_open:
            continue
        rows.append((document, may_open))
    return rows


# Search, filters, sorting, totals.


def search_projects(projects: QuerySet, query: str) -> QuerySet:
    """Projects whose title or summary (either language) has every word of `query`.

    The search document holds Ukrainian lemmas and English stems, space-padded, so a
    word matches as " form " (or " prefix" for the word being typed).
    """
    for word in text.parse_query(query):
        condition = Q()
        for form in word.forms:
            condition |= Q(search_document__contains=f" {form} ")
        if word.prefix:
            condition |= Q(search_document__contains=f" {word.word}")
        projects = projects.filter(condition)
    return projects


def _json_has_code(field_name: str, code: str, *, prefix: bool = False) -> Q:
    """A JSON list of strings contains `code` (or a code starting with `code.`)."""
    exact = Q(**{f"{field_name}__icontains": f'"{code}"'})
    if prefix:
        exact |= Q(**{f"{field_name}__icontains": f'"{code}.'})
    return exact


def _json_has_number(field_name: str, number: int) -> Q:
    """A JSON list of ints (as text) has `number`; both backends write '[3, 11]'."""
    lookup = f"{field_name}__contains"
    return (
        Q(**{lookup: f"[{number},"})
        | Q(**{lookup: f" {number},"})
        | Q(**{lookup: f" {number}]"})
        | Q(**{lookup: f"[{number}]"})
    )


def amount_in(rates: dict, currency: str, field_name: str, currency_field: str):
    """An SQL expression: `field_name` converted into `currency` with `rates`.

    Amounts in a currency without a rate convert to NULL (left out of sums and ranges).
    """
    whens = []
    for code in CURRENCIES:
        try:
            factor = money.factor(rates, code, currency)
        except money.RateMissing:
            continue
        whens.append(
            When(
                **{currency_field: code},
                then=ExpressionWrapper(
                    F(field_name) * Value(factor.quantize(Decimal("0.000001"))),
                    output_field=AMOUNT,
                ),
            )
        )
    return Case(*whens, default=Value(None, output_field=AMOUNT), output_field=AMOUNT)


def filter_projects(
    projects: QuerySet,
    *,
    sector: str = "",
    instrument: str = "",
    readiness: str = "",
    sdg: int | None = None,
    district=None,
    strategy_area: str = "",
    status: str = "",
    amount_min: Decimal | None = None,
    amount_max: Decimal | None = None,
    currency: str = "USD",
    rates: dict | None = None,
) -> QuerySet:
    """Apply the catalogue's filters; amounts are compared in `currency`."""
    if sector:
        projects = projects.filter(
            _json_has_code("project_sector", sector, prefix=True)
        )
    if instrument:
        projects = projects.filter(_json_has_code("instruments", instrument))
    if readiness:
        projects = projects.filter(readiness=readiness)
    if sdg:
        projects = projects.alias(
            sdgs_text=Cast("sdgs", output_field=TextField())
        ).filter(_json_has_number("sdgs_text", int(sdg)))
    if district:
        projects = projects.filter(Q(place=district) | Q(place__parent=district))
    if strategy_area:
        projects = projects.filter(strategy_area=strategy_area)
    if status:
        projects = projects.filter(status=status)
    if amount_min is not None or amount_max is not None:
        rates = rates if rates is not None else money.rates_on(CURRENCIES)
        projects = projects.alias(
            sought_shown=amount_in(
                rates, currency, "financing_sought", "financing_currency"
            )
        )
        if amount_min is not None:
            projects = projects.filter(sought_shown__gte=amount_min)
        if amount_max is not None:
            projects = projects.filter(sought_shown__lte=amount_max)
    return projects


READINESS_RANK = Case(
    *[
        When(readiness=value, then=Value(index))
        for index, value in enumerate(InvestmentProject.Readiness.values)
    ],
    output_field=IntegerField(),
)

SORTS = {
    "newest": ("-published_at", "-id"),
    "oldest": ("published_at", "id"),
    "title": ("title_{lang}", "id"),
    "amount": ("sought_sort", "id"),
    "-amount": ("-sought_sort", "-id"),
    "readiness": ("-readiness_rank", "-published_at", "-id"),
}


def sort_projects(
    projects: QuerySet,
    ordering: str,
    *,
    language: str = "uk",
    currency: str = "USD",
    rates: dict | None = None,
) -> QuerySet:
    ordering = ordering if ordering in SORTS else "newest"
    if ordering in ("amount", "-amount"):
        rates = rates if rates is not None else money.rates_on(CURRENCIES)
        projects = projects.alias(
            sought_sort=amount_in(
                rates, currency, "financing_sought", "financing_currency"
            )
        )
    if ordering == "readiness":
        projects = projects.alias(readiness_rank=READINESS_RANK)
    return projects.order_by(*(key.format(lang=language) for key in SORTS[ordering]))


@dataclass
class Totals:
    """The catalogue's headline: how many projects and how much they seek."""

    count: int
    currency: str
    total: Decimal | None
    rate_date: datetime.date | None
    # {currency: amount} of what could not be converted (no rate).
    unconverted: dict = field(default_factory=dict)
    # {currency: Rate} used.
    rates: dict = field(default_factory=dict)

    @property
    def short_total(self) -> str:
        return money.short_amount(self.total or 0)


def catalogue_totals(projects: QuerySet, *, currency: str, rates: dict) -> Totals:
    """Number of projects and financing sought converted into `currency` (one query)."""
    by_currency = {
        row["financing_currency"]: (row["n"], row["sought"] or Decimal(0))
        for row in projects.order_by()
        .values("financing_currency")
        .annotate(n=Count("id"), sought=Sum("financing_sought"))
    }
    count = sum(n for n, _ in by_currency.values())
    total = Decimal(0)
    unconverted = {}
    used = {}
    for code, (_n, amount) in by_currency.items():
        try:
            total += amount * money.factor(rates, code, currency)
        except money.RateMissing:
            unconverted[code] = amount
            continue
        for side in (code, currency):
            if side in rates:
                used[side] = rates[side]
    dates = [rate.rate_date for rate in used.values() if rate.rate_date]
    return Totals(
        count=count,
        currency=currency,
        total=total.quantize(Decimal("0.01")),
        rate_date=min(dates) if dates else None,
        unconverted=unconverted,
        rates=used,
    )


def map_points(projects: QuerySet, language: str, limit: int = 1000) -> list[dict]:
    """Markers for the catalogue map: one small dict per project with a point."""
    rows = (
        projects.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .values_list("slug", "title_uk", "title_en", "latitude", "longitude")[:limit]
    )
    return [
        {
            "slug": slug,
            "title": (title_en or title_uk)
            if language == "en"
            else (title_uk or title_en),
            "lat": float(lat),
            "lng": float(lng),
        }
        for slug, title_uk, title_en, lat, lng in rows
    ]


# History, interests, verification.


def project_history(project: InvestmentProject) -> QuerySet[ProjectChange]:
    return project.changes.select_related("changed_by")


def interests_visible_to(user) -> QuerySet[Interest]:
    """Officers and staff see every interest; an investor only their own."""
    interests = Interest.objects.select_related("project", "investor", "organization")
    if is_city_side(user):
        return interests
    if not (user and user.is_authenticated):
        return interests.none()
    return interests.filter(investor=user)


def board_columns(interests: QuerySet) -> list[tuple[str, str, list]]:
    """The pipeline board: [(stage, label, [interest, ...])] in pipeline order."""
    from django.conf import settings
    from django.utils import timezone

    days = int(getattr(settings, "MIST_INTEREST_REMINDER_DAYS", 7))
    cutoff = timezone.now() - datetime.timedelta(days=days)
    closed = (Interest.Stage.FUNDED, Interest.Stage.DECLINED)
    grouped = {stage: [] for stage in Interest.Stage.values}
    for interest in interests.order_by("stage_changed_at", "id"):
        touched = interest.stage_changed_at or interest.created_at
        interest.is_stale = interest.stage not in closed and touched < cutoff
        grouped[interest.stage].append(interest)
    return [
        (stage, str(Interest.Stage(stage).label), grouped[stage])
        for stage in Interest.Stage.values
    ]


def stale_interests(*, days: int, now: datetime.datetime) -> QuerySet[Interest]:
    """Open interests untouched for `days` days and not reminded about since."""
    cutoff = now - datetime.timedelta(days=days)
    return (
        Interest.objects.exclude(
            stage__in=[Interest.Stage.FUNDED, Interest.Stage.DECLINED]
        )
        .filter(
            Q(stage_changed_at__lt=cutoff)
            | Q(stage_changed_at__isnull=True, created_at__lt=cutoff)
        )
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=cutoff))
        .select_related("project", "project__created_by", "investor")
    )


# Dashboard.


def portfolio_breakdown(*, currency: str, rates: dict) -> dict:
    """Sought vs secured vs interest, by sector, instrument and district, in `currency`.

    Amounts in a currency without a rate are left out (and counted in `skipped`).
    """
    projects = list(
        InvestmentProject.objects.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
        .select_related("place")
        .prefetch_related("funding_sources", "interests")
        .order_by("id")
    )
    conv = _Converter(rates=rates, currency=currency)
    by = {"sector": {}, "instrument": {}, "district": {}}
    labels = {"sector": {}, "instrument": {}, "district": {}}
    for project in projects:
        amounts = _ProjectAmounts.of(project, conv)
        _add_by_sector(by["sector"], labels["sector"], project, amounts)
        _add_by_instrument(by["instrument"], labels["instrument"], project, amounts)
        _add_by_district(by["district"], labels["district"], project, amounts)

    tables = {
        dimension: _breakdown_table(rows, labels[dimension])
        for dimension, rows in by.items()
    }
    totals = {
        name: sum((row[name] for row in tables["district"]), Decimal(0))
        for name in ("sought", "secured", "interest")
    }
    totals["projects"] = len(projects)
    return {"tables": tables, "totals": totals, "skipped": conv.skipped}


@dataclass
class _Converter:
    """Converts into `currency`; an amount without a rate counts as 0 and is counted."""

    rates: dict
    currency: str
    skipped: int = 0

    def __call__(self, amount, code) -> Decimal:
        try:
            return amount * money.factor(self.rates, code, self.currency)
        except money.RateMissing:
            self.skipped += 1
            return Decimal(0)


@dataclass
class _ProjectAmounts:
    """One project's money in the breakdown currency; declined interest left out."""

    sought: Decimal
    secured_by_instrument: dict
    interest_by_instrument: dict

    @classmethod
    def of(cls, project: InvestmentProject, conv: _Converter) -> "_ProjectAmounts":
        sought = conv(project.financing_sought, project.financing_currency)
        secured_by_instrument = {}
        for source in project.funding_sources.all():
            secured_by_instrument.setdefault(source.instrument, Decimal(0))
            secured_by_instrument[source.instrument] += conv(
                source.amount, source.currency
            )
        interest_by_instrument = {}
        for interest in project.interests.all():
            if interest.stage == Interest.Stage.DECLINED:
                continue
            interest_by_instrument.setdefault(interest.instrument, Decimal(0))
            interest_by_instrument[interest.instrument] += conv(
                interest.amount, interest.currency
            )
        return cls(sought, secured_by_instrument, interest_by_instrument)

    @property
    def secured(self) -> Decimal:
        return sum(self.secured_by_instrument.values(), Decimal(0))

    @property
    def interest(self) -> Decimal:
        return sum(self.interest_by_instrument.values(), Decimal(0))


def _breakdown_bucket() -> dict:
    return {
        "sought": Decimal(0),
        "secured": Decimal(0),
        "interest": Decimal(0),
        "projects": 0,
    }


def _add_by_sector(rows: dict, labels: dict, project, amounts: _ProjectAmounts):
    """Split evenly between the project's top-level sectors."""
    from investments.choices import PROJECT_SECTORS

    top_sectors = {code.split(".")[0] for code in project.project_sector}
    top_sectors = sorted(top_sectors) or ["—"]
    share = Decimal(1) / len(top_sectors)
    secured, interest = amounts.secured, amounts.interest
    for code in top_sectors:
        row = rows.setdefault(code, _breakdown_bucket())
        labels[code] = str(PROJECT_SECTORS.get(code, code))
        row["sought"] += amounts.sought * share
        row["secured"] += secured * share
        row["interest"] += interest * share
        row["projects"] += 1


def _add_by_instrument(rows: dict, labels: dict, project, amounts: _ProjectAmounts):
    """Sought splits evenly between the project's instruments; secured and interest
    go to the instrument each source or interest names, listed by the project or not."""
    instruments = project.instruments or ["—"]
    share = Decimal(1) / len(instruments)
    secured_by_instrument = amounts.secured_by_instrument
    interest_by_instrument = amounts.interest_by_instrument
    for code in (
        set(instruments) | set(secured_by_instrument) | set(interest_by_instrument)
    ):
        row = rows.setdefault(code, _breakdown_bucket())
        labels[code] = (
            str(InvestmentProject.Instrument(code).label)
            if code in InvestmentProject.Instrument.values
            else code
        )
        if code in instruments:
            row["sought"] += amounts.sought * share
            row["projects"] += 1
        row["secured"] += secured_by_instrument.get(code, Decimal(0))
        row["interest"] += interest_by_instrument.get(code, Decimal(0))


def _add_by_district(rows: dict, labels: dict, project, amounts: _ProjectAmounts):
    key = str(project.place_id or "—")
    row = rows.setdefault(key, _breakdown_bucket())
    labels[key] = str(project.place.name) if project.place else "—"
    row["sought"] += amounts.sought
    row["secured"] += amounts.secured
    row["interest"] += amounts.interest
    row["projects"] += 1


def _breakdown_table(rows: dict, labels: dict) -> list[dict]:
    """Rows rounded to whole units, largest sought first."""
    return sorted(
        (
            {
                "key": key,
                "label": labels[key],
                "projects": values["projects"],
                "sought": values["sought"].quantize(Decimal("1")),
                "secured": values["secured"].quantize(Decimal("1")),
                "interest": values["interest"].quantize(Decimal("1")),
            }
            for key, values in rows.items()
        ),
        key=lambda row: (-row["sought"], row["label"]),
    )


def own_interest(user, project: InvestmentProject) -> Interest | None:
    """The investor's own expression of interest in `project`, if they made one."""
    if not is_investor(user):
        return None
    return Interest.objects.filter(project=project, investor=user).first()


def interests_of(investor) -> QuerySet[Interest]:
    """An investor's own expressions of interest, newest first."""
    return (
        Interest.objects.filter(investor=investor)
        .select_related("project")
        .order_by("-created_at")
    )


def search_interests(interests: QuerySet, words: str) -> QuerySet[Interest]:
    """Interests whose investor (name, e-mail) or project (code, titles) holds
    `words`."""
    return interests.filter(
        Q(investor__full_name__icontains=words)
        | Q(investor__email__icontains=words)
        | Q(project__code__icontains=words)
        | Q(project__title_uk__icontains=words)
        | Q(project__title_en__icontains=words)
    )


def projects_with_interest() -> QuerySet[InvestmentProject]:
    """Projects someone expressed interest in: the pipeline's project filter."""
    return (
        InvestmentProject.objects.filter(interests__isnull=False)
        .distinct()
        .order_by("code")
        .only("id", "code")
    )


def investors(*, pending_only: bool = False) -> QuerySet[User]:
    """Investor accounts with their verification, by name; `pending_only`: those
    without a decision yet."""
    accounts = (
        User.objects.filter(role=Role.INVESTOR)
        .select_related("investor_verification", "investor_verification__decided_by")
        .order_by("full_name", "email")
    )
    if pending_only:
        accounts = accounts.filter(
            Q(investor_verification__isnull=True)
            | Q(investor_verification__status=InvestorVerification.Status.PENDING)
        )
    return accounts


@dataclass
class ImportedParty:
    """A party an OC4IDS import brought with a project, and the directory
    organization it is (None: not in the directory)."""

    id: str
    name: str
    roles: list[str]
    edrpou: str = ""
    is_person: bool = False
    organization: object = None
    # What pages and forms name the party by: its id, or "person-<n>" when the id
    # would show a person's taxpayer number.
    key: str = ""


def imported_parties(project: InvestmentProject) -> list[ImportedParty]:
    """The parties of a project's imported OC4IDS data (every language, by id), each
    matched to the directory by a valid EDRPOU or by staff's earlier decision."""
    from directory.models import Organization
    from directory.validators import is_person_taxpayer_number, is_valid_edrpou

    found: dict[str, ImportedParty] = {}
    for entry in (project.oc4ids_original or {}).values():
        for party in (entry.get("project") or {}).get("parties") or []:
            if not isinstance(party, dict) or not party.get("id"):
                continue
            party_id = str(party["id"])
            if party_id in found:
                continue
            identifier = party.get("identifier")
            identifier = identifier if isinstance(identifier, dict) else {}
            number = str(identifier.get("id") or "")
            edr = identifier.get("scheme") == "UA-EDR"
            found[party_id] = ImportedParty(
                id=party_id,
                name=str(party.get("name") or party_id),
                roles=[r for r in party.get("roles") or [] if isinstance(r, str)],
                edrpou=number if edr and is_valid_edrpou(number) else "",
                is_person=(edr and len(number) == 10)
                or is_person_taxpayer_number(number),
            )
    if not found:
        return []
    for position, party in enumerate(found.values(), start=1):
        hidden = party.is_person or any(
            is_person_taxpayer_number(part) for part in party.id.split("-")
        )
        party.key = f"person-{position}" if hidden else party.id
    chosen = (project.oc4ids_extra or {}).get("directory") or {}
    codes = {party.edrpou for party in found.values() if party.edrpou}
    organizations = Organization.objects.alive().filter(
        Q(pk__in=[pk for pk in chosen.values() if isinstance(pk, int)])
        | Q(edrpou__in=codes)
    )
    by_pk = {org.pk: org for org in organizations}
    by_edrpou = {org.edrpou: org for org in organizations if org.edrpou}
    for party in found.values():
        party.organization = by_pk.get(chosen.get(party.id)) or by_edrpou.get(
            party.edrpou
        )
    return list(found.values())


def adoptable_submissions(user) -> QuerySet:
    """Accepted submissions the city side may adopt as investment projects (none for
    anyone else)."""
    from reviews.queries import accepted_submissions

    if not is_city_side(user):
        return accepted_submissions().none()
    return accepted_submissions()


# The landing page (settings.MIST_HOME_FIGURES).

HOME_CURRENCY = "USD"


def investment_figures() -> dict:
    """For the landing page: the published projects and the financing they seek,
    converted into one currency as the catalogue's headline does."""
    totals = catalogue_totals(
        catalogue_projects(), currency=HOME_CURRENCY, rates=money.rates_on(CURRENCIES)
    )
    return {
        "published_projects": totals.count,
        "financing_sought": totals.total,
        "financing_sought_short": totals.short_total,
        "financing_currency": totals.currency,
    }
