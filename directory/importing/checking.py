"""Checking one row: its cells parsed and validated into model values, with every
error, against the vocabularies (sectors, tags, places, choices, countries)."""

import contextlib
import datetime
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone, translation
from django_countries import countries

from directory.importing.errors import error
from directory.importing.reading import cell_text
from directory.models import Organization, Place, Sector, Tag
from directory.validators import (
    validate_edrpou,
    validate_one_identifier,
    validate_rntrc,
)

# The row report's words for what directory.validators found wrong with an EDRPOU.
EDRPOU_ERRORS = {
    "edrpou_format": "bad_edrpou_length",
    "edrpou_checksum": "bad_edrpou_checksum",
    "edrpou_zeros": "bad_edrpou_zeros",
}

KIND_SYNONYMS = {
    "it компанія": "it_company",
    "іт компанія": "it_company",
    "ит компания": "it_company",
    "стартап": "startup",
    "бізнес": "business",
    "компанія": "business",
    "освіта": "education",
    "заклад освіти": "education",
    "університет": "education",
    "university": "education",
    "наука": "research",
    "наукова установа": "research",
    "міський орган": "city_body",
    "орган влади": "city_body",
    "комунальне підприємство": "communal_enterprise",
    "громадська організація": "ngo",
    "го": "ngo",
    "інвестор": "investor",
    "іноземний партнер": "foreign_partner",
    "закордонний партнер": "foreign_partner",
    "partner abroad": "foreign_partner",
}
CLUSTER_SYNONYMS = {
    "yes": "member",
    "true": "member",
    "1": "member",
    "так": "member",
    "член": "member",
    "учасник": "member",
    "no": "none",
    "false": "none",
    "0": "none",
    "ні": "none",
    "призупинено": "suspended",
    "колишній": "former",
    "колишній член": "former",
}
VISIBILITY_SYNONYMS = {
    "публічна": "public",
    "публічний": "public",
    "відкрита": "public",
    "всім": "public",
    "members only": "members",
    "лише учасникам": "members",
    "для учасників": "members",
    "тільки учасникам": "members",
}

MAX_LENGTHS = {
    name: Organization._meta.get_field(name).max_length
    for name in ("name_uk", "name_en", "website", "email", "phone", "locality")
}
_SEPARATORS = re.compile(r"[\s\-]")
_PHONE = re.compile(r"\+?[\d\s().\-/]+")
_SPLIT = re.compile(r"\s*[;,|\n]\s*")
_email_validator = EmailValidator()
_url_validator = URLValidator(schemes=["http", "https"])


def normalize_key(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").lower().split())


def domain_of(url: str) -> str:
    """`https://www.Example.com/about` → `example.com`; empty when there is none."""
    if not url:
        return ""
    url = url.strip()
    if "//" not in url:
        url = "//" + url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".").lower()
    return host[4:] if host.startswith("www.") else host


@dataclass
class RowPlan:
    """What one row will do."""

    row: int
    values: dict[str, Any] = field(default_factory=dict)
    sectors: set[int] | None = None
    tags: set[int] | None = None
    errors: list[dict] = field(default_factory=list)
    key_kind: str = ""
    key: str = ""
    domain: str = ""
    organization_id: int | None = None
    action: str = ""
    changes: list[str] = field(default_factory=list)
    instance: Organization | None = None


class Vocabulary:
    """The lookups a row is checked against, loaded once per run."""

    def __init__(self):
        self.sectors: dict[str, int] = {}
        for pk, code, name_uk, name_en in Sector.objects.values_list(
            "pk", "code", "name_uk", "name_en"
        ):
            self.sectors[code.upper()] = pk
            self.sectors.setdefault(name_uk.lower(), pk)
            self.sectors.setdefault(name_en.lower(), pk)
        self.tags: dict[str, int] = {}
        for pk, slug, name_uk, name_en in Tag.objects.values_list(
            "pk", "slug", "name_uk", "name_en"
        ):
            self.tags[slug.lower()] = pk
            self.tags.setdefault(name_uk.lower(), pk)
            self.tags.setdefault(name_en.lower(), pk)
        self.place_codes: dict[str, int] = {}
        self.place_names: dict[str, list[tuple[int, str]]] = {}
        for pk, code, category, name_uk, name_en in Place.objects.values_list(
            "pk", "code", "category", "name_uk", "name_en"
        ):
            self.place_codes[code.upper()] = pk
            for name in {name_uk.lower(), name_en.lower()}:
                self.place_names.setdefault(name, []).append((pk, category))
        self.kinds = self._choices(Organization.Kind, KIND_SYNONYMS)
        self.sizes = self._choices(Organization.Size, {})
        self.cluster_statuses = self._choices(
            Organization.ClusterStatus, CLUSTER_SYNONYMS
        )
        self.visibilities = self._choices(Organization.Visibility, VISIBILITY_SYNONYMS)
        self.countries: dict[str, str] = {}
        for language in ("en", "uk"):
            with translation.override(language):
                for code, name in countries:
                    self.countries.setdefault(name.lower(), code)
        for code, _name in countries:
            self.countries[code.lower()] = code
            alpha3 = countries.alpha3(code)
            if alpha3:
                self.countries.setdefault(alpha3.lower(), code)
        self.countries.update({"usa": "US", "сша": "US", "uk": "GB"})
        self.max_year = timezone.localdate().year

    @staticmethod
    def _choices(choices, synonyms) -> dict[str, str]:
        lookup = {}
        for language in ("en", "uk"):
            with translation.override(language):
                for value, label in choices.choices:
                    lookup[normalize_key(str(label))] = value
        for value in choices.values:
            lookup[normalize_key(value)] = value
        lookup.update({normalize_key(k): v for k, v in synonyms.items()})
        return lookup

    def place(self, text: str, errors: list) -> int | None:
        pk = self.place_codes.get(text.upper())
        if pk:
            return pk
        matches = self.place_names.get(text.lower(), [])
        if len(matches) > 1:
            cities = [pk for pk, category in matches if category in ("M", "K")]
            if len(cities) == 1:
                return cities[0]
            errors.append(error("ambiguous_place", value=text))
            return None
        if not matches:
            errors.append(error("unknown_place", value=text))
            return None
        return matches[0][0]


def _size_band(number: int) -> str:
    for upper, band in ((9, "1-9"), (49, "10-49"), (249, "50-249"), (999, "250-999")):
        if number <= upper:
            return band
    return "1000+"


def _parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if len(text) == 10 and text[4] == "-":
        with contextlib.suppress(ValueError):
            return datetime.date.fromisoformat(text)
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}", text):
        return datetime.date(int(text), 1, 1)
    return None


def _check_choice(text, field, synonyms, choices, code, values, errors) -> None:
    """A cell naming one of `choices` (by value, label or synonym), if filled."""
    if cell := text.get(field):
        value = synonyms.get(normalize_key(cell))
        if value:
            values[field] = value
        else:
            errors.append(error(code, value=cell, choices=", ".join(choices.values)))


def check_row(number: int, record: dict[str, Any], vocabulary: Vocabulary) -> RowPlan:
    """Parse and validate one row's cells into model values, with every error."""
    plan = RowPlan(row=number)
    errors = plan.errors
    values = plan.values
    text = {name: cell_text(value) for name, value in record.items()}

    name_uk = text.get("name_uk", "")
    name_en = text.get("name_en", "")
    if not name_uk and not name_en:
        errors.append(error("missing_name"))
    if name_uk:
        values["name_uk"] = name_uk
    if name_en:
        values["name_en"] = name_en
    for name in ("description_uk", "description_en"):
        if text.get(name):
            values[name] = text[name]

    _check_choice(
        text,
        "kind",
        vocabulary.kinds,
        Organization.Kind,
        "unknown_kind",
        values,
        errors,
    )

    if code := text.get("edrpou"):
        code = _SEPARATORS.sub("", code)
        if code.isdigit() and 5 <= len(code) < 8:
            code = code.zfill(8)  # spreadsheets drop leading zeros of numbers
        try:
            validate_edrpou(code)
        except ValidationError as invalid:
            errors.append(error(EDRPOU_ERRORS[invalid.code], value=code))
        else:
            values["edrpou"] = code
    if number_text := text.get("rntrc"):
        code = _SEPARATORS.sub("", number_text)
        try:
            validate_rntrc(code)
        except ValidationError:
            errors.append(error("bad_rntrc", value=code))
        else:
            values["rntrc"] = code
    try:
        validate_one_identifier(values.get("edrpou"), values.get("rntrc"))
    except ValidationError:
        errors.append(error("edrpou_and_rntrc"))

    if website := text.get("website"):
        url = website if "://" in website else "https://" + website
        try:
            _url_validator(url)
        except ValidationError:
            errors.append(error("bad_website", value=website))
        else:
            values["website"] = url
            plan.domain = domain_of(url)
    if email := text.get("email"):
        try:
            _email_validator(email)
        except ValidationError:
            errors.append(error("bad_email", value=email))
        else:
            values["email"] = email
    if phone := text.get("phone"):
        # Digits with the usual separators; 7 to 15 digits (E.164 allows 15).
        digits = sum(character.isdigit() for character in phone)
        if _PHONE.fullmatch(phone) and 7 <= digits <= 15:
            values["phone"] = phone
        else:
            errors.append(error("bad_phone", value=phone))

    if country := text.get("country"):
        code = vocabulary.countries.get(country.lower())
        if code:
            values["country"] = code
        else:
            errors.append(error("unknown_country", value=country))
    if place := text.get("place"):
        country_code = values.get("country", "UA")
        if country_code == "UA" or place.upper() in vocabulary.place_codes:
            pk = vocabulary.place(place, errors)
            if pk:
                values["place"] = pk
        elif not text.get("locality"):
            values["locality"] = place
    if locality := text.get("locality"):
        values["locality"] = locality

    if sectors := text.get("sectors"):
        plan.sectors = set()
        for code in filter(None, _SPLIT.split(sectors)):
            pk = vocabulary.sectors.get(code.upper()) or vocabulary.sectors.get(
                code.lower()
            )
            if pk:
                plan.sectors.add(pk)
            else:
                errors.append(error("unknown_sector", value=code))
    if tags := text.get("tags"):
        plan.tags = set()
        for tag in filter(None, _SPLIT.split(tags)):
            pk = vocabulary.tags.get(tag.lower())
            if pk:
                plan.tags.add(pk)
            else:
                errors.append(error("unknown_tag", value=tag))

    if size := text.get("size"):
        band = vocabulary.sizes.get(normalize_key(size.replace("–", "-")))
        if band is None and size.isdigit():
            band = _size_band(int(size))
        if band:
            values["size"] = band
        else:
            errors.append(
                error(
                    "unknown_size",
                    value=size,
                    choices=", ".join(Organization.Size.values),
                )
            )
    if year := text.get("founded_year"):
        if year.isdigit() and 1800 <= int(year) <= vocabulary.max_year:
            values["founded_year"] = int(year)
        else:
            errors.append(error("bad_year", value=year, max=vocabulary.max_year))
    _check_choice(
        text,
        "cluster_status",
        vocabulary.cluster_statuses,
        Organization.ClusterStatus,
        "unknown_cluster_status",
        values,
        errors,
    )
    if text.get("cluster_member_since"):
        since = _parse_date(record["cluster_member_since"])
        if since:
            values["cluster_member_since"] = since
        else:
            errors.append(error("bad_date", value=text["cluster_member_since"]))
    _check_choice(
        text,
        "visibility",
        vocabulary.visibilities,
        Organization.Visibility,
        "unknown_visibility",
        values,
        errors,
    )

    for name, limit in MAX_LENGTHS.items():
        if len(str(values.get(name) or "")) > limit:
            errors.append(error("too_long", field=name, max=limit))
            values.pop(name, None)

    if values.get("edrpou"):
        plan.key_kind, plan.key = "edrpou", values["edrpou"]
    elif plan.domain:
        plan.key_kind, plan.key = "domain", plan.domain
    elif values.get("rntrc"):
        plan.key_kind, plan.key = "rntrc", values["rntrc"]
    elif not any(
        e["code"]
        in (
            "bad_edrpou_length",
            "bad_edrpou_checksum",
            "bad_edrpou_zeros",
            "bad_rntrc",
            "bad_website",
        )
        for e in errors
    ):
        errors.append(error("no_key"))
    return plan
