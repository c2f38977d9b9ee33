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
from directory.importing.reading import SYNONYMS, cell_text
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

KIND_SYNONYMS = SYNONYMS["kinds"]
CLUSTER_SYNONYMS = SYNONYMS["cluster_statuses"]
VISIBILITY_SYNONYMS = SYNONYMS["visibilities"]

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


@dataclass
class _Row:
    """One row under check: its cells as text and as read, the plan being filled."""

    plan: RowPlan
    text: dict[str, str]
    record: dict[str, Any]
    vocabulary: Vocabulary

    @property
    def values(self) -> dict[str, Any]:
        return self.plan.values

    def fail(self, code: str, **params) -> None:
        self.plan.errors.append(error(code, **params))


def _names(row: _Row) -> None:
    """A name in at least one language; descriptions as given."""
    text = row.text
    if not text.get("name_uk") and not text.get("name_en"):
        row.fail("missing_name")
    for name in ("name_uk", "name_en", "description_uk", "description_en"):
        if text.get(name):
            row.values[name] = text[name]


def _choice(field_name: str, lookup: str, choices, code: str):
    """The check of a cell naming one of `choices` (by value, label or synonym)."""

    def check(row: _Row) -> None:
        if cell := row.text.get(field_name):
            value = getattr(row.vocabulary, lookup).get(normalize_key(cell))
            if value:
                row.values[field_name] = value
            else:
                row.fail(code, value=cell, choices=", ".join(choices.values))

    return check


def _edrpou(row: _Row) -> None:
    if code := row.text.get("edrpou"):
        code = _SEPARATORS.sub("", code)
        if code.isdigit() and 5 <= len(code) < 8:
            code = code.zfill(8)  # spreadsheets drop leading zeros of numbers
        try:
            validate_edrpou(code)
        except ValidationError as invalid:
            row.fail(EDRPOU_ERRORS[invalid.code], value=code)
        else:
            row.values["edrpou"] = code


def _valid(row: _Row, name: str, value: str, validator, code: str, cell=None) -> bool:
    """Keep `value` as field `name` when `validator` passes, else report `code`."""
    try:
        validator(value)
    except ValidationError:
        row.fail(code, value=cell or value)
        return False
    row.values[name] = value
    return True


def _rntrc(row: _Row) -> None:
    if cell := row.text.get("rntrc"):
        code = _SEPARATORS.sub("", cell)
        _valid(row, "rntrc", code, validate_rntrc, "bad_rntrc")


def _one_identifier(row: _Row) -> None:
    try:
        validate_one_identifier(row.values.get("edrpou"), row.values.get("rntrc"))
    except ValidationError:
        row.fail("edrpou_and_rntrc")


def _website(row: _Row) -> None:
    if website := row.text.get("website"):
        url = website if "://" in website else "https://" + website
        if _valid(row, "website", url, _url_validator, "bad_website", website):
            row.plan.domain = domain_of(url)


def _email(row: _Row) -> None:
    if email := row.text.get("email"):
        _valid(row, "email", email, _email_validator, "bad_email")


def _phone(row: _Row) -> None:
    if phone := row.text.get("phone"):
        # Digits with the usual separators; 7 to 15 digits (E.164 allows 15).
        digits = sum(character.isdigit() for character in phone)
        if _PHONE.fullmatch(phone) and 7 <= digits <= 15:
            row.values["phone"] = phone
        else:
            row.fail("bad_phone", value=phone)


def _country(row: _Row) -> None:
    if country := row.text.get("country"):
        code = row.vocabulary.countries.get(country.lower())
        if code:
            row.values["country"] = code
        else:
            row.fail("unknown_country", value=country)


def _place(row: _Row) -> None:
    """A Ukrainian place (by code or name); abroad, a place name is the locality."""
    if place := row.text.get("place"):
        vocabulary = row.vocabulary
        if row.values.get("country", "UA") == "UA" or (
            place.upper() in vocabulary.place_codes
        ):
            if pk := vocabulary.place(place, row.plan.errors):
                row.values["place"] = pk
        elif not row.text.get("locality"):
            row.values["locality"] = place
    if locality := row.text.get("locality"):
        row.values["locality"] = locality


def _sectors(row: _Row) -> None:
    if sectors := row.text.get("sectors"):
        lookup = row.vocabulary.sectors
        row.plan.sectors = set()
        for code in filter(None, _SPLIT.split(sectors)):
            if pk := lookup.get(code.upper()) or lookup.get(code.lower()):
                row.plan.sectors.add(pk)
            else:
                row.fail("unknown_sector", value=code)


def _tags(row: _Row) -> None:
    if tags := row.text.get("tags"):
        row.plan.tags = set()
        for tag in filter(None, _SPLIT.split(tags)):
            if pk := row.vocabulary.tags.get(tag.lower()):
                row.plan.tags.add(pk)
            else:
                row.fail("unknown_tag", value=tag)


def _size(row: _Row) -> None:
    """A size band by name, or a head count put in its band."""
    if size := row.text.get("size"):
        band = row.vocabulary.sizes.get(normalize_key(size.replace("–", "-")))
        if band is None and size.isdigit():
            band = _size_band(int(size))
        if band:
            row.values["size"] = band
        else:
            choices = ", ".join(Organization.Size.values)
            row.fail("unknown_size", value=size, choices=choices)


def _founded_year(row: _Row) -> None:
    if year := row.text.get("founded_year"):
        max_year = row.vocabulary.max_year
        if year.isdigit() and 1800 <= int(year) <= max_year:
            row.values["founded_year"] = int(year)
        else:
            row.fail("bad_year", value=year, max=max_year)


def _cluster_member_since(row: _Row) -> None:
    if row.text.get("cluster_member_since"):
        since = _parse_date(row.record["cluster_member_since"])
        if since:
            row.values["cluster_member_since"] = since
        else:
            row.fail("bad_date", value=row.text["cluster_member_since"])


def _lengths(row: _Row) -> None:
    """A value longer than its field is an error, and is dropped."""
    for name, limit in MAX_LENGTHS.items():
        if len(str(row.values.get(name) or "")) > limit:
            row.fail("too_long", field=name, max=limit)
            row.values.pop(name, None)


# Errors that already say why a row has no key (no_key would repeat them).
KEY_ERRORS = {
    "bad_edrpou_length",
    "bad_edrpou_checksum",
    "bad_edrpou_zeros",
    "bad_rntrc",
    "bad_website",
}


def _key(row: _Row) -> None:
    """What finds the organization: its EDRPOU, else its website domain, else RNTRC."""
    plan, values = row.plan, row.values
    if values.get("edrpou"):
        plan.key_kind, plan.key = "edrpou", values["edrpou"]
    elif plan.domain:
        plan.key_kind, plan.key = "domain", plan.domain
    elif values.get("rntrc"):
        plan.key_kind, plan.key = "rntrc", values["rntrc"]
    elif not any(e["code"] in KEY_ERRORS for e in plan.errors):
        row.fail("no_key")


# One check a rule, in the order their errors are reported (some read what an
# earlier one found: the identifiers, the country, the website's domain).
CHECKS = (
    _names,
    _choice("kind", "kinds", Organization.Kind, "unknown_kind"),
    _edrpou,
    _rntrc,
    _one_identifier,
    _website,
    _email,
    _phone,
    _country,
    _place,
    _sectors,
    _tags,
    _size,
    _founded_year,
    _choice(
        "cluster_status",
        "cluster_statuses",
        Organization.ClusterStatus,
        "unknown_cluster_status",
    ),
    _cluster_member_since,
    _choice(
        "visibility", "visibilities", Organization.Visibility, "unknown_visibility"
    ),
    _lengths,
    _key,
)


def check_row(number: int, record: dict[str, Any], vocabulary: Vocabulary) -> RowPlan:
    """Parse and validate one row's cells into model values, with every error."""
    text = {name: cell_text(value) for name, value in record.items()}
    row = _Row(RowPlan(row=number), text, record, vocabulary)
    for check in CHECKS:
        check(row)
    return row.plan
