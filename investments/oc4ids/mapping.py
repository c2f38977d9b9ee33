"""One investment project to an OC4IDS 0.9 project object, and the helpers the import
shares (ids, dates, amounts, merging kept data back in).

The table of what goes where is in docs/oc4ids.md. Rules the standard asks for:
- every date is a full RFC 3339 date-time with an offset (a calendar date becomes
  midnight in the city's time zone);
- `status` and `type` come from closed codelists (see `codelists`);
- empty values are left out (the schema's minLength/minItems);
- only OPEN documents, never limited or restricted ones;
- data an import could not map (`oc4ids_extra`) is merged back in, so nothing is lost.
"""

import copy
import datetime
import hashlib
import json
import mimetypes
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext

from core.translation import translated
from directory.validators import is_person_taxpayer_number
from investments.models import BudgetLine, InvestmentProject, ProjectDocument

from . import codelists

DEFAULT_PREFIX = "oc4ids-xxxxxx"


# Identifiers.


def id_prefix() -> str:
    """The publisher's registered OC4IDS project id prefix (a setting)."""
    return getattr(settings, "MIST_OC4IDS_PREFIX", DEFAULT_PREFIX) or DEFAULT_PREFIX


def project_id(project: InvestmentProject) -> str:
    """`<prefix>-<code>`, or the id the project came with from another publisher."""
    return project.oc4ids_extra.get("id") or f"{id_prefix()}-{project.code}"


def code_from_id(oc4ids_id: str) -> tuple[str, bool]:
    """The project code for an OC4IDS id, and whether the id is this publisher's."""
    own = f"{id_prefix()}-"
    if oc4ids_id.startswith(own) and len(oc4ids_id) > len(own):
        return oc4ids_id[len(own) :], True
    return oc4ids_id, False


def party_id(organization) -> str:
    if organization.edrpou:
        return f"{codelists.EDR_SCHEME}-{organization.edrpou}"
    return f"mist-organization-{organization.slug}"


# Values.


def city_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def date_time(value) -> str | None:
    """RFC 3339 with an offset: instants in UTC, dates midnight in the city's time
    zone."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        # The same instant always reads the same (the database gives UTC back).
        return value.astimezone(datetime.UTC).isoformat()
    return datetime.datetime.combine(
        value, datetime.time(), tzinfo=city_zone()
    ).isoformat()


def parse_date_time(value) -> datetime.datetime | None:
    """An aware datetime from an RFC 3339 string (a bare date is midnight, city time);
    None when it is not one."""
    if not isinstance(value, str):
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=city_zone())
    return parsed


def local_date(value: datetime.datetime) -> datetime.date:
    return value.astimezone(city_zone()).date()


def given_date(value) -> datetime.date | None:
    """The calendar date a date or date-time string gives, as written (the
    publisher's own day, whatever its offset); None when it is not one."""
    if parse_date_time(value) is None:
        return None
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def number(value: Decimal):
    """A JSON number: an int when whole, else a float (OC4IDS amounts are numbers)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def money(amount, currency) -> dict | None:
    if amount is None or not currency:
        return None
    return {"amount": number(amount), "currency": currency}


def text_in(obj, field: str, language: str) -> str:
    """The text of `field` in `language` only (no fallback): a package has one
    language, so a missing translation is left out rather than mislabelled."""
    return (getattr(obj, f"{field}_{language}", "") or "").strip()


def compact(value):
    """Drop None, empty strings, lists and dicts, recursively (minLength/minItems)."""
    if isinstance(value, dict):
        items = ((k, compact(v)) for k, v in value.items())
        return {k: v for k, v in items if v not in (None, "", [], {})}
    if isinstance(value, list):
        items = (compact(v) for v in value)
        return [v for v in items if v not in (None, "", [], {})]
    return value


def absolute(path: str, base_url: str) -> str:
    return f"{base_url.rstrip('/')}{path}"


def reverse_or_none(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


# Merging data kept by an import back into an exported project.

# Arrays whose objects carry a local `id`: kept items merge into mapped ones by id.
ID_ARRAYS = {
    "parties",
    "documents",
    "locations",
    "forecasts",
    "metrics",
    "budgetBreakdowns",
    "budgetBreakdown",
    "finance",
    "contractingProcesses",
    "relatedProjects",
    "observations",
    "milestones",
    "transactions",
}


def merge(mapped, kept, key: str = ""):
    """Deep-merge `kept` (the import's unmapped residue) into `mapped`."""
    if isinstance(mapped, dict) and isinstance(kept, dict):
        result = dict(mapped)
        for name, value in kept.items():
            result[name] = merge(result[name], value, name) if name in result else value
        return result
    if isinstance(mapped, list) and isinstance(kept, list):
        result = list(mapped)
        by_id = {}
        if key in ID_ARRAYS:
            by_id = {
                item["id"]: index
                for index, item in enumerate(result)
                if isinstance(item, dict) and "id" in item
            }
        for item in kept:
            if isinstance(item, dict) and item.get("id") in by_id:
                index = by_id[item["id"]]
                result[index] = merge(result[index], item)
            elif item not in result:
                result.append(item)
        return result
    # A kept scalar is the source's own value, which the mapping did not consume.
    return kept


# The export of one project.


def mapped_project(
    project: InvestmentProject, language: str, *, base_url: str | None = None
) -> dict:
    """What Mist's own columns and rows make of `project` in `language`."""
    base_url = base_url or settings.SITE_URL
    with translation.override(language):
        return compact(_project(project, language, base_url))


def _digest_of(value) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


ABSENT = _digest_of(None)


def digest(data: dict) -> dict[str, str]:
    """A fingerprint of each top-level part of a mapped project."""
    return {key: _digest_of(value) for key, value in data.items()}


def project_to_oc4ids(
    project: InvestmentProject, language: str, *, base_url: str | None = None
) -> dict:
    """The OC4IDS project object of `project` in `language` ("uk" or "en").

    A project imported in `language` gives its original object back for every
    top-level part that Mist's data still maps to what it mapped to at the import
    (nothing lost, nothing reordered); parts changed in Mist since come from Mist,
    with the import's unmapped residue merged in. A person's taxpayer number never
    goes out (without_personal_numbers).

    Expects `owner`, `place`, `budget_lines`, `funding_sources`, `indicators`,
    `documents` and `photos` prefetched (see export.published_projects)."""
    data = mapped_project(project, language, base_url=base_url)
    extra = project.oc4ids_extra or {}
    other = "en" if language == "uk" else "uk"
    residue = extra.get(language) or extra.get(other) or {}
    original = (project.oc4ids_original or {}).get(language)
    if not original:
        # No copies: merge() builds new containers where it changes one, and
        # nothing below writes into the stored data (read from the database now).
        return without_personal_numbers(compact(merge(data, residue)))
    kept, then = original["project"], original["digest"]
    merged = {}
    for key in dict.fromkeys([*kept, *data, *residue]):
        if then.get(key, ABSENT) == _digest_of(data.get(key)):
            if key in kept:
                merged[key] = kept[key]
            continue
        if key in data and key in residue:
            value = compact(merge(data[key], residue[key], key))
        else:
            value = compact(data[key] if key in data else residue[key])
        if value not in (None, "", [], {}):
            merged[key] = value
    return without_personal_numbers(merged)


# Identifier schemes whose ids are people's taxpayer numbers wherever they appear.
PERSON_SCHEMES = {"UA-DRFO", "UA-RNOKPP", "UA-IPN"}
TEN_DIGITS = re.compile(r"\d{10}")


def is_personal_identifier(identifier) -> bool:
    """An identifier object that carries a person's taxpayer number: a scheme of
    those, or a `UA-EDR` id of 10 digits (EDRPOU codes have 8), or any id that is a
    checksum-valid 10-digit taxpayer number."""
    if not isinstance(identifier, dict):
        return False
    value = str(identifier.get("id") or "").strip()
    if identifier.get("scheme") in PERSON_SCHEMES:
        return bool(value)
    if identifier.get("scheme") == codelists.EDR_SCHEME and TEN_DIGITS.fullmatch(value):
        return True
    return is_person_taxpayer_number(value)


def without_personal_numbers(data: dict) -> dict:
    """The project without any person's taxpayer number: such identifiers are
    dropped from its parties, and a party id made of one becomes "person-<n>"
    (references to it follow). A no-op (the same object) when there is none."""
    parties = data.get("parties")
    if not isinstance(parties, list) or not any(
        _carries_personal_number(party) for party in parties
    ):
        return data
    renamed, changed = {}, False
    parties = copy.deepcopy(parties)
    for index, party in enumerate(parties, start=1):
        if not isinstance(party, dict):
            continue
        numbers = set()
        if is_personal_identifier(party.get("identifier")):
            numbers.add(str(party.pop("identifier").get("id")).strip())
            changed = True
        extra = party.get("additionalIdentifiers")
        if isinstance(extra, list):
            kept = [x for x in extra if not is_personal_identifier(x)]
            numbers.update(
                str(x.get("id")).strip() for x in extra if is_personal_identifier(x)
            )
            if len(kept) != len(extra):
                changed = True
                if kept:
                    party["additionalIdentifiers"] = kept
                else:
                    party.pop("additionalIdentifiers")
        old_id = str(party.get("id") or "")
        if any(n and n in old_id for n in numbers) or is_person_taxpayer_number(old_id):
            renamed[old_id] = party["id"] = f"person-{index}"
            changed = True
    if not changed:
        return data
    result = dict(data, parties=parties)
    return _renamed(result, renamed) if renamed else result


def _carries_personal_number(party) -> bool:
    if not isinstance(party, dict):
        return False
    extra = party.get("additionalIdentifiers")
    return (
        is_personal_identifier(party.get("identifier"))
        or (isinstance(extra, list) and any(map(is_personal_identifier, extra)))
        or is_person_taxpayer_number(party.get("id"))
    )


def _renamed(value, names: dict):
    """`value` with every string equal to an old party id replaced by the new one
    (publicAuthority.id, finance source ids and the like refer to parties)."""
    if isinstance(value, dict):
        return {k: _renamed(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, names) for v in value]
    if isinstance(value, str) and value in names:
        return names[value]
    return value


def oc4ids_status(project: InvestmentProject) -> str:
    """The projectStatus code: the workflow status where it says more, else the
    readiness stage's phase."""
    return codelists.STATUS_TO_STATUS.get(
        project.status, codelists.READINESS_TO_STATUS.get(project.readiness)
    )


def sector_codes(codes: list[str]) -> list[str]:
    """Sector codes with each subsector's parent included (the schema asks for both)."""
    result = []
    for code in codes:
        parent = code.split(".", 1)[0]
        for value in (parent, code):
            if value not in result:
                result.append(value)
    return result


def _project(project, language, base_url) -> dict:
    title = text_in(project, "title", language) or str(
        translated(project, "title", language)
    )
    data = {
        "id": project_id(project),
        "updated": date_time(project.updated_at),
        "language": language,
        "title": title,
        "description": text_in(project, "description", language)
        or text_in(project, "summary", language),
        "status": oc4ids_status(project),
        "type": project.project_type,
        "sector": sector_codes(project.project_sector),
        "purpose": text_in(project, "problem", language),
        "identifiers": [
            {"id": dream_id, "scheme": codelists.DREAM_SCHEME}
            for dream_id in project.dream_ids
        ],
        "period": _period(project.starts_on, project.ends_on),
        "budget": _budget(project, language),
        "additionalClassifications": _classifications(project),
        "locations": _locations(project, language),
        "forecasts": [
            _indicator(indicator, index, language)
            for index, indicator in enumerate(project.indicators.all(), start=1)
        ],
        "documents": _documents(project, language, base_url),
        "contractingProcesses": [
            {
                "id": tender_id,
                "summary": {
                    "ocid": f"{codelists.PROZORRO_OCID_PREFIX}{tender_id}",
                    "externalReference": tender_id,
                },
            }
            for tender_id in project.prozorro_ids
        ],
    }
    owner = project.owner
    if owner is not None:
        name = owner_name(owner, language)
        owner_id = _imported_party_id(project, owner) or party_id(owner)
        data["publicAuthority"] = {"id": owner_id, "name": name}
        data["parties"] = [_owner_party(project, owner, name, owner_id, language)]
    return data


def _imported_party_id(project, organization) -> str | None:
    """The id an imported party had before staff added it to the directory as
    `organization` (it keeps that id, and what refers to it keeps working)."""
    chosen = (project.oc4ids_extra or {}).get("directory") or {}
    return next((pid for pid, pk in chosen.items() if pk == organization.pk), None)


def latin_name(name: str, language: str) -> str:
    """A name of a person or a body in `language`: in an English package, Ukrainian
    Cyrillic is transliterated with the official system (translitua, 2010)."""
    name = str(name or "")
    if language == "en" and CYRILLIC.search(name):
        from translitua import translit

        return translit(name)
    return name


CYRILLIC = re.compile("[\u0400-\u04ff]")


def _period(starts_on, ends_on) -> dict:
    period = {"startDate": date_time(starts_on), "endDate": date_time(ends_on)}
    if starts_on and ends_on and ends_on >= starts_on:
        period["durationInDays"] = (ends_on - starts_on).days
    return period


def _owner_party(project, owner, name, owner_id, language) -> dict:
    party = {
        "id": owner_id,
        "name": name,
        "roles": ["publicAuthority"],
        "contactPoint": {
            "name": latin_name(project.contact_name, language),
            "email": project.contact_email,
            "telephone": project.contact_phone,
        },
    }
    if owner.edrpou and not is_person_taxpayer_number(owner.edrpou):
        party["identifier"] = {
            "scheme": codelists.EDR_SCHEME,
            "id": owner.edrpou,
            "legalName": owner_legal_name(owner, language),
        }
    return party


def owner_name(owner, language: str) -> str:
    """The owner's name in `language` (transliterated when English has none)."""
    return text_in(owner, "name", language) or latin_name(owner.name_uk, language)


def owner_legal_name(owner, language: str) -> str:
    """The registered (Ukrainian) name; in English its English name, else its
    transliteration."""
    return owner.name_uk if language == "uk" else owner_name(owner, language)


def budget_line_id(line: BudgetLine, index: int) -> str:
    return f"{line.category}-{line.kind}-{index}"


def budget_line_label(category: str, kind: str) -> str:
    """E.g. "Design (CAPEX)": a budget line's description when it has none."""
    return f"{BudgetLine.Category(category).label} ({kind.upper()})"


def _budget(project, language) -> dict:
    lines = list(project.budget_lines.all())
    budget = {"amount": money(project.total_cost, project.currency)}
    if lines:
        budget["budgetBreakdowns"] = [
            {
                "id": "cost-categories",
                "description": gettext("Cost by category (CAPEX/OPEX)"),
                "budgetBreakdown": [
                    {
                        "id": budget_line_id(line, index),
                        "description": text_in(line, "description", language)
                        or budget_line_label(line.category, line.kind),
                        "amount": money(line.amount, line.currency),
                    }
                    for index, line in enumerate(lines, start=1)
                ],
            }
        ]
    finance = []
    if project.financing_sought:
        finance.append(
            {
                "id": "sought",
                "title": gettext("Financing sought"),
                "description": gettext("Financing the city seeks from investors."),
                "value": money(project.financing_sought, project.financing_currency),
            }
        )
    for index, source in enumerate(project.funding_sources.all(), start=1):
        finance.append(
            {
                "id": f"secured-{source.instrument}-{index}",
                "title": latin_name(source.source_name, language),
                "source": latin_name(source.source_name, language),
                "type": codelists.INSTRUMENT_TO_FINANCE_TYPE.get(source.instrument),
                "value": money(source.amount, source.currency),
                "period": {"startDate": date_time(source.secured_on)},
            }
        )
    budget["finance"] = finance
    return budget


def _classifications(project) -> list[dict]:
    from investments.choices import SDGS, Instrument, StrategyArea

    items = [
        {"scheme": codelists.SDG_SCHEME, "id": str(n), "description": str(SDGS[n])}
        for n in project.sdgs
        if n in SDGS
    ]
    if project.strategy_area:
        items.append(
            {
                "scheme": codelists.STRATEGY_AREA_SCHEME,
                "id": project.strategy_area,
                "description": str(StrategyArea(project.strategy_area).label),
            }
        )
    for code in project.instruments:
        label = Instrument(code).label if code in Instrument.values else code
        items.append(
            {
                "scheme": codelists.INSTRUMENT_SCHEME,
                "id": code,
                "description": str(label),
            }
        )
    return items


def _locations(project, language) -> list[dict]:
    location = {"id": "1"}
    if project.place is not None:
        location["description"] = text_in(
            project.place, "name", language
        ) or latin_name(project.place.name_uk, language)
        location["gazetteer"] = {
            "scheme": codelists.KATOTTG_SCHEME,
            "identifiers": [project.place.code],
        }
    if project.latitude is not None and project.longitude is not None:
        location["geometry"] = {
            "type": "Point",
            "coordinates": [number(project.longitude), number(project.latitude)],
        }
    return [location] if len(location) > 1 else []


def _indicator(indicator, index, language) -> dict:
    unit = {"name": indicator.unit} if indicator.unit else None
    observations = []
    if indicator.baseline is not None:
        observations.append(
            {"id": "baseline", "measure": number(indicator.baseline), "unit": unit}
        )
    target = {"id": "target", "measure": number(indicator.target), "unit": unit}
    if indicator.target_year:
        target["period"] = {
            "endDate": date_time(datetime.date(indicator.target_year, 12, 31))
        }
    observations.append(target)
    return {
        "id": f"indicator-{index}",
        "title": text_in(indicator, "name", language) or str(indicator.name),
        "observations": observations,
    }


def _documents(project, language, base_url) -> list[dict]:
    documents = []
    for document in project.documents.all():
        if document.access != ProjectDocument.Access.OPEN:
            continue
        url = reverse_or_none("investments:document-download", pk=document.pk)
        documents.append(
            {
                "id": f"document-{document.pk}",
                "documentType": document.document_type,
                "title": text_in(document, "title", language) or str(document.title),
                "url": absolute(url, base_url) if url else None,
                "format": mimetypes.guess_type(document.original_name or "")[0],
                "datePublished": date_time(document.created_at),
            }
        )
    for photo in project.photos.all():
        url = reverse_or_none("investments:photo", pk=photo.pk) if photo.image else None
        documents.append(
            {
                "id": f"photo-{photo.pk}",
                "documentType": "illustration",
                "title": text_in(photo, "caption", language) or None,
                "url": absolute(url, base_url) if url else None,
                "format": mimetypes.guess_type(photo.image.name or "")[0],
            }
        )
    return documents
