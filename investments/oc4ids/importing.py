"""Importing an OC4IDS project package into the portfolio.

`check_package(data, language=...)` is the dry run: it maps every project onto the
portfolio's fields without writing, and reports for each project what it would do
(create, update or reject, with the reasons), every JSON path it could not map, and
notes (organizations matched or to be created, identifiers kept). `apply_package`
writes the projects that were not rejected.

Any package the official validator accepts is accepted, from any publisher: ids of
any length (a long one gets a short derived code), every ISO 4217 currency, every
projectStatus code, dates as given, no `language` (then the package's, else the
reader says which, English by default). A project is rejected only for what the
schema refuses too (not an object, no id, a code outside a closed codelist, an amount
that is not a number, an unknown currency) or a duplicate id, with every reason.

Nothing is lost: the project object is kept as it came (`oc4ids_original`, per
language, with a digest of what the export made of it then), and the export gives
the original back for every part not changed in Mist since; what has no column is
also kept as a "residue" (`oc4ids_extra[<lang>]`) merged into changed parts.
Projects are matched by id (`<prefix>-<code>` -> code; a foreign id is the code
itself, or a derived one when longer than the column), so importing twice updates.

Parties are matched to directory organizations by a valid EDRPOU (or the owner by
its name); a party that is not in the directory is never added to it by an import:
the project page shows it as "not in the directory" for staff to add. A 10-digit
`UA-EDR` id is a person's taxpayer number (RNOKPP): checksum-checked, kept privately,
never matched, never published (mapping.without_personal_numbers).
"""

import copy
import datetime
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from translitua import translit

from core import audit
from core.importing import (
    Action,
    Importer,
    ImportFileError,
    Report,
    bulk,
    parse_json,
    read_text,
)
from directory.models import Organization, Place
from directory.validators import is_person_taxpayer_number, is_valid_edrpou
from investments import money, quality
from investments.choices import SDGS, Instrument, StrategyArea
from investments.models import (
    BudgetLine,
    FundingSource,
    Indicator,
    InvestmentProject,
    ProjectChange,
    ProjectDocument,
    ProjectPhoto,
    validate_period,
)

from . import codelists, mapping

LANGUAGES = ("uk", "en")
BUDGET_LINE_ID = re.compile(
    r"^(?P<category>[a-z]+)-(?P<kind>capex|opex)-(?P<index>\d+)$"
)
SECURED_ID = re.compile(r"^secured-(?P<instrument>[a-z]+)-\d+$")
INDICATOR_ID = re.compile(r"^indicator-\d+$")
PROZORRO_TENDER = re.compile(r"^UA-\d{4}-\d{2}-\d{2}-\d{6}-[a-z]$")
CODE_MAX = InvestmentProject._meta.get_field("code").max_length
TITLE_MAX = InvestmentProject._meta.get_field("title_uk").max_length
# Amounts the money columns hold (16 digits, 2 of them decimals).
AMOUNT_LIMIT = Decimal(10) ** 14
# The language of a package that says none, unless the reader chooses another.
DEFAULT_LANGUAGE = "en"

# The file is not an OC4IDS project package at all.
PackageError = ImportFileError


@dataclass
class ProjectReport:
    """What the import does with one project of the package."""

    index: int
    oc4ids_id: str = ""
    code: str = ""
    title: str = ""
    action: str = Action.REJECT
    reasons: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    project_pk: int | None = None


@dataclass
class ImportReport(Report):
    """The dry run's (or the apply's) report of a whole package: a ProjectReport
    for each of its projects."""

    language: str = ""
    unmapped_package: list[str] = field(default_factory=list)
    # No project and not the package says its language, and none was chosen: the
    # texts were read as DEFAULT_LANGUAGE; the dry run asks the reader.
    language_needed: bool = False

    @property
    def projects(self) -> list[ProjectReport]:
        return self.rows

    @property
    def unmapped(self) -> list[str]:
        paths = list(self.unmapped_package)
        for item in self.projects:
            paths.extend(item.unmapped)
        return paths


@dataclass
class Plan:
    """The portfolio's values for one accepted project."""

    report: ProjectReport
    fields: dict
    language: str
    owner: Organization | None
    budget_lines: list[dict]
    funding_sources: list[dict]
    indicators: list[dict]
    residue: dict
    foreign_id: str | None
    updated: datetime.datetime | None
    workflow_status: str | None
    original: dict

    @property
    def action(self) -> str:
        return self.report.action


class Lookups:
    """What the plan of a whole package reads from the database, read once: the
    projects that exist (by code) and the directory's organizations (by EDRPOU for
    every code in the package, by name as asked)."""

    def __init__(self, projects: list):
        codes, edrpous = [], set()
        for raw in projects:
            if not isinstance(raw, dict):
                continue
            oc4ids_id = _string(raw.get("id"))
            if oc4ids_id:
                codes.append(code_for_id(oc4ids_id)[0])
            for party in raw.get("parties") or []:
                identifier = (
                    party.get("identifier") if isinstance(party, dict) else None
                )
                if isinstance(identifier, dict):
                    value = _string(identifier.get("id"))
                    if edr_kind(value) == "edrpou":
                        edrpous.add(value)
        self.projects = dict(
            InvestmentProject.objects.filter(code__in=codes).values_list("code", "pk")
        )
        self.by_edrpou = {
            org.edrpou: org
            for org in Organization.objects.alive().filter(edrpou__in=edrpous)
        }
        self._by_name: dict[tuple[str, str], Organization | None] = {}

    def organization_named(self, name: str, language: str) -> Organization | None:
        key = (language, name.lower())
        if key not in self._by_name:
            self._by_name[key] = (
                Organization.objects.alive()
                .filter(**{f"name_{language}__iexact": name})
                .order_by("pk")
                .first()
            )
        return self._by_name[key]


class Rejected(Exception):
    """A project that cannot be imported, with the reason (translated)."""


# Reading values.


def _string(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _amount(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _value(value, path: str, item: ProjectReport):
    """(amount, currency) of an OC4IDS Value, consumed; (None, None) when there is
    none or the portfolio cannot hold it (kept as it is, with a note). A reason is
    added to `item` for what the schema refuses: an amount that is not a number, a
    currency outside ISO 4217."""
    if not isinstance(value, dict):
        return None, None
    raw = value.get("amount")
    amount = _amount(raw)
    currency = value.get("currency")
    usable = True
    if raw is not None and amount is None:
        item.reasons.append(
            gettext("%(path)s.amount is not a number.") % {"path": path}
        )
        usable = False
    if currency is not None and currency not in codelists.CURRENCIES:
        item.reasons.append(
            gettext("%(path)s.currency %(currency)s is not an ISO 4217 currency.")
            % {"path": path, "currency": currency}
        )
        usable = False
    if not usable or amount is None or not currency:
        return None, None
    if amount < 0 or amount >= AMOUNT_LIMIT:
        item.notes.append(
            gettext(
                "%(path)s: %(amount)s is not an amount the portfolio can hold; "
                "kept as it is."
            )
            % {"path": path, "amount": raw}
        )
        return None, None
    value.pop("amount")
    value.pop("currency")
    return amount.quantize(Decimal("0.01")), currency


def _pop_equal(obj: dict, key: str, expected) -> None:
    """Consume obj[key] when it says what the export would write anyway."""
    if key in obj and obj[key] == expected:
        obj.pop(key)


def _empty(value) -> bool:
    return value is None or (isinstance(value, dict | list) and not value)


def _prune(value, *, positions: bool = False):
    """Drop what was consumed: empty containers, and id-only objects (their id only
    served to say which object was mapped). Consumed list items are set to None;
    with `positions` they stay as None gaps, so that every other item keeps its
    index for the report."""
    if isinstance(value, dict):
        pruned = {k: _prune(v, positions=positions) for k, v in value.items()}
        pruned = {k: v for k, v in pruned.items() if not _empty(v)}
        if set(pruned) == {"id"} and len(value) > 1:
            return {}
        return pruned
    if isinstance(value, list):
        items = [_prune(v, positions=positions) for v in value]
        if positions:
            items = [None if _empty(v) else v for v in items]
            return items if any(v is not None for v in items) else []
        return [v for v in items if not _empty(v)]
    return value


def _paths(value, prefix: str) -> list[str]:
    """The JSON paths of every leaf left (ids of kept objects are not listed on
    their own, the object's other fields are; None gaps are consumed items)."""
    if isinstance(value, dict):
        paths = []
        for key, item in value.items():
            if key == "id" and len(value) > 1:
                continue
            paths.extend(_paths(item, f"{prefix}.{key}"))
        return paths or [prefix]
    if isinstance(value, list):
        paths = []
        for index, item in enumerate(value):
            if item is not None:
                paths.extend(_paths(item, f"{prefix}[{index}]"))
        return paths or [prefix]
    return [prefix]


def code_for_id(oc4ids_id: str) -> tuple[str, bool]:
    """The project code for an OC4IDS id and whether the id is this publisher's own:
    the id itself (without our prefix), or, when longer than the column, its start
    and a hash of the whole id (so the same id always finds the same project)."""
    code, own = mapping.code_from_id(oc4ids_id)
    if len(code) <= CODE_MAX:
        return code, own
    digest = hashlib.sha256(oc4ids_id.encode()).hexdigest()[:10]
    return f"{code[: CODE_MAX - 11].rstrip('-')}-{digest}", own


# The package.


def read_package(content: bytes):
    """The JSON in an uploaded file; PackageError when it is not UTF-8 JSON."""
    return parse_json(read_text(content, allow_cp1251=False))


def load_package(data) -> dict:
    """The package as a dict; PackageError, saying what the file is, when it is not
    one."""
    if isinstance(data, list):
        if data and all(isinstance(x, dict) and "id" in x for x in data):
            raise PackageError(
                gettext(
                    "This is a list of projects, not a project package: wrap it in "
                    '{"projects": [...]}.'
                )
            )
        raise PackageError(gettext("The file is not a JSON object."))
    if not isinstance(data, dict):
        raise PackageError(gettext("The file is not a JSON object."))
    projects = data.get("projects")
    if isinstance(projects, list):
        return data
    if "releases" in data or "records" in data:
        raise PackageError(
            gettext(
                "This is an OCDS release or record package (contracting data), not "
                "an OC4IDS project package."
            )
        )
    if "id" in data and ({"title", "status", "parties", "budget"} & set(data)):
        raise PackageError(
            gettext(
                "This is a single project, not a project package: wrap it in "
                '{"projects": [...]}.'
            )
        )
    raise PackageError(
        gettext("The file is not an OC4IDS project package: it has no projects list.")
    )


def _plan_package(data, *, language: str | None) -> tuple[ImportReport, list[Plan]]:
    data = load_package(data)
    if language is not None and language not in LANGUAGES:
        raise PackageError(gettext("The language must be uk or en."))
    report = ImportReport(language=language or "")
    package_rest = {
        key: value
        for key, value in data.items()
        if key
        not in (
            "uri",
            "publishedDate",
            "publisher",
            "version",
            "projects",
            "license",
            "publicationPolicy",
            "language",
        )
    }
    report.unmapped_package = _paths(package_rest, "$") if package_rest else []
    package_language = data.get("language")
    lookups = Lookups(data["projects"])
    plans = []
    seen = set()
    for index, raw in enumerate(data["projects"]):
        item = ProjectReport(index=index)
        report.rows.append(item)
        try:
            plan = _plan_project(
                raw, index, item, language, seen, package_language, report, lookups
            )
        except Rejected as reason:
            item.reasons.append(str(reason))
            plan = None
        if item.reasons:
            item.action = Action.REJECT
            continue
        plans.append(plan)
    return report, plans


def _project_language(rest, item, chosen, package_language, report) -> str:
    """The language of a project's texts: the reader's choice, else the project's
    `language`, else the package's; else DEFAULT_LANGUAGE, and the dry run asks."""
    stated = rest.get("language")
    if chosen:
        language = chosen
    elif stated in LANGUAGES:
        language = stated
    elif stated is None and package_language in LANGUAGES:
        language = package_language
    else:
        language = DEFAULT_LANGUAGE
        report.language_needed = True
        item.notes.append(
            gettext(
                "The project does not say its language in a way the portfolio "
                "keeps (uk or en): its texts are read as %(language)s. Choose the "
                "language before applying if they are in another."
            )
            % {"language": language}
        )
    if stated == language:
        rest.pop("language")
    elif stated is not None and chosen:
        item.notes.append(
            gettext(
                "The project says its language is %(stated)s; read as %(language)s."
            )
            % {"stated": stated, "language": language}
        )
    return language


def _plan_project(
    raw, index, item: ProjectReport, language, seen, package_language, report, lookups
) -> Plan | None:
    path = f"projects[{index}]"
    if not isinstance(raw, dict):
        raise Rejected(gettext("The project is not a JSON object."))
    rest = copy.deepcopy(raw)
    oc4ids_id = _string(rest.pop("id", None))
    if not oc4ids_id:
        raise Rejected(gettext("The project has no id."))
    item.oc4ids_id = oc4ids_id
    if oc4ids_id in seen:
        item.reasons.append(gettext("Another project in this package has the same id."))
    seen.add(oc4ids_id)
    code, own = code_for_id(oc4ids_id)
    derived = code != mapping.code_from_id(oc4ids_id)[0]
    if derived:
        item.notes.append(
            gettext(
                "The id is longer than %(max)s characters: the project's code is "
                "%(code)s; the id is kept and exported as it is."
            )
            % {"max": CODE_MAX, "code": code}
        )
    item.code = code

    language = _project_language(rest, item, language, package_language, report)
    title = _string(rest.pop("title", None))
    if not title:
        title = oc4ids_id
        item.notes.append(gettext("The project has no title: its id stands in."))
    item.title = title
    fields = {f"title_{language}": title[:TITLE_MAX]}
    if len(title) > TITLE_MAX:
        item.notes.append(
            gettext(
                "The title is longer than %(max)s characters: shortened in the "
                "portfolio, exported in full."
            )
            % {"max": TITLE_MAX}
        )
    for source, target in (("description", "description"), ("purpose", "problem")):
        text = rest.pop(source, None)
        if isinstance(text, str):
            fields[f"{target}_{language}"] = text.strip()
        elif text is not None:
            rest[source] = text

    updated = None
    if "updated" in rest:
        updated = mapping.parse_date_time(rest["updated"])
        if updated is None:
            item.notes.append(
                gettext("%(path)s is not a date-time; kept as it is.")
                % {"path": f"{path}.updated"}
            )
        else:
            rest.pop("updated")

    workflow_status = None
    status = rest.pop("status", None)
    if status is not None:
        if status not in codelists.PROJECT_STATUSES:
            item.reasons.append(
                gettext(
                    "The status %(value)s is not in the closed projectStatus codelist."
                )
                % {"value": status}
            )
        else:
            # Every code is kept (the original goes out again); the readiness and
            # workflow status take the phase where one maps.
            readiness = codelists.STATUS_TO_READINESS[status]
            if readiness:
                fields["readiness"] = readiness
            fields["_oc4ids_status"] = status
            workflow_status = codelists.STATUS_TO_WORKFLOW.get(status)
    project_type = rest.pop("type", None)
    if project_type is not None:
        if project_type not in codelists.PROJECT_TYPES:
            item.reasons.append(
                gettext("The type %(value)s is not in the closed projectType codelist.")
                % {"value": project_type}
            )
        else:
            fields["project_type"] = project_type

    _plan_sector(rest, fields)
    _plan_identifiers(rest, fields)
    _plan_period(rest, fields, item, path)
    budget_lines, funding_sources = _plan_budget(rest, fields, language, path, item)
    _plan_classifications(rest, fields)
    _plan_location(rest, fields, language, item, path)
    indicators = _plan_indicators(rest, language)
    _plan_contracting(rest, fields)
    owner = _plan_owner(rest, fields, language, item, lookups)
    if item.reasons:
        return None

    item.unmapped = _paths(_prune(rest, positions=True), path)
    if item.unmapped == [path]:
        item.unmapped = []
    residue = _prune(rest)
    existing = lookups.projects.get(code)
    item.action = Action.UPDATE if existing else Action.CREATE
    item.project_pk = existing
    return Plan(
        report=item,
        fields=fields,
        language=language,
        owner=owner,
        budget_lines=budget_lines,
        funding_sources=funding_sources,
        indicators=indicators,
        residue=residue,
        foreign_id=None if own and not derived else oc4ids_id,
        updated=updated,
        workflow_status=workflow_status,
        original=raw,
    )


def _plan_sector(rest, fields):
    sector = rest.get("sector")
    if not isinstance(sector, list):
        return
    codes = [code for code in sector if isinstance(code, str) and code]
    # Parents the export adds back for each subsector are not stored twice.
    fields["project_sector"] = [
        code
        for code in dict.fromkeys(codes)
        if not any(other.startswith(f"{code}.") for other in codes)
    ]
    rest["sector"] = [
        None if isinstance(code, str) and code else code for code in sector
    ]


def _plan_identifiers(rest, fields):
    identifiers = rest.get("identifiers")
    if not isinstance(identifiers, list):
        return
    dream = []
    for index, identifier in enumerate(identifiers):
        if (
            isinstance(identifier, dict)
            and identifier.get("scheme") == codelists.DREAM_SCHEME
            and _string(identifier.get("id"))
            and set(identifier) <= {"id", "scheme"}
        ):
            dream.append(identifier["id"].strip())
            identifiers[index] = None
    fields["dream_ids"] = dream


def _plan_period(rest, fields, item, path):
    period = rest.get("period")
    if not isinstance(period, dict):
        return
    dates = {}
    for key, target in (("startDate", "starts_on"), ("endDate", "ends_on")):
        given = mapping.given_date(period.get(key))
        if given is not None:
            dates[target] = given
    try:
        validate_period(dates.get("starts_on"), dates.get("ends_on"))
    except ValidationError as error:
        item.notes.append(
            gettext("%(path)s: %(error)s Kept as it is.")
            % {"path": f"{path}.period", "error": " ".join(error.messages)}
        )
        return
    for key, target in (("startDate", "starts_on"), ("endDate", "ends_on")):
        if target in dates:
            fields[target] = dates[target]
            period.pop(key)
    starts, ends = fields.get("starts_on"), fields.get("ends_on")
    if starts and ends:
        _pop_equal(period, "durationInDays", (ends - starts).days)


def _plan_budget(rest, fields, language, path, item):
    budget = rest.get("budget")
    lines, sources = [], []
    if not isinstance(budget, dict):
        fields["total_cost"] = Decimal(0)
        fields.setdefault("financing_sought", Decimal(0))
        return lines, sources
    amount, currency = _value(budget.get("amount"), f"{path}.budget.amount", item)
    fields["total_cost"] = amount if amount is not None else Decimal(0)
    if currency:
        fields["currency"] = currency
    with translation.override(language):
        group_description = gettext("Cost by category (CAPEX/OPEX)")
        sought_title = gettext("Financing sought")
        sought_description = gettext("Financing the city seeks from investors.")
    for group_index, group in enumerate(budget.get("budgetBreakdowns") or []):
        if not (isinstance(group, dict) and group.get("id") == "cost-categories"):
            continue
        _pop_equal(group, "description", group_description)
        for index, line in enumerate(group.get("budgetBreakdown") or []):
            if not isinstance(line, dict):
                continue
            match = BUDGET_LINE_ID.match(str(line.get("id", "")))
            if not (match and match["category"] in BudgetLine.Category.values):
                continue
            value, line_currency = _value(
                line.get("amount"),
                f"{path}.budget.budgetBreakdowns[{group_index}]"
                f".budgetBreakdown[{index}].amount",
                item,
            )
            if value is None:
                continue
            description = _string(line.pop("description", ""))
            if description == mapping.budget_line_label(
                match["category"], match["kind"]
            ):
                description = ""
            lines.append(
                {
                    "category": match["category"],
                    "kind": match["kind"],
                    "amount": value,
                    "currency": line_currency,
                    "description": description,
                }
            )
    for index, entry in enumerate(budget.get("finance") or []):
        if not isinstance(entry, dict):
            continue
        value_path = f"{path}.budget.finance[{index}].value"
        if entry.get("id") == "sought":
            value, sought_currency = _value(entry.get("value"), value_path, item)
            if value is None:
                continue
            fields["financing_sought"] = value
            fields["financing_currency"] = sought_currency
            _pop_equal(entry, "title", sought_title)
            _pop_equal(entry, "description", sought_description)
            continue
        match = SECURED_ID.match(str(entry.get("id", "")))
        if not (match and match["instrument"] in Instrument.values):
            continue
        name = _string(entry.get("source")) or _string(entry.get("title"))
        if not name:
            continue
        value, source_currency = _value(entry.get("value"), value_path, item)
        if value is None:
            continue
        secured = mapping.given_date((entry.get("period") or {}).get("startDate"))
        if secured is not None:
            entry["period"].pop("startDate")
        _pop_equal(entry, "source", name)
        _pop_equal(entry, "title", name)
        _pop_equal(
            entry,
            "type",
            codelists.INSTRUMENT_TO_FINANCE_TYPE.get(match["instrument"]),
        )
        sources.append(
            {
                "source_name": name[:255],
                "instrument": match["instrument"],
                "amount": value,
                "currency": source_currency,
                "secured_on": secured,
            }
        )
    fields.setdefault("financing_sought", Decimal(0))
    return lines, sources


def _plan_classifications(rest, fields):
    items = rest.get("additionalClassifications")
    if not isinstance(items, list):
        return
    sdgs, instruments = [], []
    for index, item in enumerate(items):
        scheme = item.get("scheme") if isinstance(item, dict) else None
        code = str(item.get("id", "")) if isinstance(item, dict) else ""
        if scheme == codelists.SDG_SCHEME and code.isdigit() and int(code) in SDGS:
            sdgs.append(int(code))
        elif scheme == codelists.INSTRUMENT_SCHEME and code in Instrument.values:
            instruments.append(code)
        elif scheme == codelists.STRATEGY_AREA_SCHEME and code in StrategyArea.values:
            fields["strategy_area"] = code
        else:
            continue
        # The description is the code's label, rewritten by the export.
        extra = {
            k: v for k, v in item.items() if k not in ("scheme", "id", "description")
        }
        items[index] = {"scheme": scheme, "id": code, **extra} if extra else None
    fields["sdgs"] = sdgs
    fields["instruments"] = instruments


def _plan_location(rest, fields, language, item, path):
    locations = rest.get("locations")
    if not isinstance(locations, list) or not locations:
        return
    location = locations[0]
    if not isinstance(location, dict):
        return
    gazetteer = location.get("gazetteer") or {}
    if gazetteer.get("scheme") == codelists.KATOTTG_SCHEME:
        codes = gazetteer.get("identifiers") or []
        place = Place.objects.filter(code__in=codes[:1]).first() if codes else None
        if place is None:
            item.notes.append(
                gettext(
                    "%(path)s: KATOTTG code %(code)s is not in the directory; kept."
                )
                % {"path": f"{path}.locations[0]", "code": codes[:1]}
            )
        else:
            fields["place"] = place
            gazetteer["identifiers"] = [None, *codes[1:]]
            gazetteer.pop("scheme")
            _pop_equal(location, "description", getattr(place, f"name_{language}"))
    geometry = location.get("geometry") or {}
    coordinates = geometry.get("coordinates")
    if geometry.get("type") == "Point" and isinstance(coordinates, list):
        lon = _amount(coordinates[0]) if len(coordinates) >= 2 else None
        lat = _amount(coordinates[1]) if len(coordinates) >= 2 else None
        if lon is not None and lat is not None and abs(lat) <= 90 and abs(lon) <= 180:
            fields["latitude"] = lat.quantize(Decimal("0.000001"))
            fields["longitude"] = lon.quantize(Decimal("0.000001"))
            geometry.pop("type")
            geometry.pop("coordinates")
        else:
            item.notes.append(
                gettext("%(path)s: the point is not a longitude and latitude; kept.")
                % {"path": f"{path}.locations[0].geometry"}
            )
    if "place" in fields or "latitude" in fields:
        if location.get("id") != "1":
            item.notes.append(
                gettext("The location %(id)s is exported as location 1.")
                % {"id": location.get("id")}
            )
        # What is kept of it merges back into the exported location 1.
        location["id"] = "1"


def _plan_indicators(rest, language) -> list[dict]:
    forecasts = rest.get("forecasts")
    indicators = []
    if not isinstance(forecasts, list):
        return indicators
    for forecast in forecasts:
        if not (
            isinstance(forecast, dict) and INDICATOR_ID.match(str(forecast.get("id")))
        ):
            continue
        observations = {
            o.get("id"): o
            for o in forecast.get("observations") or []
            if isinstance(o, dict)
        }
        target = observations.get("target")
        title = _string(forecast.get("title"))
        target_value = _amount(target.get("measure")) if target else None
        if not title or target_value is None:
            continue
        baseline = observations.get("baseline")
        baseline_value = _amount(baseline.get("measure")) if baseline else None
        unit = ((target.get("unit") or {}).get("name")) or ""
        year = None
        end = mapping.given_date((target.get("period") or {}).get("endDate"))
        if end is not None:
            year = end.year
            target["period"].pop("endDate")
        for observation in (target, baseline):
            if observation:
                observation.pop("measure", None)
                if (observation.get("unit") or {}).get("name") == unit:
                    observation["unit"].pop("name")
        forecast.pop("title")
        indicators.append(
            {
                "name": title[:255],
                "unit": unit[:40],
                "baseline": baseline_value,
                "target": target_value,
                "target_year": year,
            }
        )
    return indicators


def _plan_contracting(rest, fields):
    processes = rest.get("contractingProcesses")
    if not isinstance(processes, list):
        return
    tenders = []
    for process in processes:
        if not isinstance(process, dict):
            continue
        summary = process.get("summary") or {}
        tender_id = _string(summary.get("externalReference")) or _string(
            process.get("id")
        )
        if not PROZORRO_TENDER.match(tender_id):
            continue
        tenders.append(tender_id)
        _pop_equal(summary, "ocid", f"{codelists.PROZORRO_OCID_PREFIX}{tender_id}")
        _pop_equal(summary, "externalReference", tender_id)
    fields["prozorro_ids"] = tenders


def edr_kind(identifier: str) -> str:
    """ "edrpou" (a legal entity's 8 digits), "individual" (10 digits: a person's
    taxpayer number, RNOKPP, whether or not its check digit is right), or ""."""
    if re.fullmatch(r"\d{8}", identifier) and is_valid_edrpou(identifier):
        return "edrpou"
    if re.fullmatch(r"\d{10}", identifier):
        return "individual"
    return ""


def _owner_party(parties: list, authority: dict):
    """The party `publicAuthority` points at, else the first with that role."""
    found = None
    for party in parties:
        if not isinstance(party, dict):
            continue
        if authority.get("id") and party.get("id") == authority.get("id"):
            return party
        if found is None and "publicAuthority" in (party.get("roles") or []):
            found = party
    return found


def _plan_owner(
    rest, fields, language, item: ProjectReport, lookups: Lookups
) -> Organization | None:
    """The directory organization that owns the project, or None: an import never
    adds an organization to the directory (staff do, from the project page)."""
    parties = rest.get("parties") if isinstance(rest.get("parties"), list) else []
    authority = rest.get("publicAuthority")
    authority = authority if isinstance(authority, dict) else {}
    owner_party = _owner_party(parties, authority)
    for party in parties:
        if not isinstance(party, dict):
            continue
        identifier = party.get("identifier")
        if isinstance(identifier, dict) and (
            identifier.get("scheme") == codelists.EDR_SCHEME
        ):
            _note_edr(identifier, party, item, lookups, owner=party is owner_party)
    if owner_party is None:
        item.notes.append(
            gettext(
                "No party has the publicAuthority role: the project has no owner "
                "until one is chosen."
            )
        )
        return None
    name = _string(owner_party.get("name")) or _string(authority.get("name"))
    identifier = owner_party.get("identifier")
    identifier = identifier if isinstance(identifier, dict) else {}
    edrpou = ""
    if (
        identifier.get("scheme") == codelists.EDR_SCHEME
        and edr_kind(_string(identifier.get("id"))) == "edrpou"
    ):
        edrpou = identifier["id"]
    organization = lookups.by_edrpou.get(edrpou) if edrpou else None
    if organization is None and name:
        organization = lookups.organization_named(name, language)
    contact = owner_party.get("contactPoint")
    contact = contact if isinstance(contact, dict) else {}
    if organization is None:
        # The party stays as it came (it is exported so); its contact is also the
        # project's contact on the page.
        for key, target, size in _CONTACT:
            value = _string(contact.get(key))
            if value and len(value) <= size:
                fields[target] = value
        item.notes.append(
            gettext(
                "The owner %(name)s is not in the directory: the project page shows "
                "it as not in the directory, for staff to add."
            )
            % {"name": name or owner_party.get("id") or "-"}
        )
        return None
    # Consume what the export writes back from the owner and the project's contact.
    original_id = owner_party.get("id")
    expected_id = mapping.party_id(organization)
    org_name = mapping.owner_name(organization, language)
    _pop_equal(owner_party, "name", org_name)
    if edrpou:
        identifier.pop("scheme")
        identifier.pop("id")
        _pop_equal(
            identifier, "legalName", mapping.owner_legal_name(organization, language)
        )
    roles = owner_party.get("roles")
    if isinstance(roles, list) and "publicAuthority" in roles:
        roles[roles.index("publicAuthority")] = None
    for key, target, size in _CONTACT:
        value = _string(contact.get(key))
        if value and len(value) <= size:
            fields[target] = value
            contact.pop(key)
    if original_id not in (None, expected_id):
        item.notes.append(
            gettext("%(name)s matched to the directory's %(organization)s.")
            % {"name": name or original_id, "organization": organization}
        )
    # Kept owner fields merge back into the exported owner party by its id.
    owner_party["id"] = expected_id
    if authority.get("id") in (None, original_id):
        authority.pop("id", None)
        _pop_equal(authority, "name", org_name)
        if authority.get("name") == name:
            authority.pop("name")
    return organization


_CONTACT = (
    ("name", "contact_name", 200),
    ("email", "contact_email", 254),
    ("telephone", "contact_phone", 32),
)


def _note_edr(
    identifier: dict, party: dict, item: ProjectReport, lookups: Lookups, *, owner
) -> str:
    value = _string(identifier.get("id"))
    kind = edr_kind(value)
    label = party.get("name") or party.get("id") or "-"
    if kind == "individual":
        if is_person_taxpayer_number(value):
            message = gettext(
                "%(name)s: the 10-digit UA-EDR id is a person's taxpayer number "
                "(RNOKPP): kept privately, never published, not matched to an "
                "organization."
            )
        else:
            message = gettext(
                "%(name)s: the 10-digit UA-EDR id fails the taxpayer number's check "
                "digit; kept privately, never published."
            )
        item.notes.append(message % {"name": label})
    elif kind == "edrpou" and not owner:
        organization = lookups.by_edrpou.get(value)
        if organization is not None:
            item.notes.append(
                gettext("%(name)s matched to the directory's %(organization)s.")
                % {"name": label, "organization": organization}
            )
    elif kind == "":
        item.notes.append(
            gettext("%(name)s: %(id)s is not a valid EDRPOU code; kept as it is.")
            % {"name": label, "id": value}
        )
    return kind


# Applying.


class PackageImport(Importer):
    """Projects are matched by their code (from the OC4IDS id); each is written in
    its own transaction, so one that cannot be saved is rejected and the rest stay.

    New projects come in as drafts unless `publish` (then they take the workflow
    status their projectStatus implies, or "published"); existing projects keep
    their workflow status and, where the phase did not change, their readiness."""

    row_transactions = True

    def apply(self, *, by=None, progress=None) -> ImportReport:
        """One transaction for the package (one commit). New projects are written in
        batches of BATCH_SIZE, a savepoint each (see create_projects); a batch that
        cannot be saved is written again one project at a time, so that only the
        project that fails is rejected. Existing projects are updated one at a time,
        a savepoint each."""
        with transaction.atomic():
            report, plans = self.plan()
            new = [plan for plan in plans if plan.action == Action.CREATE]
            creating = {id(plan) for plan in new}
            done = 0
            for start in range(0, len(new), BATCH_SIZE):
                batch = new[start : start + BATCH_SIZE]
                try:
                    with transaction.atomic():
                        create_projects(batch, by=by, publish=self.publish)
                except Exception:  # each project is retried alone, below
                    for plan in batch:
                        self._write(plan, by=by)
                done += len(batch)
                if progress:
                    progress(done)
            for plan in plans:
                if id(plan) in creating:
                    continue
                if plan.action == Action.UPDATE:
                    self._write(plan, by=by)
                done += 1
                if progress:
                    progress(done)
            report.applied = True
            self.applied(report, by=by)
        return report

    def __init__(self, data, *, language: str | None, publish: bool = False):
        self.data = data
        self.language = language
        self.publish = publish

    def plan(self) -> tuple[ImportReport, list[Plan]]:
        return _plan_package(self.data, language=self.language)

    def write(self, plan: Plan, *, by) -> None:
        project = _apply(plan, by=by, publish=self.publish)
        plan.report.project_pk = project.pk
        audit.record(
            AUDIT_ACTION,
            project,
            actor=by,
            result=plan.report.action,
            language=plan.language,
        )

    def write_failed(self, plan: Plan, error: Exception) -> None:
        plan.report.action = Action.REJECT
        plan.report.reasons.append(
            gettext("Could not be saved: %(error)s") % {"error": error}
        )


def check_package(data, *, language: str | None = None) -> ImportReport:
    """The dry run: what importing `data` would do (nothing is written)."""
    return PackageImport(data, language=language).check()


def apply_package(
    data, *, language: str | None = None, by=None, publish: bool = False
) -> ImportReport:
    """Import the package: create or update every project the dry run accepts."""
    return PackageImport(data, language=language, publish=publish).apply(by=by)


# New projects written per statement (and per savepoint) by the bulk path.
BATCH_SIZE = 500
AUDIT_ACTION = "investments.project.oc4ids_import"


def _slug_base(title: str, code: str) -> str:
    return slugify(translit(title))[:100].strip("-") or slugify(code) or "project"


def _unique_slugs(bases: list[str]) -> list[str]:
    """A free slug for each base (as _unique_slug gives), with two queries for the
    whole list rather than one or more per project."""
    taken = set(
        InvestmentProject.objects.filter(slug__in=set(bases)).values_list(
            "slug", flat=True
        )
    )
    counted: dict[str, int] = {}
    for base in bases:
        counted[base] = counted.get(base, 0) + 1
    crowded = [base for base in counted if base in taken or counted[base] > 1]
    for base in crowded:
        taken.update(
            InvestmentProject.objects.filter(slug__startswith=f"{base}-").values_list(
                "slug", flat=True
            )
        )
    slugs = []
    for base in bases:
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _new_project(plan: Plan, slug: str, *, by, publish: bool, now):
    """The unsaved InvestmentProject a plan creates (as _apply makes it), and the
    notes to add to its report once it is stored."""
    fields = dict(plan.fields)
    language = plan.language
    fields.pop("_oc4ids_status", None)
    notes = []
    project = InvestmentProject(code=plan.report.code, created_by=by, slug=slug)
    if language == "en":
        project.title_uk = fields[f"title_{language}"]
        notes.append(gettext("No Ukrainian title yet: the English one stands in."))
    if publish:
        project.status = plan.workflow_status or InvestmentProject.Status.PUBLISHED
        project.published_at = now
    project.owner = plan.owner
    for name, value in fields.items():
        setattr(project, name, value)
    extra = {}
    if plan.foreign_id:
        extra["id"] = plan.foreign_id
    if plan.residue:
        extra[language] = plan.residue
    project.oc4ids_extra = extra
    project.updated_by = by
    project.created_at = now
    project.updated_at = plan.updated or now
    project.refresh_search_document()
    return project, notes


def _new_rows(project: InvestmentProject, plan: Plan) -> dict[type, list]:
    """The budget lines, indicators and funding sources of a new project, stored
    (unsaved, held in its prefetch cache for the quality checks and the mapping)."""
    language = plan.language
    lines = [
        BudgetLine(
            project=project,
            category=values["category"],
            kind=values["kind"],
            amount=values["amount"],
            currency=values["currency"],
            **{f"description_{language}": values["description"][:255]},
        )
        for values in plan.budget_lines
    ]
    indicators = []
    for values in plan.indicators:
        indicator = Indicator(
            project=project, **{key: values[key] for key in INDICATOR_VALUES}
        )
        setattr(indicator, f"name_{language}", values["name"])
        indicator.name_uk = indicator.name_uk or values["name"]
        indicators.append(indicator)
    sources = [
        FundingSource(project=project, **values) for values in plan.funding_sources
    ]
    rows = {BudgetLine: lines, Indicator: indicators, FundingSource: sources}
    for name, model in (
        ("budget_lines", BudgetLine),
        ("indicators", Indicator),
        ("funding_sources", FundingSource),
    ):
        _cached(project, name, model, rows[model])
    _cached(project, "documents", ProjectDocument, [])
    _cached(project, "photos", ProjectPhoto, [])
    return rows


def create_projects(plans: list[Plan], *, by, publish: bool) -> None:
    """Write the new projects of `plans` in bulk: a few statements for the whole
    list (projects, their rows, their history, the audit log, the caches' signal)
    rather than a dozen per project. What a project stores is what `_apply` stores
    for it. Call inside a transaction; the plans' reports are completed only once
    everything is written."""
    from investments.signals import projects_created

    now = timezone.now()
    slugs = _unique_slugs(
        [
            _slug_base(
                plan.fields.get("title_en") or plan.fields[f"title_{plan.language}"]
                if plan.language == "en"
                else plan.fields[f"title_{plan.language}"],
                plan.report.code,
            )
            for plan in plans
        ]
    )
    projects, notes = [], []
    for plan, slug in zip(plans, slugs, strict=True):
        project, project_notes = _new_project(
            plan, slug, by=by, publish=publish, now=now
        )
        projects.append(project)
        notes.append(project_notes)
    # The projects' own columns are computed from their rows (the quality warnings,
    # the kept original's digest), which need the projects' ids: on PostgreSQL the
    # ids are taken first and each project is written once (COPY); elsewhere the
    # projects are inserted, then updated in one statement per batch.
    keyed = bulk.reserve_pks(InvestmentProject, projects)
    if not keyed:
        stamps = [project.updated_at for project in projects]
        InvestmentProject.objects.bulk_create(projects, batch_size=BATCH_SIZE)
        for project, stamp in zip(projects, stamps, strict=True):
            project.updated_at = stamp  # not bulk_create's auto_now
    rows = {BudgetLine: [], Indicator: [], FundingSource: []}
    with money.rates_held():
        for project, plan in zip(projects, plans, strict=True):
            for model, items in _new_rows(project, plan).items():
                rows[model].extend(items)
            project.quality_warnings = quality.check_project(project)
            # What the export makes of the project now (as in _apply).
            project.oc4ids_original = {
                plan.language: {
                    "project": plan.original,
                    "digest": mapping.digest(
                        mapping.mapped_project(project, plan.language)
                    ),
                }
            }
    if keyed:
        bulk.insert_instances(InvestmentProject, projects, now=None)
    else:
        InvestmentProject.objects.bulk_update(
            projects,
            ["updated_at", "oc4ids_original", "quality_warnings"],
            batch_size=BATCH_SIZE,
        )
    for model, items in rows.items():
        if items:
            model.objects.bulk_create(items, batch_size=BATCH_SIZE)
    ProjectChange.objects.bulk_create(
        [
            ProjectChange(
                project=project,
                kind=ProjectChange.Kind.CREATED,
                changed_by=by,
                note=gettext("Imported from an OC4IDS package (%(language)s).")
                % {"language": plan.language},
                version=project.version,
                to_status=project.status,
            )
            for project, plan in zip(projects, plans, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    languages = {
        project.pk: plan.language for project, plan in zip(projects, plans, strict=True)
    }
    audit.record_each(
        AUDIT_ACTION,
        projects,
        actor=by,
        details_of=lambda project: {
            "result": Action.CREATE,
            "language": languages[project.pk],
        },
    )
    projects_created.send(sender=InvestmentProject, projects=projects)
    for project, plan, project_notes in zip(projects, plans, notes, strict=True):
        plan.report.project_pk = project.pk
        plan.report.notes.extend(project_notes)


def _unique_slug(title: str, code: str) -> str:
    base = _slug_base(title, code)
    slug, n = base, 1
    while InvestmentProject.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _apply(plan: Plan, *, by, publish: bool) -> InvestmentProject:
    fields = dict(plan.fields)
    language = plan.language
    oc4ids_status = fields.pop("_oc4ids_status", None)
    project = None
    if plan.report.project_pk is not None:
        project = (
            InvestmentProject.objects.select_for_update()
            .filter(pk=plan.report.project_pk)
            .first()
        )
    created = project is None
    if created:
        project = InvestmentProject(code=plan.report.code, created_by=by)
        title = fields[f"title_{language}"]
        project.slug = _unique_slug(
            fields.get("title_en") or title if language == "en" else title,
            plan.report.code,
        )
        if language == "en":
            # The Ukrainian title is required: the English one stands in until
            # someone translates it.
            project.title_uk = title
            plan.report.notes.append(
                gettext("No Ukrainian title yet: the English one stands in.")
            )
        if publish:
            project.status = plan.workflow_status or InvestmentProject.Status.PUBLISHED
            project.published_at = timezone.now()
    elif oc4ids_status and mapping.oc4ids_status(project) == oc4ids_status:
        fields.pop("readiness", None)  # same phase: keep the finer readiness stage
    if plan.owner is not None or created:
        project.owner = plan.owner
    for name, value in fields.items():
        setattr(project, name, value)
    extra = dict(project.oc4ids_extra or {})
    if plan.foreign_id:
        extra["id"] = plan.foreign_id
    if plan.residue:
        extra[language] = plan.residue
    else:
        extra.pop(language, None)
    project.oc4ids_extra = extra
    if not created:
        project.version += 1
    project.updated_by = by
    project.save()
    if created:
        _create_rows(project, plan)
    else:
        _apply_rows(project, plan)
    project.quality_warnings = quality.check_project(project)
    if plan.updated is not None:
        project.updated_at = plan.updated
    # What the export makes of the project now: the original goes out again for
    # every part whose mapping still gives this (see mapping.project_to_oc4ids).
    original = dict(project.oc4ids_original or {})
    original[language] = {
        "project": plan.original,
        "digest": mapping.digest(mapping.mapped_project(project, language)),
    }
    project.oc4ids_original = original
    # One UPDATE for the import's time, the kept original and the quality warnings
    # (what services.refresh_quality stores).
    InvestmentProject.objects.filter(pk=project.pk).update(
        updated_at=project.updated_at,
        oc4ids_original=original,
        quality_warnings=project.quality_warnings,
    )
    ProjectChange.objects.create(
        project=project,
        kind=ProjectChange.Kind.CREATED if created else ProjectChange.Kind.EDITED,
        changed_by=by,
        note=gettext("Imported from an OC4IDS package (%(language)s).")
        % {"language": language},
        version=project.version,
        to_status=project.status if created else "",
    )
    return project


def _cached(project: InvestmentProject, name: str, model, rows: list) -> None:
    """Let `project.<name>.all()` answer from `rows` without a query (as a
    prefetch would): the quality checks and the export's mapping read them next
    (`all()` only: the queryset stands for the rows, it filters nothing)."""
    queryset = model.objects.none()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    cache = getattr(project, "_prefetched_objects_cache", None)
    if cache is None:
        cache = project._prefetched_objects_cache = {}
    cache[name] = queryset


INDICATOR_VALUES = ("unit", "baseline", "target", "target_year")


def _create_rows(project: InvestmentProject, plan: Plan) -> None:
    """The rows of a new project, one INSERT per kind (the instances held in the
    project's prefetch cache get their keys)."""
    for model, rows in _new_rows(project, plan).items():
        if rows:
            model.objects.bulk_create(rows)


def _apply_rows(project: InvestmentProject, plan: Plan) -> None:
    """Budget lines and indicators are matched by position (so the other language's
    texts stay); funding sources have no texts and are replaced."""
    language = plan.language
    lines = list(project.budget_lines.all())
    for index, values in enumerate(plan.budget_lines):
        line = lines[index] if index < len(lines) else BudgetLine(project=project)
        line.category = values["category"]
        line.kind = values["kind"]
        line.amount = values["amount"]
        line.currency = values["currency"]
        setattr(line, f"description_{language}", values["description"][:255])
        line.save()
    BudgetLine.objects.filter(
        pk__in=[x.pk for x in lines[len(plan.budget_lines) :]]
    ).delete()

    indicators = list(project.indicators.all())
    for index, values in enumerate(plan.indicators):
        indicator = (
            indicators[index] if index < len(indicators) else Indicator(project=project)
        )
        setattr(indicator, f"name_{language}", values["name"])
        if not indicator.name_uk:
            indicator.name_uk = values["name"]
        for key in ("unit", "baseline", "target", "target_year"):
            setattr(indicator, key, values[key])
        indicator.save()
    Indicator.objects.filter(
        pk__in=[x.pk for x in indicators[len(plan.indicators) :]]
    ).delete()

    project.funding_sources.all().delete()
    FundingSource.objects.bulk_create(
        FundingSource(project=project, **values) for values in plan.funding_sources
    )
