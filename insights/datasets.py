"""The open datasets: what each holds, its formats, its data dictionary, and the rows
of the ones insights publishes itself (events, needs and offers, the aggregates).

The directory and the investment portfolio keep their own exports
(directory.exports, investments.oc4ids.export); they are listed here, not rebuilt.
Nothing private appears: each dataset reads what an anonymous visitor may see, and
its columns are fixed here (no taxpayer numbers, members-only profiles, limited
documents, drafts or anyone's meetings).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.figures import public_count
from directory.models import Organization
from directory.queries import organizations_visible_to
from events.models import Event
from events.queries import public_events
from insights.models import Figure
from investments.oc4ids import export as investment_export
from matching.models import NeedOffer
from matching.queries import needs_offers_published

TEXT, INTEGER, DECIMAL, DATE, DATETIME, URL, LIST, CODE = (
    "string",
    "integer",
    "decimal",
    "date",
    "date-time",
    "URL",
    "list",
    "code",
)
MEDIA_TYPES = {
    "CSV": "text/csv",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "JSON": "application/json",
    "OC4IDS JSON": "application/json",
    "iCalendar": "text/calendar",
}


@dataclass(frozen=True)
class Column:
    """One column of the data dictionary; for the datasets insights writes itself,
    `value` reads its cell: an attribute name (the column's name when empty) or a
    function of the object and the row context."""

    name: str
    type: str
    meaning: object
    example: str
    value: str | Callable = ""

    def cell(self, obj, context: dict):
        value = self.value
        if callable(value):
            value = value(obj, context)
        else:
            value = getattr(obj, value or self.name)
        if value is None:
            return ""
        if self.type in (DATE, DATETIME):
            return value.isoformat()
        return value


@dataclass(frozen=True)
class Distribution:
    format: str  # a key of MEDIA_TYPES
    url_name: str
    kwargs: tuple = ()
    query: str = ""

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    def path(self) -> str:
        return reverse(self.url_name, kwargs=dict(self.kwargs)) + self.query


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: object
    description: object
    distributions: tuple
    columns: tuple
    keywords: tuple
    source: Callable[[], QuerySet]
    # What dates the dataset's latest change.
    stamp: str = "updated_at"
    # For the datasets insights writes itself: the rows' queryset and the context
    # their cells read (from the base URL of the site).
    rows_of: Callable | None = None
    context: Callable[[str], dict] = lambda base_url: {"base_url": base_url}

    def stats(self) -> dict:
        """Row count and the time of the latest change of what the dataset holds."""
        return (
            self.source()
            .order_by()
            .aggregate(rows=Count("pk"), updated=Max(self.stamp))
        )

    def rows(self, base_url: str) -> Iterator[list]:
        """The header, then one row per object (for core.exports)."""
        yield [column.name for column in self.columns]
        context = self.context(base_url)
        for obj in self.rows_of().iterator(chunk_size=2000):
            yield [column.cell(obj, context) for column in self.columns]


def _columns(*rows) -> tuple[Column, ...]:
    return tuple(Column(*row) for row in rows)


def _own(slug: str) -> Distribution:
    return Distribution(
        "CSV", "insights:dataset-download", (("slug", slug), ("fmt", "csv"))
    )


def _page(obj, context) -> str:
    return context["base_url"] + obj.get_absolute_url()


def _codes(name: str, attribute: str) -> Callable:
    return lambda obj, context: ", ".join(
        getattr(item, attribute) for item in getattr(obj, name).all()
    )


# What each dataset reads (anonymous visitor's view).


def public_organizations() -> QuerySet[Organization]:
    return organizations_visible_to(None)


def open_events() -> QuerySet[Event]:
    return public_events().order_by("starts_at", "pk")


def open_needs_offers() -> QuerySet[NeedOffer]:
    return (
        needs_offers_published()
        .filter(organization__in=public_organizations())
        .order_by("-published_at", "pk")
    )


def open_figures() -> QuerySet[Figure]:
    return (
        Figure.objects.filter(is_public=True)
        .exclude(measure="meta")
        .order_by("measure", "dimension", "period_kind", "period_start", "sector", "pk")
    )


def _event_context(base_url: str) -> dict:
    public = set(public_organizations().values_list("pk", flat=True).order_by())
    return {"base_url": base_url, "public": public}


def _organizer(event, context) -> str:
    organizer = event.organizer
    if organizer and organizer.pk in context["public"]:
        return organizer.name_en or organizer.name_uk
    return ""


def _organization_name(item, context) -> str:
    organization = item.organization
    return organization.name_en or organization.name_fallback_en()


def _count(figure, context):
    return public_count(figure.value).as_data()


def _amount(figure, context):
    hidden = public_count(figure.value).is_suppressed
    return figure.amount if figure.amount is not None and not hidden else ""


ORGANIZATIONS = Dataset(
    "organizations",
    _("Organizations of the ecosystem"),
    _(
        "Verified organizations with public profiles: companies, universities, "
        "city bodies, partners abroad, with kind, sectors, place and membership."
    ),
    (
        # Open data carries the machine names the dictionary documents (the
        # directory's own page offers the translated headers).
        Distribution(
            "CSV", "directory:organization-export", (("fmt", "csv"),), "?header=names"
        ),
        Distribution(
            "XLSX", "directory:organization-export", (("fmt", "xlsx"),), "?header=names"
        ),
        Distribution("JSON", "directory:organization-export", (("fmt", "json"),)),
    ),
    _columns(
        ("name_uk", TEXT, _("Name in Ukrainian"), "ТОВ «Приклад»"),
        ("name_en", TEXT, _("Name in English"), "Example LLC"),
        ("kind", CODE, _("Kind of organization (code)"), "it_company"),
        ("edrpou", CODE, _("EDRPOU code of a legal entity"), "14360570"),
        ("description_uk", TEXT, _("Description in Ukrainian"), "Розробка ПЗ."),
        ("description_en", TEXT, _("Description in English"), "Software."),
        ("website", URL, _("Website"), "https://example.org"),
        ("email", TEXT, _("Public contact e-mail"), "info@example.org"),
        ("phone", TEXT, _("Public contact phone"), "+380 57 700 00 00"),
        ("country", CODE, _("Country (ISO 3166-1 alpha-2)"), "UA"),
        ("place", CODE, _("Place in Ukraine (KATOTTG code)"), "UA63120270010096107"),
        ("locality", TEXT, _("City or region abroad"), "Bavaria"),
        ("sectors", LIST, _("KVED-2010 sections and divisions"), "J, 62"),
        ("tags", LIST, _("Technology tags"), "ai, cloud"),
        ("size", CODE, _("Number of people (band)"), "10-49"),
        ("founded_year", INTEGER, _("Year founded"), "2012"),
        ("cluster_status", CODE, _("IT Cluster membership"), "member"),
        ("cluster_member_since", DATE, _("Cluster member since"), "2020-03-01"),
        ("visibility", CODE, _("Visibility (always public here)"), "public"),
        ("url", URL, _("Page of the organization"), "https://…/directory/o/x/"),
    ),
    ("organizations", "directory"),
    public_organizations,
)
INVESTMENT_PROJECTS = Dataset(
    "investment-projects",
    _("Investment portfolio"),
    _(
        "The city's published investment projects: costs, financing sought and "
        "secured, place, readiness. OC4IDS JSON in each language, and flat tables."
    ),
    (
        Distribution("OC4IDS JSON", "investments:oc4ids-export", (), "?language=en"),
        Distribution("OC4IDS JSON", "investments:oc4ids-export", (), "?language=uk"),
        # Machine names, as for organizations (the portfolio's own page offers the
        # translated headers).
        Distribution(
            "CSV", "investments:portfolio-export", (("fmt", "csv"),), "?header=names"
        ),
        Distribution(
            "XLSX", "investments:portfolio-export", (("fmt", "xlsx"),), "?header=names"
        ),
    ),
    _columns(
        ("oc4ids_id", CODE, _("OC4IDS project identifier"), "oc4ids-xxxxxx-KH-1"),
        ("code", CODE, _("City's project code"), "KH-SC-0001"),
        ("title_uk", TEXT, _("Title in Ukrainian"), "Розумне освітлення"),
        ("title_en", TEXT, _("Title in English"), "Smart lighting"),
        ("summary_uk", TEXT, _("Summary in Ukrainian"), "Заміна ліхтарів."),
        ("summary_en", TEXT, _("Summary in English"), "New street lights."),
        ("status", CODE, _("Status in the portfolio"), "published"),
        ("readiness", CODE, _("Readiness"), "concept"),
        ("oc4ids_status", CODE, _("OC4IDS project status"), "identification"),
        ("project_type", CODE, _("OC4IDS project type"), "replacement"),
        ("project_sector", LIST, _("OC4IDS project sectors"), "energy"),
        ("strategy_area", CODE, _("Smart City strategy area"), "energy_efficiency"),
        ("sdgs", LIST, _("Sustainable Development Goals"), "7, 11"),
        ("owner_uk", TEXT, _("Owner in Ukrainian"), "Департамент"),
        ("owner_en", TEXT, _("Owner in English"), "Department"),
        ("owner_edrpou", CODE, _("Owner's EDRPOU code"), "04059243"),
        ("katottg", CODE, _("Place (KATOTTG code)"), "UA63120270010096107"),
        ("place_uk", TEXT, _("Place in Ukrainian"), "Львів"),
        ("place_en", TEXT, _("Place in English"), "Lviv"),
        ("latitude", DECIMAL, _("Latitude"), "49.9935"),
        ("longitude", DECIMAL, _("Longitude"), "36.2304"),
        ("total_cost", DECIMAL, _("Total cost"), "1000000.00"),
        ("currency", CODE, _("Currency of the total cost"), "USD"),
        ("financing_sought", DECIMAL, _("Financing sought"), "800000.00"),
        ("financing_currency", CODE, _("Currency of the financing"), "USD"),
        (
            "funding_secured",
            LIST,
            _("Funding secured (amount and currency)"),
            "100000 EUR",
        ),
        ("instruments", LIST, _("Financing instruments"), "loan, grant"),
        ("starts_on", DATE, _("Planned start"), "2027-01-01"),
        ("ends_on", DATE, _("Planned end"), "2028-06-30"),
        ("dream_ids", LIST, _("DREAM project IDs"), "UA-2024-01-01-000001"),
        ("prozorro_ids", LIST, _("Prozorro tender IDs"), "UA-2024-01-01-000001-a"),
        ("contact_name", TEXT, _("Public contact person"), "Olena Petrenko"),
        ("contact_email", TEXT, _("Public contact e-mail"), "invest@example.org"),
        ("contact_phone", TEXT, _("Public contact phone"), "+380 57 700 00 00"),
        ("published_at", DATETIME, _("Published"), "2026-03-01T10:00:00Z"),
        ("url", URL, _("Page of the project"), "https://…/investments/p/x/"),
    ),
    ("investment", "OC4IDS", "infrastructure"),
    investment_export.published_projects,
)
EVENTS = Dataset(
    "events",
    _("Events"),
    _("Public events of the ecosystem: meetups, delegation visits, forums."),
    (_own("events"), Distribution("iCalendar", "events:feed")),
    _columns(
        ("slug", CODE, _("Identifier of the event"), "ai-meetup-2026"),
        ("kind", CODE, _("Kind of event (code)"), "meetup"),
        ("status", CODE, _("Status (published or cancelled)"), "published"),
        ("title_uk", TEXT, _("Title in Ukrainian"), "Зустріч про ШІ"),
        ("title_en", TEXT, _("Title in English"), "AI meetup"),
        ("starts_at", DATETIME, _("Start (UTC)"), "2026-05-12T07:00:00+00:00"),
        ("ends_at", DATETIME, _("End (UTC)"), "2026-05-12T15:00:00+00:00"),
        ("time_zone", CODE, _("Time zone of the event"), "America/New_York"),
        ("venue_uk", TEXT, _("Venue in Ukrainian"), "вул. Незалежності, 1"),
        ("venue_en", TEXT, _("Venue in English"), "1 Nezalezhnosti St"),
        (
            "organizer",
            TEXT,
            _("Organizer (public organizations only)"),
            "Example LLC",
            _organizer,
        ),
        ("capacity", INTEGER, _("Places (empty: no limit)"), "80"),
        ("url", URL, _("Page of the event"), "https://…/events/e/x/", _page),
    ),
    ("events",),
    open_events,
    rows_of=open_events,
    context=_event_context,
)
NEEDS_OFFERS = Dataset(
    "needs-offers",
    _("Needs and offers"),
    _("Published, valid needs and offers of organizations with public profiles."),
    (_own("needs-offers"),),
    _columns(
        ("kind", CODE, _("Need or offer"), "offer"),
        ("category", CODE, _("Category (code)"), "pilot_partner"),
        ("title_uk", TEXT, _("Title in Ukrainian"), "Шукаємо пілот"),
        ("title_en", TEXT, _("Title in English"), "Looking for a pilot"),
        ("description_uk", TEXT, _("Description in Ukrainian"), "Опис."),
        ("description_en", TEXT, _("Description in English"), "Description."),
        (
            "organization",
            TEXT,
            _("Organization (name in English)"),
            "Example LLC",
            _organization_name,
        ),
        (
            "sectors",
            LIST,
            _("KVED-2010 sections and divisions"),
            "J, 62",
            _codes("sectors", "code"),
        ),
        ("tags", LIST, _("Technology tags"), "ai, cloud", _codes("tags", "slug")),
        (
            "country",
            CODE,
            _("Country (ISO 3166-1 alpha-2)"),
            "UA",
            lambda item, context: str(item.country or ""),
        ),
        ("valid_until", DATE, _("Valid until"), "2026-12-31"),
        ("published_at", DATETIME, _("Published (UTC)"), "2026-03-01T10:00:00+00:00"),
    ),
    ("partnering",),
    open_needs_offers,
    rows_of=open_needs_offers,
)
INSIGHTS = Dataset(
    "insights",
    _("Ecosystem figures"),
    _(
        "The aggregates behind the ecosystem page, per period and sector. Counts "
        'of fewer than 5 people or organizations read "<5".'
    ),
    (_own("insights"),),
    _columns(
        ("period_kind", CODE, _("Period: all, year or quarter"), "quarter"),
        ("period_start", DATE, _("First day of the period"), "2026-07-01"),
        ("sector", CODE, _("KVED section (empty: all sectors)"), "J"),
        ("measure", CODE, _("What is counted"), "investment_funnel"),
        ("dimension", CODE, _("How it is split"), "stage"),
        ("key", CODE, _("Group within the split"), "interest"),
        (
            "series",
            CODE,
            _("Second split (a funnel stage, events or attendance)"),
            "attendance",
        ),
        ("label_uk", TEXT, _("Group name in Ukrainian"), "ІТ-компанія"),
        ("label_en", TEXT, _("Group name in English"), "IT company"),
        ("value", INTEGER, _('Count; "<5" when fewer than 5'), "12", _count),
        (
            "amount",
            DECIMAL,
            _("Amount in USD, where the measure has one"),
            "1500000.00",
            _amount,
        ),
        (
            "computed_at",
            DATETIME,
            _("When the figure was computed (UTC)"),
            "2026-12-04T03:00:00+00:00",
        ),
    ),
    ("statistics",),
    open_figures,
    stamp="computed_at",
    rows_of=open_figures,
)

DATASETS = (ORGANIZATIONS, INVESTMENT_PROJECTS, EVENTS, NEEDS_OFFERS, INSIGHTS)
DATASETS_BY_SLUG = {dataset.slug: dataset for dataset in DATASETS}
# The datasets insights writes itself (the others are the apps' own exports).
ROWS = {dataset.slug: dataset.rows for dataset in DATASETS if dataset.rows_of}
