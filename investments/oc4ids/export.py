"""The published portfolio as an OC4IDS 0.9 project package (one per language), and
as flat CSV/XLSX tables (one row per project, both languages).

Only public projects (InvestmentProject.PUBLIC_STATUSES) and only OPEN documents are
exported; drafts, limited and restricted documents never are.
"""

import datetime
import json
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core import exports
from directory.validators import is_person_taxpayer_number
from investments.models import InvestmentProject, ProjectDocument

from . import SCHEMA_VERSION, mapping

LANGUAGES = ("uk", "en")


def published_projects() -> QuerySet[InvestmentProject]:
    """Public projects with everything the export reads, in a fixed order."""
    return (
        InvestmentProject.objects.filter(status__in=InvestmentProject.PUBLIC_STATUSES)
        .select_related("owner", "place")
        .defer("search_document", "quality_warnings")
        .prefetch_related(
            "budget_lines",
            "funding_sources",
            "indicators",
            "photos",
            Prefetch(
                "documents",
                queryset=ProjectDocument.objects.filter(
                    access=ProjectDocument.Access.OPEN
                ),
            ),
        )
        .order_by("code")
    )


def publisher(language: str, base_url: str | None = None) -> dict:
    """The package's publisher (setting MIST_OC4IDS_PUBLISHER: name_uk, name_en,
    scheme, uid, uri): the owner of the data by its UA-EDR code; its uri defaults to
    the open data page in the package's language."""
    config = settings.MIST_OC4IDS_PUBLISHER
    base_url = base_url or settings.SITE_URL
    return mapping.compact(
        {
            "name": config[f"name_{language}"],
            "scheme": config.get("scheme"),
            "uid": config.get("uid"),
            "uri": config.get("uri")
            or mapping.absolute(_path("investments:open-data", language), base_url),
        }
    )


def _path(name: str, language: str) -> str:
    """A page's path in `language` (the URLs carry the language prefix)."""
    with translation.override(language):
        return reverse(name)


def package_uri(language: str, base_url: str) -> str:
    """The package's own address, in its language."""
    path = _path("investments:oc4ids-export", language)
    return f"{base_url.rstrip('/')}{path}?language={language}"


def publication_policy_uri(language: str, base_url: str) -> str:
    return mapping.absolute(_path("investments:publication-policy", language), base_url)


def build_package(
    language: str,
    *,
    base_url: str | None = None,
    projects: QuerySet[InvestmentProject] | None = None,
) -> dict:
    """The OC4IDS project package of the published portfolio in `language`.

    `publishedDate` is the time of the last change to the exported projects (the
    standard's advice for packages generated on demand). An empty portfolio gives an
    empty `projects` list, which the schema (minItems 1) does not accept."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    base_url = base_url or settings.SITE_URL
    projects = published_projects() if projects is None else projects
    # In chunks (prefetches included): the model instances of a large portfolio
    # are not all held at once.
    items = [
        mapping.project_to_oc4ids(project, language, base_url=base_url)
        for project in projects.iterator(chunk_size=500)
    ]
    last_change = projects.aggregate(last=Max("updated_at"))["last"] or timezone.now()
    return {
        "uri": package_uri(language, base_url),
        "publishedDate": mapping.date_time(last_change.astimezone(datetime.UTC)),
        "publisher": publisher(language, base_url),
        "license": settings.MIST_OC4IDS_LICENSE,
        "publicationPolicy": publication_policy_uri(language, base_url),
        "version": SCHEMA_VERSION,
        "projects": items,
    }


def package_json(package: dict) -> str:
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


# Flat tables.

COLUMNS = (
    "oc4ids_id",
    "code",
    "title_uk",
    "title_en",
    "summary_uk",
    "summary_en",
    "status",
    "readiness",
    "oc4ids_status",
    "project_type",
    "project_sector",
    "strategy_area",
    "sdgs",
    "owner_uk",
    "owner_en",
    "owner_edrpou",
    "katottg",
    "place_uk",
    "place_en",
    "latitude",
    "longitude",
    "total_cost",
    "currency",
    "financing_sought",
    "financing_currency",
    "funding_secured",
    "instruments",
    "starts_on",
    "ends_on",
    "dream_ids",
    "prozorro_ids",
    "contact_name",
    "contact_email",
    "contact_phone",
    "published_at",
    "url",
)


def project_record(project: InvestmentProject, *, base_url: str) -> dict:
    """One project as a flat row (both languages; open data only)."""
    owner = project.owner
    place = project.place
    secured = [
        f"{source.amount} {source.currency}" for source in project.funding_sources.all()
    ]
    return {
        "oc4ids_id": mapping.project_id(project),
        "code": project.code,
        "title_uk": project.title_uk,
        "title_en": project.title_en,
        "summary_uk": project.summary_uk,
        "summary_en": project.summary_en,
        "status": project.status,
        "readiness": project.readiness,
        "oc4ids_status": mapping.oc4ids_status(project),
        "project_type": project.project_type,
        "project_sector": project.project_sector,
        "strategy_area": project.strategy_area,
        "sdgs": [str(n) for n in project.sdgs],
        "owner_uk": owner.name_uk if owner else project.owner_name,
        "owner_en": mapping.owner_name(owner, "en") if owner else project.owner_name,
        # A person's taxpayer number never goes out (one predicate everywhere).
        "owner_edrpou": (owner.edrpou or "")
        if owner and not is_person_taxpayer_number(owner.edrpou)
        else "",
        "katottg": place.code if place else "",
        "place_uk": place.name_uk if place else "",
        "place_en": place.name_en if place else "",
        "latitude": project.latitude,
        "longitude": project.longitude,
        "total_cost": project.total_cost,
        "currency": project.currency,
        "financing_sought": project.financing_sought,
        "financing_currency": project.financing_currency,
        "funding_secured": secured,
        "instruments": project.instruments,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "dream_ids": project.dream_ids,
        "prozorro_ids": project.prozorro_ids,
        "contact_name": project.contact_name,
        "contact_email": project.contact_email,
        "contact_phone": project.contact_phone,
        "published_at": mapping.date_time(project.published_at),
        "url": mapping.absolute(project.get_absolute_url(), base_url),
    }


# The columns' labels (the open data page's data dictionary says the same) and
# types: money, coordinates and dates go into XLSX as numbers and dates.
COLUMN_LABELS = {
    "oc4ids_id": _("OC4IDS project identifier"),
    "code": _("City's project code"),
    "title_uk": _("Title in Ukrainian"),
    "title_en": _("Title in English"),
    "summary_uk": _("Summary in Ukrainian"),
    "summary_en": _("Summary in English"),
    "status": _("Status in the portfolio"),
    "readiness": _("Readiness"),
    "oc4ids_status": _("OC4IDS project status"),
    "project_type": _("OC4IDS project type"),
    "project_sector": _("OC4IDS project sectors"),
    "strategy_area": _("Smart City strategy area"),
    "sdgs": _("Sustainable Development Goals"),
    "owner_uk": _("Owner in Ukrainian"),
    "owner_en": _("Owner in English"),
    "owner_edrpou": _("Owner's EDRPOU code"),
    "katottg": _("Place (KATOTTG code)"),
    "place_uk": _("Place in Ukrainian"),
    "place_en": _("Place in English"),
    "latitude": _("Latitude"),
    "longitude": _("Longitude"),
    "total_cost": _("Total cost"),
    "currency": _("Currency of the total cost"),
    "financing_sought": _("Financing sought"),
    "financing_currency": _("Currency of the financing"),
    "funding_secured": _("Funding secured (amount and currency)"),
    "instruments": _("Financing instruments"),
    "starts_on": _("Planned start"),
    "ends_on": _("Planned end"),
    "dream_ids": _("DREAM project IDs"),
    "prozorro_ids": _("Prozorro tender IDs"),
    "contact_name": _("Public contact person"),
    "contact_email": _("Public contact e-mail"),
    "contact_phone": _("Public contact phone"),
    "published_at": _("Published"),
    "url": _("Page of the project"),
}
COLUMN_KINDS = {
    "latitude": exports.NUMBER,
    "longitude": exports.NUMBER,
    "total_cost": exports.MONEY,
    "financing_sought": exports.MONEY,
    "starts_on": exports.DATE,
    "ends_on": exports.DATE,
    "published_at": exports.DATETIME,
}


def columns() -> tuple[exports.Column, ...]:
    """The flat table's columns for core.exports: labelled in the active language
    (`?header=names` gives COLUMNS), typed."""
    return tuple(
        exports.Column(name, COLUMN_LABELS[name], COLUMN_KINDS.get(name, exports.TEXT))
        for name in COLUMNS
    )


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return value


def table_rows(*, base_url: str | None = None) -> Iterator[list]:
    """One row per published project in the order of columns(), typed: amounts as
    decimals, dates as dates, the publication as a time (core.exports writes them)."""
    base_url = base_url or settings.SITE_URL
    for project in published_projects():
        record = project_record(project, base_url=base_url)
        record["published_at"] = project.published_at
        yield [_cell(record[column]) for column in COLUMNS]
