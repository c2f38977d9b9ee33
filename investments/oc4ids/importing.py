"""Importing an OC4IDS project package into the portfolio.

`check_package(data, language=...)` is the dry run: it maps every project onto the
portfolio's fields without writing, and reports for each project what it would do
(create, update or reject, with the reasons), every JSON path it could not map, and
notes (organizations matched or to be created, identifiers kept). `apply_package`
writes the projects that were not rejected.

Nothing is lost silently: what has no column is kept verbatim, per language, in
`InvestmentProject.oc4ids_extra` (`{"id": <foreign id>, "uk": {...}, "en": {...}}`,
each a "residue" shaped like an OC4IDS project) and merged back by the export.
Projects are matched by id (`<prefix>-<code>` -> code; a foreign id is the code
itself), so importing twice updates rather than duplicates.

Parties with a `UA-EDR` identifier are matched to directory organizations by EDRPOU.
A 10-digit `UA-EDR` id is an individual's taxpayer number (RNTRC): accepted and kept
with the party, never matched to an organization, never a reason to reject.
"""

import copy
import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
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
    parse_json,
    read_text,
)
from directory.models import Organization, Place
from directory.services import unique_organization_slug
from directory.validators import is_valid_edrpou
from investments.choices import SDGS, Instrument, StrategyArea
from investments.models import (
    BudgetLine,
    FundingSource,
    Indicator,
    InvestmentProject,
    ProjectChange,
    validate_period,
)
from investments.services import refresh_quality

from . import codelists, mapping

LANGUAGES = ("uk", "en")
BUDGET_LINE_ID = re.compile(
    r"^(?P<category>[a-z]+)-(?P<kind>capex|opex)-(?P<index>\d+)$"
)
SECURED_ID = re.compile(r"^secured-(?P<instrument>[a-z]+)-\d+$")
INDICATOR_ID = re.compile(r"^indicator-\d+$")
PROZORRO_TENDER = re.compile(r"^UA-\d{4}-\d{2}-\d{2}-\d{6}-[a-z]$")
CODE_MAX = InvestmentProject._meta.get_field("code").max_length

# The file is not an OC4IDS project package at all.
PackageError = ImportFileError


@dataclass
class OwnerPlan:
    """The directory organization that owns a project: found, or to be created."""

    organization: Organization | None
    name: str = ""
    edrpou: str = ""
    legal_name: str = ""


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
    owner: OwnerPlan
    budget_lines: list[dict]
    funding_sources: list[dict]
    indicators: list[dict]
    residue: dict
    foreign_id: str | None
    updated: datetime.datetime | None
    workflow_status: str | None

    @property
    def action(self) -> str:
        return self.report.action


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


def _value(value: dict | None, path: str, *, required: bool = False):
    """(amount, currency) of an OC4IDS Value; Rejected when unusable."""
    if not isinstance(value, dict):
        if required:
            raise Rejected(gettext("%(path)s is missing.") % {"path": path})
        return None, None
    amount = _amount(value.get("amount"))
    currency = value.get("currency")
    if amount is None or amount < 0:
        raise Rejected(
            gettext("%(path)s.amount is not a positive number.") % {"path": path}
        )
    if currency not in codelists.CURRENCIES:
        raise Rejected(
            gettext(
                "%(path)s.currency %(currency)s is not one the portfolio keeps "
                "(UAH, USD, EUR)."
            )
            % {"path": path, "currency": currency}
        )
    value.pop("amount")
    value.pop("currency")
    return amount, currency


def _pop_equal(obj: dict, key: str, expected) -> None:
    """Consume obj[key] when it says what the export would write anyway."""
    if key in obj and obj[key] == expected:
        obj.pop(key)


def _prune(value):
    """Drop what was consumed: empty containers, and id-only objects (their id only
    served to say which object was mapped)."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        pruned = {k: v for k, v in pruned.items() if v not in ({}, [], None)}
        if set(pruned) == {"id"} and "id" in value and len(value) > 1:
            return {}
        return pruned
    if isinstance(value, list):
        items = [_prune(v) for v in value]
        return [v for v in items if v not in ({}, [], None)]
    return value


def _paths(value, prefix: str) -> list[str]:
    """The JSON paths of every leaf left in a residue (ids of kept objects are not
    listed on their own, the object's other fields are)."""
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
            paths.extend(_paths(item, f"{prefix}[{index}]"))
        return paths or [prefix]
    return [prefix]


# The package.


def read_package(content: bytes):
    """The JSON in an uploaded file; PackageError when it is not UTF-8 JSON."""
    return parse_json(read_text(content, allow_cp1251=False))


def load_package(data) -> dict:
    """The package as a dict; PackageError when it is not one."""
    if not isinstance(data, dict):
        raise PackageError(gettext("The file is not a JSON object."))
    projects = data.get("projects")
    if not isinstance(projects, list):
        raise PackageError(
            gettext(
                "The file is not an OC4IDS project package: it has no projects list."
            )
        )
    return data


def _plan_package(data, *, language: str | None) -> tuple[ImportReport, list[Plan]]:
    data = load_package(data)
    if language is not None and language not in LANGUAGES:
        raise PackageError(gettext("The language must be uk or en."))
    report = ImportReport(language=language or "")
    package_rest = {
        key: value
        for key, value in data.items()
        if key
        not in ("uri", "publishedDate", "publisher", "version", "projects", "license")
    }
    report.unmapped_package = _paths(package_rest, "$") if package_rest else []
    plans = []
    seen = set()
    for index, raw in enumerate(data["projects"]):
        item = ProjectReport(index=index)
        report.rows.append(item)
        try:
            plan = _plan_project(raw, index, item, language, seen)
        except Rejected as reason:
            item.action = Action.REJECT
            item.reasons.append(str(reason))
            continue
        plans.append(plan)
    return report, plans


def _plan_project(raw, index, item: ProjectReport, language, seen) -> Plan:
    path = f"projects[{index}]"
    if not isinstance(raw, dict):
        raise Rejected(gettext("The project is not a JSON object."))
    rest = copy.deepcopy(raw)
    oc4ids_id = _string(rest.pop("id", None))
    if not oc4ids_id:
        raise Rejected(gettext("The project has no id."))
    item.oc4ids_id = oc4ids_id
    if oc4ids_id in seen:
        raise Rejected(gettext("Another project in this package has the same id."))
    seen.add(oc4ids_id)
    code, own = mapping.code_from_id(oc4ids_id)
    if len(code) > CODE_MAX:
        raise Rejected(
            gettext("The id is longer than %(max)s characters.") % {"max": CODE_MAX}
        )
    item.code = code

    stated = rest.get("language")
    language = language or (stated if stated in LANGUAGES else "uk")
    if stated == language:
        rest.pop("language")
    elif stated is not None:
        item.notes.append(
            gettext(
                "The project says its language is %(stated)s; read as %(language)s."
            )
            % {"stated": stated, "language": language}
        )
    title = _string(rest.pop("title", None))
    if not title:
        raise Rejected(gettext("The project has no title."))
    item.title = title
    fields = {f"title_{language}": title}
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
            raise Rejected(
                gettext(
                    "The status %(value)s is not in the closed projectStatus codelist."
                )
                % {"value": status}
            )
        readiness = codelists.STATUS_TO_READINESS[status]
        if readiness:
            fields["readiness"] = readiness
        fields["_oc4ids_status"] = status
        workflow_status = codelists.STATUS_TO_WORKFLOW.get(status)
    project_type = rest.pop("type", None)
    if project_type is not None:
        if project_type not in codelists.PROJECT_TYPES:
            raise Rejected(
                gettext("The type %(value)s is not in the closed projectType codelist.")
                % {"value": project_type}
            )
        fields["project_type"] = project_type

    _plan_sector(rest, fields)
    _plan_identifiers(rest, fields)
    _plan_period(rest, fields)
    budget_lines, funding_sources = _plan_budget(rest, fields, language, path)
    _plan_classifications(rest, fields)
    _plan_location(rest, fields, language, item, path)
    indicators = _plan_indicators(rest, language)
    _plan_contracting(rest, fields)
    owner = _plan_owner(rest, fields, language, item)

    residue = _prune(rest)
    item.unmapped = _paths(residue, path) if residue else []
    existing = InvestmentProject.objects.filter(code=code).only("pk").first()
    item.action = Action.UPDATE if existing else Action.CREATE
    item.project_pk = existing.pk if existing else None
    return Plan(
        report=item,
        fields=fields,
        language=language,
        owner=owner,
        budget_lines=budget_lines,
        funding_sources=funding_sources,
        indicators=indicators,
        residue=residue,
        foreign_id=None if own else oc4ids_id,
        updated=updated,
        workflow_status=workflow_status,
    )


def _plan_sector(rest, fields):
    sector = rest.get("sector")
    if not isinstance(sector, list):
        return
    codes = [code for code in sector if isinstance(code, str) and code]
    left = [code for code in sector if not (isinstance(code, str) and code)]
    # Parents the export adds back for each subsector are not stored twice.
    fields["project_sector"] = [
        code
        for code in dict.fromkeys(codes)
        if not any(other.startswith(f"{code}.") for other in codes)
    ]
    if left:
        rest["sector"] = left
    else:
        rest.pop("sector")


def _plan_identifiers(rest, fields):
    identifiers = rest.get("identifiers")
    if not isinstance(identifiers, list):
        return
    dream, left = [], []
    for identifier in identifiers:
        if (
            isinstance(identifier, dict)
            and identifier.get("scheme") == codelists.DREAM_SCHEME
            and _string(identifier.get("id"))
            and set(identifier) <= {"id", "scheme"}
        ):
            dream.append(identifier["id"].strip())
        else:
            left.append(identifier)
    fields["dream_ids"] = dream
    rest["identifiers"] = left


def _plan_period(rest, fields):
    period = rest.get("period")
    if not isinstance(period, dict):
        return
    for key, target in (("startDate", "starts_on"), ("endDate", "ends_on")):
        parsed = mapping.parse_date_time(period.get(key))
        if parsed is not None:
            fields[target] = mapping.local_date(parsed)
            period.pop(key)
    starts, ends = fields.get("starts_on"), fields.get("ends_on")
    try:
        validate_period(starts, ends)
    except ValidationError as error:
        raise Rejected(" ".join(error.messages)) from None
    if starts and ends:
        _pop_equal(period, "durationInDays", (ends - starts).days)


def _plan_budget(rest, fields, language, path):
    budget = rest.get("budget")
    lines, sources = [], []
    if not isinstance(budget, dict):
        fields["total_cost"] = Decimal(0)
        return lines, sources
    amount, currency = _value(budget.get("amount"), f"{path}.budget.amount")
    fields["total_cost"] = amount if amount is not None else Decimal(0)
    if currency:
        fields["currency"] = currency
    with translation.override(language):
        group_description = gettext("Cost by category (CAPEX/OPEX)")
        sought_title = gettext("Financing sought")
        sought_description = gettext("Financing the city seeks from investors.")
    for group in budget.get("budgetBreakdowns") or []:
        if not (isinstance(group, dict) and group.get("id") == "cost-categories"):
            continue
        _pop_equal(group, "description", group_description)
        for line in group.get("budgetBreakdown") or []:
            match = BUDGET_LINE_ID.match(str(line.get("id", "")))
            if not (match and match["category"] in BudgetLine.Category.values):
                continue
            value, line_currency = _value(
                line.get("amount"),
                f"{path}.budget.budgetBreakdowns.amount",
                required=True,
            )
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
    for entry in budget.get("finance") or []:
        if not isinstance(entry, dict):
            continue
        if entry.get("id") == "sought":
            value, sought_currency = _value(
                entry.get("value"), f"{path}.budget.finance.value", required=True
            )
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
        value, source_currency = _value(
            entry.get("value"), f"{path}.budget.finance.value", required=True
        )
        secured = mapping.parse_date_time((entry.get("period") or {}).get("startDate"))
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
                "secured_on": mapping.local_date(secured) if secured else None,
            }
        )
    fields.setdefault("financing_sought", Decimal(0))
    return lines, sources


def _plan_classifications(rest, fields):
    items = rest.get("additionalClassifications")
    if not isinstance(items, list):
        return
    sdgs, instruments, left = [], [], []
    for item in items:
        scheme = item.get("scheme") if isinstance(item, dict) else None
        code = str(item.get("id", "")) if isinstance(item, dict) else ""
        if scheme == codelists.SDG_SCHEME and code.isdigit() and int(code) in SDGS:
            sdgs.append(int(code))
        elif scheme == codelists.INSTRUMENT_SCHEME and code in Instrument.values:
            instruments.append(code)
        elif scheme == codelists.STRATEGY_AREA_SCHEME and code in StrategyArea.values:
            fields["strategy_area"] = code
        else:
            left.append(item)
            continue
        # The description is the code's label, rewritten by the export.
        extra = {
            k: v for k, v in item.items() if k not in ("scheme", "id", "description")
        }
        if extra:
            left.append({"scheme": scheme, "id": code, **extra})
    fields["sdgs"] = sdgs
    fields["instruments"] = instruments
    rest["additionalClassifications"] = left


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
            gazetteer["identifiers"] = codes[1:]
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
    if location.get("id") != "1" and ("place" in fields or "latitude" in fields):
        item.notes.append(
            gettext("The location %(id)s is exported as location 1.")
            % {"id": location.get("id")}
        )
    location.pop("id", None)


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
        end = mapping.parse_date_time((target.get("period") or {}).get("endDate"))
        if end is not None:
            year = mapping.local_date(end).year
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
    """ "edrpou" (a legal entity's 8 digits), "individual" (10-digit taxpayer number),
    or "" (anything else)."""
    if re.fullmatch(r"\d{8}", identifier) and is_valid_edrpou(identifier):
        return "edrpou"
    if re.fullmatch(r"\d{10}", identifier):
        return "individual"
    return ""


def _plan_owner(rest, fields, language, item: ProjectReport) -> OwnerPlan:
    parties = rest.get("parties") if isinstance(rest.get("parties"), list) else []
    authority = rest.get("publicAuthority") or {}
    owner_party = None
    for party in parties:
        if not isinstance(party, dict):
            continue
        if authority.get("id") and party.get("id") == authority.get("id"):
            owner_party = party
            break
        if owner_party is None and "publicAuthority" in (party.get("roles") or []):
            owner_party = party
    # Other parties: matched for the report, kept as they are.
    for party in parties:
        if party is owner_party or not isinstance(party, dict):
            continue
        identifier = party.get("identifier") or {}
        if identifier.get("scheme") == codelists.EDR_SCHEME:
            _note_edr(identifier, party, item)
    if owner_party is None:
        raise Rejected(gettext("No party has the publicAuthority role (the owner)."))
    name = _string(owner_party.get("name")) or _string(authority.get("name"))
    identifier = owner_party.get("identifier") or {}
    edrpou = ""
    if identifier.get("scheme") == codelists.EDR_SCHEME:
        kind = _note_edr(identifier, owner_party, item)
        if kind == "edrpou":
            edrpou = identifier["id"]
    organization = None
    if edrpou:
        organization = Organization.objects.alive().filter(edrpou=edrpou).first()
    if organization is None and name:
        organization = (
            Organization.objects.alive()
            .filter(**{f"name_{language}__iexact": name})
            .order_by("pk")
            .first()
        )
    if organization is None and not name:
        raise Rejected(gettext("The public authority (the owner) has no name."))
    if organization is None:
        item.notes.append(
            gettext(
                "The owner %(name)s is not in the directory: it will be added, "
                "awaiting verification."
            )
            % {"name": name}
        )
    legal_name = _string(identifier.get("legalName")) if edrpou else ""
    plan = OwnerPlan(
        organization=organization, name=name, edrpou=edrpou, legal_name=legal_name
    )
    # Consume what the export writes back from the owner and the project's contact.
    original_id = owner_party.get("id")
    if organization is not None:
        expected_id = mapping.party_id(organization)
        org_name = getattr(organization, f"name_{language}", "") or str(organization)
        org_legal = organization.name_uk
    else:
        expected_id = f"{codelists.EDR_SCHEME}-{edrpou}" if edrpou else None
        org_name = name
        org_legal = legal_name or name
        if language == "uk" and legal_name and legal_name != name:
            org_name = legal_name  # the new organization is named by its legal name
    _pop_equal(owner_party, "name", org_name)
    if edrpou:
        identifier.pop("scheme")
        identifier.pop("id")
        _pop_equal(identifier, "legalName", org_legal)
    roles = owner_party.get("roles") or []
    if "publicAuthority" in roles:
        roles.remove("publicAuthority")
    contact = owner_party.get("contactPoint") or {}
    for key, target, size in (
        ("name", "contact_name", 200),
        ("email", "contact_email", 254),
        ("telephone", "contact_phone", 32),
    ):
        value = _string(contact.get(key))
        if value and len(value) <= size:
            fields[target] = value
            contact.pop(key)
    if expected_id and original_id not in (None, expected_id):
        item.notes.append(
            gettext("The owner's party id %(old)s is exported as %(new)s.")
            % {"old": original_id, "new": expected_id}
        )
    # Kept owner fields merge back into the exported owner party by its id.
    if expected_id:
        owner_party["id"] = expected_id
    else:
        owner_party.pop("id", None)
    if authority.get("id") in (None, original_id):
        authority.pop("id", None)
        _pop_equal(authority, "name", org_name)
        if authority.get("name") == name:
            authority.pop("name")
    return plan


def _note_edr(identifier: dict, party: dict, item: ProjectReport) -> str:
    value = _string(identifier.get("id"))
    kind = edr_kind(value)
    if kind == "individual":
        item.notes.append(
            gettext(
                "%(name)s: the 10-digit UA-EDR id is an individual's taxpayer number; "
                "kept with the party, not matched to an organization."
            )
            % {"name": party.get("name") or value}
        )
    elif kind == "edrpou":
        organization = Organization.objects.alive().filter(edrpou=value).first()
        if organization is not None:
            item.notes.append(
                gettext("%(name)s matched to the directory's %(organization)s.")
                % {"name": party.get("name") or value, "organization": organization}
            )
    else:
        item.notes.append(
            gettext("%(name)s: %(id)s is not a valid EDRPOU code; kept as it is.")
            % {"name": party.get("name") or value, "id": value}
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
            "investments.project.oc4ids_import",
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


def _owner(plan: Plan, by) -> Organization:
    if plan.owner.organization is not None:
        return plan.owner.organization
    if plan.owner.edrpou:
        found = Organization.objects.filter(edrpou=plan.owner.edrpou).first()
        if found:
            return found
    name = plan.owner.name
    name_uk = plan.owner.legal_name or name
    organization = Organization.objects.create(
        slug=unique_organization_slug(name_uk),
        name_uk=name_uk,
        name_en=name if plan.language == "en" else "",
        kind=Organization.Kind.CITY_BODY,
        edrpou=plan.owner.edrpou or None,
        verification=Organization.Verification.PENDING,
    )
    audit.record("organization.created", organization, actor=by, source="oc4ids")
    return organization


def _unique_slug(title: str, code: str) -> str:
    base = slugify(translit(title))[:100].strip("-") or slugify(code) or "project"
    slug, n = base, 1
    while InvestmentProject.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _apply(plan: Plan, *, by, publish: bool) -> InvestmentProject:
    fields = dict(plan.fields)
    language = plan.language
    oc4ids_status = fields.pop("_oc4ids_status", None)
    project = (
        InvestmentProject.objects.select_for_update()
        .filter(code=plan.report.code)
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
    project.owner = _owner(plan, by)
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
    _apply_rows(project, plan)
    refresh_quality(project)
    if plan.updated is not None:
        InvestmentProject.objects.filter(pk=project.pk).update(updated_at=plan.updated)
        project.updated_at = plan.updated
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
