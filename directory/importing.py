"""Bulk import of organizations from CSV and XLSX: reading, checking, applying.

One engine (`ImportRun`) serves both the dry run and the apply, so what the dry run
promises is what the apply does; the apply checks every row again against the
database as it is by then.

Reading streams the file row by row (csv module, openpyxl read-only) and works in
chunks of `CHUNK_SIZE` rows: the existing keys (EDRPOU, website domain, taxpayer
number), slugs and the vocabularies are loaded once, each chunk fetches the
organizations it matches in one query, and writes go in bulk: new organizations
through COPY on PostgreSQL (bulk_create elsewhere), changed ones through bulk_update,
the many-to-many links and the report rows as plain rows into their tables.

The per-row outcome is stored as one `ImportRow` per row (a few short columns, the
errors as codes with parameters so they render in the reader's language), which the
detail page paginates and filters; `ImportBatch.report` only keeps a summary.

Progress: the apply runs inside a single transaction, so a progress counter written
through the same connection would stay invisible until the end. On PostgreSQL the
counter is written through a second, autocommit connection; SQLite allows one writer
at a time, so there (the embedded single-process default) it goes to the cache,
which the page in the same process reads. The cache is written on every database too,
and the page shows whichever number is larger.

Stalls: a run dies with its process (a restart of the embedded server, whose runs are
threads; a killed worker). Every progress write is also a heartbeat
(`ImportBatch.heartbeat_at` through the same channels, a timestamp next to the count
in the cache), so a CHECKING or APPLYING batch whose heartbeat is older than
MIST_IMPORT_STALL_SECONDS is stalled: staff may start it again (`restart_import`) and
`manage.py recover_imports` marks it FAILED. Starting again is safe: the apply is one
transaction, so a dead apply wrote nothing (its connection closed without a commit and
the database rolled it back), and rows are matched by key, so the new run sees the
database as it is. Every start adds one to `ImportBatch.attempt` and hands the number
to its task; a run that finds another number (a restarted batch, a batch given up on,
a task a broker delivered again) has been superseded and stops without writing: the
dry run checks it with each chunk, in the chunk's transaction, and the apply checks it
under a lock on the batch row just before it commits.
"""

import codecs
import contextlib
import csv
import datetime
import io
import itertools
import json
import logging
import queue
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import (
    DEFAULT_DB_ALIAS,
    OperationalError,
    connection,
    connections,
    models,
    transaction,
)
from django.db.models import F
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField
from stdnum.ua import edrpou as stdnum_edrpou
from stdnum.ua import rntrc as stdnum_rntrc
from translitua import translit

from core import audit
from directory.models import (
    ImportBatch,
    ImportRow,
    Organization,
    Place,
    Sector,
    Tag,
)
from directory.search import build_search_fields

logger = logging.getLogger(__name__)

CHUNK_SIZE = 1000
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

# Column → accepted header names (compared after normalize_header()).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name_uk": (
        "name_uk",
        "name",
        "назва",
        "назва українською",
        "назва uk",
        "назва укр",
        "найменування",
        "повна назва",
        "організація",
    ),
    "name_en": (
        "name_en",
        "english name",
        "name in english",
        "назва англійською",
        "назва en",
        "назва англ",
    ),
    "kind": ("kind", "type", "тип", "вид", "категорія"),
    "edrpou": ("edrpou", "edrpou code", "єдрпоу", "код єдрпоу", "код за єдрпоу"),
    "rntrc": ("rntrc", "ipn", "taxpayer number", "рнокпп", "іпн"),
    "description_uk": (
        "description_uk",
        "description",
        "опис",
        "опис українською",
        "опис uk",
    ),
    "description_en": (
        "description_en",
        "description in english",
        "опис англійською",
        "опис en",
    ),
    "website": ("website", "web site", "site", "url", "сайт", "вебсайт", "веб сайт"),
    "email": (
        "email",
        "e mail",
        "mail",
        "ел пошта",
        "електронна пошта",
        "пошта",
        "e mail адреса",
    ),
    "phone": ("phone", "telephone", "телефон", "тел"),
    "country": ("country", "країна"),
    "place": (
        "place",
        "city",
        "katottg",
        "місто",
        "населений пункт",
        "катоттг",
        "місце",
    ),
    "locality": ("locality", "city abroad", "місто за кордоном"),
    "sectors": ("sectors", "sector", "kved", "квед", "сектори", "галузі", "галузь"),
    "tags": ("tags", "tag", "technologies", "теги", "технології"),
    "size": ("size", "employees", "розмір", "кількість працівників", "працівників"),
    "founded_year": (
        "founded_year",
        "founded",
        "year founded",
        "рік заснування",
        "заснована",
    ),
    "cluster_status": (
        "cluster_status",
        "cluster",
        "membership",
        "членство",
        "членство в кластері",
        "статус у кластері",
    ),
    "cluster_member_since": (
        "cluster_member_since",
        "member since",
        "у кластері з",
        "член кластера з",
        "дата вступу",
    ),
    "visibility": ("visibility", "видимість"),
}

TEMPLATE_EXAMPLE = {
    "name_uk": "ТОВ «Приклад Софт»",
    "name_en": "Example Soft LLC",
    "kind": "it_company",
    "edrpou": "41234569",
    "rntrc": "",
    "description_uk": "Розробка програмного забезпечення для міст.",
    "description_en": "Software development for cities.",
    "website": "https://example.com",
    "email": "info@example.com",
    "phone": "+380 57 700 00 00",
    "country": "UA",
    "place": "UA63120270010096107",
    "locality": "",
    "sectors": "62;63",
    "tags": "machine-learning;web-development",
    "size": "10-49",
    "founded_year": "2015",
    "cluster_status": "member",
    "cluster_member_since": "2019-05-01",
    "visibility": "public",
}

KEY_LABELS = {
    "edrpou": _("EDRPOU"),
    "domain": _("website"),
    "rntrc": _("taxpayer number"),
    "organization": _("organization"),
}

ERRORS = {
    "missing_name": _("missing name"),
    "too_long": _("%(field)s is longer than %(max)s characters"),
    "missing_kind": _("missing kind"),
    "unknown_kind": _("unknown kind %(value)s (expected one of: %(choices)s)"),
    "bad_edrpou_length": _("bad EDRPOU %(value)s: must be 8 digits"),
    "bad_edrpou_checksum": _("bad EDRPOU %(value)s: check digit"),
    "bad_rntrc": _(
        "bad taxpayer number %(value)s: must be 10 digits with a check digit"
    ),
    "edrpou_and_rntrc": _("give either an EDRPOU or a taxpayer number, not both"),
    "no_key": _("no EDRPOU, website or taxpayer number to identify the organization"),
    "bad_website": _("invalid website %(value)s"),
    "bad_email": _("invalid e-mail %(value)s"),
    "bad_phone": _("invalid phone number %(value)s"),
    "unknown_country": _("unknown country %(value)s"),
    "unknown_place": _("unknown place %(value)s"),
    "ambiguous_place": _(
        "place %(value)s matches several places; give its KATOTTG code"
    ),
    "unknown_sector": _("unknown sector %(value)s"),
    "unknown_tag": _("unknown tag %(value)s"),
    "unknown_size": _("unknown size %(value)s (expected one of: %(choices)s)"),
    "bad_year": _("founded year %(value)s is not a year between 1800 and %(max)s"),
    "bad_date": _("member since %(value)s is not a date (YYYY-MM-DD or DD.MM.YYYY)"),
    "unknown_cluster_status": _(
        "unknown cluster status %(value)s (expected one of: %(choices)s)"
    ),
    "unknown_visibility": _(
        "unknown visibility %(value)s (expected one of: %(choices)s)"
    ),
    "duplicate": _("duplicate of row %(row)s (same %(key)s)"),
    "deleted_match": _("matches a deleted organization (%(key)s %(value)s)"),
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
# Fields compared one to one between a row and an existing organization.
PLAIN_FIELDS = (
    "name_uk",
    "name_en",
    "kind",
    "edrpou",
    "rntrc",
    "description_uk",
    "description_en",
    "website",
    "email",
    "phone",
    "country",
    "place",
    "locality",
    "size",
    "founded_year",
    "cluster_status",
    "cluster_member_since",
    "visibility",
)
_SEPARATORS = re.compile(r"[\s\-]")
_PHONE = re.compile(r"\+?[\d\s().\-/]+")
_SPLIT = re.compile(r"\s*[;,|\n]\s*")
_HEADER_JUNK = re.compile(r"[\s_\-–.:*()]+")
_email_validator = EmailValidator()
_url_validator = URLValidator(schemes=["http", "https"])


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


def normalize_header(text) -> str:
    return _HEADER_JUNK.sub(" ", str(text or "").replace("\ufeff", "").lower()).strip()


_HEADER_INDEX = {
    normalize_header(alias): column
    for column, aliases in COLUMNS.items()
    for alias in aliases
}


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


def error(code: str, **params) -> dict:
    return {"code": code, "params": params} if params else {"code": code}


def error_message(err: dict) -> str:
    """One stored error rendered in the active language."""
    template = ERRORS.get(err.get("code"))
    if template is None:
        return err.get("code", "")
    params = dict(err.get("params") or {})
    if "key" in params:
        params["key"] = str(KEY_LABELS.get(params["key"], params["key"]))
    if "field" in params:
        # An unknown field name is shown as it is.
        with contextlib.suppress(Exception):
            params["field"] = str(
                Organization._meta.get_field(params["field"]).verbose_name
            )
    return str(template) % params if params else str(template)


def error_messages(errors: list[dict]) -> list[str]:
    return [error_message(err) for err in errors]


def field_label(name: str) -> str:
    return str(Organization._meta.get_field(name).verbose_name)


# Reading files.


@dataclass
class Sheet:
    """The header of an opened spreadsheet and an iterator over its data rows."""

    header: list[str]
    columns: dict[int, str]  # cell index → column name
    ignored: list[str]
    rows: Iterator[tuple[int, list]]  # (row number as the spreadsheet shows it, cells)
    estimated_rows: int | None = None

    def record(self, cells: list) -> dict[str, Any]:
        values = {}
        for index, column in self.columns.items():
            if index < len(cells):
                values[column] = cells[index]
        return values


def _detect_encoding(binary) -> str:
    start = binary.read(4)
    binary.seek(0)
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := binary.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1251"
    finally:
        binary.seek(0)
    return "utf-8"


def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _is_blank(cells) -> bool:
    return all(
        cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells
    )


def _numbered(rows: Iterator[list]) -> Iterator[tuple[int, list]]:
    for number, cells in enumerate(rows, start=2):
        if not _is_blank(cells):
            yield number, cells


def _make_sheet(header_cells, rows, estimated=None) -> Sheet:
    header = ["" if cell is None else str(cell).strip() for cell in header_cells]
    columns: dict[int, str] = {}
    ignored = []
    for index, title in enumerate(header):
        column = _HEADER_INDEX.get(normalize_header(title))
        if column and column not in columns.values():
            columns[index] = column
        elif title:
            ignored.append(title)
    if "name_uk" not in columns.values() and "name_en" not in columns.values():
        raise ImportFileError(
            gettext(
                "The first row must name the columns, with at least a name column "
                "(name_uk or “Назва”). Download the template to see them all."
            )
        )
    return Sheet(header, columns, ignored, _numbered(rows), estimated)


@contextlib.contextmanager
def open_sheet(binary, filename: str) -> Iterator[Sheet]:
    """Open an uploaded CSV or XLSX file (a binary file object) as a Sheet."""
    binary = getattr(binary, "file", binary)  # unwrap Django's File proxies
    head = binary.read(4)
    binary.seek(0)
    lowered = filename.lower()
    if head.startswith(b"PK\x03\x04") or lowered.endswith((".xlsx", ".xlsm")):
        with _open_xlsx(binary) as sheet:
            yield sheet
    elif lowered.endswith(".xls") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            gettext(
                "Old Excel files (.xls) are not supported: save it as .xlsx or CSV."
            )
        )
    else:
        yield _open_csv(binary)


def _open_csv(binary) -> Sheet:
    encoding = _detect_encoding(binary)
    text = io.TextIOWrapper(binary, encoding=encoding, newline="")
    first = text.readline()
    if not first.strip():
        raise ImportFileError(gettext("The file is empty."))
    reader = csv.reader(
        itertools.chain([first], text), delimiter=_sniff_delimiter(first)
    )
    return _make_sheet(next(reader), reader)


@contextlib.contextmanager
def _open_xlsx(binary) -> Iterator[Sheet]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(binary, read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFileError(
            gettext("This is not a readable XLSX file (%(error)s).") % {"error": exc}
        ) from exc
    try:
        worksheet = workbook.worksheets[0]
        rows = worksheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ImportFileError(gettext("The file is empty."))
        estimated = (worksheet.max_row - 1) if worksheet.max_row else None
        yield _make_sheet(header, (list(r) for r in rows), estimated)
    finally:
        workbook.close()


def count_rows(binary, filename: str) -> int:
    """Non-blank data rows of a file (a cheap first pass, for the progress bar)."""
    with open_sheet(binary, filename) as sheet:
        if sheet.estimated_rows is not None:
            return sheet.estimated_rows
        return sum(1 for _row in sheet.rows)


def cell_text(value) -> str:
    if type(value) is str:
        value = value.strip()
        # An apostrophe the export put before a formula-like text.
        if value[:1] == "'" and value[1:2] in ("=", "@", "+", "-"):
            return value[1:]
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


# Checking rows.


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

    if kind := text.get("kind"):
        value = vocabulary.kinds.get(normalize_key(kind))
        if value:
            values["kind"] = value
        else:
            errors.append(
                error(
                    "unknown_kind",
                    value=kind,
                    choices=", ".join(Organization.Kind.values),
                )
            )

    if code := text.get("edrpou"):
        code = _SEPARATORS.sub("", code)
        if code.isdigit() and 5 <= len(code) < 8:
            code = code.zfill(8)  # spreadsheets drop leading zeros of numbers
        if not (code.isdigit() and len(code) == 8):
            errors.append(error("bad_edrpou_length", value=code))
        elif stdnum_edrpou.calc_check_digit(code[:7]) != code[7]:
            errors.append(error("bad_edrpou_checksum", value=code))
        else:
            values["edrpou"] = code
    if number_text := text.get("rntrc"):
        code = _SEPARATORS.sub("", number_text)
        if not stdnum_rntrc.is_valid(code):
            errors.append(error("bad_rntrc", value=code))
        else:
            values["rntrc"] = code
    if values.get("edrpou") and values.get("rntrc"):
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
    if status := text.get("cluster_status"):
        value = vocabulary.cluster_statuses.get(normalize_key(status))
        if value:
            values["cluster_status"] = value
        else:
            errors.append(
                error(
                    "unknown_cluster_status",
                    value=status,
                    choices=", ".join(Organization.ClusterStatus.values),
                )
            )
    if text.get("cluster_member_since"):
        since = _parse_date(record["cluster_member_since"])
        if since:
            values["cluster_member_since"] = since
        else:
            errors.append(error("bad_date", value=text["cluster_member_since"]))
    if visibility := text.get("visibility"):
        value = vocabulary.visibilities.get(normalize_key(visibility))
        if value:
            values["visibility"] = value
        else:
            errors.append(
                error(
                    "unknown_visibility",
                    value=visibility,
                    choices=", ".join(Organization.Visibility.values),
                )
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
        in ("bad_edrpou_length", "bad_edrpou_checksum", "bad_rntrc", "bad_website")
        for e in errors
    ):
        errors.append(error("no_key"))
    return plan


# Running a dry run or an apply.


RUNNING = (ImportBatch.Status.CHECKING, ImportBatch.Status.APPLYING)


class Superseded(Exception):
    """The batch was started again, or given up on, since this run began."""


class Progress:
    """Publishes how many rows are done, and when, so other connections see it (module
    docstring). Raises Superseded when the batch row shows another attempt.

    `in_transaction`: the caller is inside the long apply transaction, so the batch
    row is written through a second connection (PostgreSQL), or not at all (SQLite,
    or when an outer transaction is open: the second connection could wait for a
    row lock this one holds).
    """

    def __init__(self, batch: ImportBatch, *, in_transaction: bool):
        self.batch_id = batch.pk
        self.attempt = batch.attempt
        self.in_transaction = in_transaction
        self.separate = (
            in_transaction
            and connection.vendor != "sqlite"
            and not connection.in_atomic_block
        )
        self._connection = None

    @staticmethod
    def cache_key(batch: ImportBatch) -> str:
        return f"directory:import-progress:{batch.pk}:{batch.attempt}"

    def __call__(self, processed: int) -> None:
        now = timezone.now()
        key = f"directory:import-progress:{self.batch_id}:{self.attempt}"
        cache.set(key, (processed, now.timestamp()), 6 * 3600)
        if not self.in_transaction:
            updated = ImportBatch.objects.filter(
                pk=self.batch_id, attempt=self.attempt
            ).update(processed_rows=processed, heartbeat_at=now)
            if not updated:
                raise Superseded
            return
        if not self.separate:
            return
        if self._connection is None:
            self._connection = connections.create_connection(DEFAULT_DB_ALIAS)
        with self._connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportBatch._meta.db_table} "
                "SET processed_rows = %s, heartbeat_at = %s "
                "WHERE id = %s AND attempt = %s",
                [processed, now, self.batch_id, self.attempt],
            )
            if cursor.rowcount == 0:
                raise Superseded

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _published(batch: ImportBatch) -> tuple[int, float] | None:
    """(rows done, heartbeat as a timestamp) of the running attempt, from the cache."""
    if batch.status not in RUNNING:
        return None
    return cache.get(Progress.cache_key(batch))


def processed_rows(batch: ImportBatch) -> int:
    """Rows done so far, including progress not yet visible in the batch row."""
    published = _published(batch)
    return max(batch.processed_rows, published[0] if published else 0)


def last_heartbeat(batch: ImportBatch) -> datetime.datetime:
    """When the running step last showed progress: the batch row's heartbeat or the
    cache's, whichever is later (the SQLite apply reaches only the cache)."""
    beat = batch.heartbeat_at or batch.created_at
    if published := _published(batch):
        cached = datetime.datetime.fromtimestamp(published[1], tz=datetime.UTC)
        beat = max(beat, cached)
    return beat


def is_stalled(batch: ImportBatch, *, now: datetime.datetime | None = None) -> bool:
    """Whether a dry run or apply has shown no progress for MIST_IMPORT_STALL_SECONDS,
    so the process running it has most likely ended."""
    if batch.status not in RUNNING:
        return False
    limit = datetime.timedelta(seconds=settings.MIST_IMPORT_STALL_SECONDS)
    return (now or timezone.now()) - last_heartbeat(batch) > limit


def restart_step(batch: ImportBatch) -> str:
    """What may be started again: "check" (a stalled or failed dry run), "apply" (a
    stalled apply) or "" (nothing; a failed apply is applied with the apply form)."""
    if batch.status == ImportBatch.Status.FAILED and not batch.report:
        return "check"
    if not is_stalled(batch):
        return ""
    return "apply" if batch.status == ImportBatch.Status.APPLYING else "check"


ATTNAMES = {"place": "place_id"}
COMPARED = ("id", "version", "slug", *(ATTNAMES.get(f, f) for f in PLAIN_FIELDS))
IMPORT_ROW_COLUMNS = [
    "batch_id",
    "row",
    "action",
    "key_kind",
    "key",
    "name",
    "organization_id",
    "changes",
    "errors",
]


def insert_rows(
    model, columns: list[str], rows: list[tuple], *, batch_size: int, db=connection
):
    """Insert plain values, for the many small rows (links, report) where building
    model instances would cost more than the database work: COPY on PostgreSQL, a
    multi-row INSERT elsewhere. JSON columns take JSON text. `db` is the connection
    (the Writer thread passes the importing thread's one)."""
    if not rows:
        return
    quote = db.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    if db.vendor == "postgresql":
        with (
            db.cursor() as cursor,
            db.wrap_database_errors,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with db.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            part = rows[start : start + batch_size]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(part))}",
                [value for row in part for value in row],
            )


def _copy_converter(field, db):
    """How a field's Python value goes into COPY: as it is for the types psycopg
    writes itself, through the field's own conversion for the rest."""
    plain = (
        models.CharField,
        models.TextField,
        models.IntegerField,
        models.BooleanField,
        models.DateField,  # DateTimeField too
        models.ForeignKey,
        models.AutoField,
        models.BigAutoField,
    )
    if isinstance(field, plain) and not isinstance(
        field, CountryField | models.FileField
    ):
        return None
    return lambda value: field.get_db_prep_save(value, db)


def insert_organizations(
    organizations: list[Organization], *, now, db=connection
) -> None:
    """Insert new organizations and set their pks. On PostgreSQL through COPY with
    ids taken from the sequence first (Django's bulk_create spends more time
    preparing 35 columns than the database spends storing them); elsewhere through
    bulk_create."""
    if db.vendor != "postgresql":
        Organization.objects.using(db.alias).bulk_create(organizations, batch_size=500)
        return
    meta = Organization._meta
    fields = [f for f in meta.concrete_fields if not getattr(f, "generated", False)]
    converters = [_copy_converter(f, db) for f in fields]
    quote = db.ops.quote_name
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
            "FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(organizations)],
        )
        for organization, (pk,) in zip(organizations, cursor.fetchall(), strict=True):
            organization.pk = pk
            organization.created_at = organization.updated_at = now
            organization._state.adding = False
        columns = ", ".join(quote(f.column) for f in fields)
        with (
            db.wrap_database_errors,
            cursor.cursor.copy(
                f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
            ) as copy,
        ):
            for organization in organizations:
                values = organization.__dict__
                copy.write_row(
                    [
                        values[f.attname]
                        if convert is None
                        else convert(getattr(organization, f.attname))
                        for f, convert in zip(fields, converters, strict=True)
                    ]
                )


class Writer:
    """Stores each chunk on a second thread, on the importing thread's connection
    (so inside its transaction), while that thread checks the next chunk: the
    database's work overlaps with Python's. One job at a time, in order; an error
    stops the rest and is raised in the importing thread. On SQLite (one writer, and
    a connection better kept on its thread) jobs run at once."""

    def __init__(self, db):
        self.db = db
        self.error: BaseException | None = None
        self.threaded = db.vendor == "postgresql"
        if self.threaded:
            self.jobs: queue.Queue = queue.Queue(maxsize=1)
            db.inc_thread_sharing()
            self.thread = threading.Thread(
                target=self._work, name="import-writer", daemon=True
            )
            self.thread.start()

    def _work(self) -> None:
        while True:
            job = self.jobs.get()
            try:
                if job is None:
                    return
                if self.error is None:
                    job(self.db)
            except BaseException as exc:  # handed to the importing thread
                self.error = exc
            finally:
                self.jobs.task_done()

    def submit(self, job: Callable) -> None:
        self._raise()
        if self.threaded:
            self.jobs.put(job)
        else:
            job(self.db)

    def wait(self) -> None:
        """Until every submitted job is stored."""
        if self.threaded:
            self.jobs.join()
        self._raise()

    def stop(self) -> None:
        """End the thread once the submitted jobs are done; raises nothing."""
        if self.threaded and self.thread.is_alive():
            self.jobs.put(None)
            self.thread.join()
            self.db.dec_thread_sharing()

    def finish(self) -> None:
        self.stop()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            raise error


class ImportRun:
    """Checks (and, when `apply`, writes) every row of a batch's file, by chunks."""

    def __init__(
        self,
        batch: ImportBatch,
        *,
        apply: bool,
        user=None,
        chunk_size: int = CHUNK_SIZE,
        progress: Callable[[int], None] | None = None,
        on_chunk: Callable[[int], None] | None = None,
    ):
        self.batch = batch
        self.apply = apply
        self.user = user
        self.chunk_size = chunk_size
        self.progress = progress
        self.on_chunk = on_chunk
        self.counts = dict.fromkeys(ImportRow.Action.values, 0)
        self.processed = 0
        self.columns: list[str] = []
        self.ignored: list[str] = []
        self.now = timezone.now()
        self.sector_through = Organization.sectors.through
        self.tag_through = Organization.tags.through

    def _load_keys(self) -> None:
        self.vocabulary = Vocabulary()
        self.by_edrpou: dict[str, int] = {}
        self.by_domain: dict[str, int] = {}
        self.by_rntrc: dict[str, int] = {}
        self.with_identifier: set[int] = set()
        self.deleted: set[int] = set()
        self.slugs: set[str] = set()
        rows = Organization.objects.order_by("pk").values_list(
            "pk", "edrpou", "rntrc", "website", "slug", "deleted_at"
        )
        for pk, edrpou, rntrc, website, slug, deleted_at in rows.iterator(10000):
            self.slugs.add(slug)
            if deleted_at is not None:
                self.deleted.add(pk)
            if edrpou:
                self.by_edrpou[edrpou] = pk
                self.with_identifier.add(pk)
            if rntrc:
                self.by_rntrc[rntrc] = pk
                self.with_identifier.add(pk)
            if website and (domain := domain_of(website)):
                # Several organizations may share a domain: the oldest alive one is
                # the match.
                known = self.by_domain.get(domain)
                if known is None or (known in self.deleted and deleted_at is None):
                    self.by_domain[domain] = pk
        self.seen: dict[str, dict[str, int]] = {"edrpou": {}, "domain": {}, "rntrc": {}}
        self.matched: dict[int, int] = {}
        self.slug_counters: dict[str, int] = {}

    def run(self) -> None:
        self._load_keys()
        # The wrapper itself: the `connection` proxy would be another one there.
        self.writer = Writer(connections[DEFAULT_DB_ALIAS]) if self.apply else None
        try:
            with (
                self.batch.file.open("rb") as binary,
                open_sheet(binary, self.batch.original_name) as sheet,
            ):
                self.columns = list(sheet.columns.values())
                self.ignored = sheet.ignored
                while chunk := list(itertools.islice(sheet.rows, self.chunk_size)):
                    self._run_chunk(sheet, chunk)
        except BaseException:
            if self.writer:
                self.writer.stop()
                if self.writer.error is not None:
                    # The first failure, not what the aborted transaction said next.
                    raise self.writer.error from None
            raise
        if self.writer:
            self.writer.finish()

    def _wait_for_writes(self) -> None:
        """Before this thread uses the connection the Writer may be using."""
        if self.writer:
            self.writer.wait()

    def _run_chunk(self, sheet: Sheet, chunk: list) -> None:
        plans = [
            self._match(check_row(number, sheet.record(cells), self.vocabulary))
            for number, cells in chunk
        ]
        self._compare(plans)
        for plan in plans:
            self.counts[plan.action] += 1
        self.processed += len(chunk)
        if self.apply:
            self._write(plans)
            if self.progress:
                self.progress(self.processed)
        else:
            # The heartbeat locks the batch row first, so a restart waits for this
            # chunk, or this chunk sees the restart and writes nothing.
            with transaction.atomic():
                if self.progress:
                    self.progress(self.processed)
                self._record(plans, connection)
        if self.on_chunk:
            self._wait_for_writes()
            self.on_chunk(self.processed)

    def _match(self, plan: RowPlan) -> RowPlan:
        """Find the organization a row is about, and rows that repeat a key."""
        if not plan.key_kind:
            return plan
        identifiers = {
            "edrpou": plan.values.get("edrpou"),
            "domain": plan.domain,
            "rntrc": plan.values.get("rntrc"),
        }
        earlier = self.seen[plan.key_kind].get(plan.key)
        for kind, value in identifiers.items():
            if value:
                self.seen[kind].setdefault(value, plan.row)
        if earlier is not None:
            plan.errors.append(error("duplicate", row=earlier, key=plan.key_kind))
            return plan
        if plan.key_kind == "edrpou":
            pk = self.by_edrpou.get(plan.key)
            if pk is None and plan.domain:
                # The same organization entered earlier with its website only.
                candidate = self.by_domain.get(plan.domain)
                if candidate and candidate not in self.with_identifier:
                    pk = candidate
        elif plan.key_kind == "domain":
            pk = self.by_domain.get(plan.key)
        else:
            pk = self.by_rntrc.get(plan.key)
        if pk is None:
            return plan
        if pk in self.deleted:
            plan.errors.append(
                error("deleted_match", key=plan.key_kind, value=plan.key)
            )
            return plan
        if pk in self.matched:
            plan.errors.append(
                error("duplicate", row=self.matched[pk], key="organization")
            )
            return plan
        self.matched[pk] = plan.row
        plan.organization_id = pk
        return plan

    def _compare(self, plans: list[RowPlan]) -> None:
        """Decide each row's action; for updates, which fields change."""
        ids = [p.organization_id for p in plans if p.organization_id and not p.errors]
        if ids:
            self._wait_for_writes()
        # Plain values are compared; only updates become model instances below.
        existing = (
            {
                values["id"]: values
                for values in Organization.objects.filter(pk__in=ids).values(*COMPARED)
            }
            if ids
            else {}
        )
        sectors = self._links(self.sector_through, "sector_id", plans, ids, "sectors")
        tags = self._links(self.tag_through, "tag_id", plans, ids, "tags")
        for plan in plans:
            if plan.errors:
                plan.action = ImportRow.Action.REJECT
                continue
            if not plan.organization_id:
                if "kind" not in plan.values:
                    plan.errors.append(error("missing_kind"))
                    plan.action = ImportRow.Action.REJECT
                else:
                    # A partner abroad may have only an English name.
                    plan.values.setdefault("name_uk", plan.values.get("name_en", ""))
                    plan.action = ImportRow.Action.CREATE
                continue
            current = existing[plan.organization_id]
            merged_edrpou = plan.values.get("edrpou") or current["edrpou"]
            merged_rntrc = plan.values.get("rntrc") or current["rntrc"]
            if merged_edrpou and merged_rntrc:
                plan.errors.append(error("edrpou_and_rntrc"))
                plan.action = ImportRow.Action.REJECT
                continue
            for name, value in plan.values.items():
                if (current[ATTNAMES.get(name, name)] or None) != (value or None):
                    plan.changes.append(name)
            pk = plan.organization_id
            if plan.sectors is not None and plan.sectors != sectors.get(pk, set()):
                plan.changes.append("sectors")
            if plan.tags is not None and plan.tags != tags.get(pk, set()):
                plan.changes.append("tags")
            if plan.changes:
                # Everything build_search_fields() reads is among COMPARED.
                plan.instance = Organization(**current)
                plan.action = ImportRow.Action.UPDATE
            else:
                plan.action = ImportRow.Action.UNCHANGED

    def _links(self, through, column, plans, ids, attribute) -> dict[int, set[int]]:
        if not ids or not any(getattr(p, attribute) is not None for p in plans):
            return {}
        links: dict[int, set[int]] = {}
        for org_id, target in through.objects.filter(
            organization_id__in=ids
        ).values_list("organization_id", column):
            links.setdefault(org_id, set()).add(target)
        return links

    def _slug(self, values: dict) -> str:
        base = slugify(translit(values["name_uk"]))[:100].strip("-")
        base = base or slugify(values.get("name_en", ""))[:100].strip("-") or "org"
        slug = base
        number = self.slug_counters.get(base, 1)
        while slug in self.slugs:
            number += 1
            slug = f"{base}-{number}"
        self.slug_counters[base] = number
        self.slugs.add(slug)
        return slug

    def _write(self, plans: list[RowPlan]) -> None:
        creates = [p for p in plans if p.action == ImportRow.Action.CREATE]
        updates = [p for p in plans if p.action == ImportRow.Action.UPDATE]
        new_orgs = []
        for plan in creates:
            values = dict(plan.values)
            place = values.pop("place", None)
            org = Organization(
                **values,
                place_id=place,
                slug=self._slug(values),
                verification=Organization.Verification.VERIFIED,
                verified_at=self.now,
                verified_by=self.user if self.user and self.user.pk else None,
            )
            org.search_document, org.search_names = build_search_fields(org)
            new_orgs.append(org)
        self._write_updates(updates)

        def store(db) -> None:
            if new_orgs:
                insert_organizations(new_orgs, now=self.now, db=db)
                for plan, org in zip(creates, new_orgs, strict=True):
                    plan.organization_id = org.pk
            self._write_links(self.sector_through, "sector_id", "sectors", creates, db)
            self._write_links(self.tag_through, "tag_id", "tags", creates, db)
            self._record(plans, db)

        self.writer.submit(store)

    def _write_updates(self, updates: list[RowPlan]) -> None:
        """Changed organizations, here and now (the next chunk may read them)."""
        if not updates:
            return
        self._wait_for_writes()
        changed_fields = {"search_document", "search_names", "updated_at", "version"}
        for plan in updates:
            org = plan.instance
            for name in plan.changes:
                if name == "place":
                    org.place_id = plan.values["place"]
                elif name not in ("sectors", "tags"):
                    setattr(org, name, plan.values[name])
                    changed_fields.add(name)
            if "place" in plan.changes:
                changed_fields.add("place")
            org.updated_at = self.now
            org.version += 1
            org.search_document, org.search_names = build_search_fields(org)
        Organization.objects.bulk_update(
            [p.instance for p in updates], sorted(changed_fields), batch_size=500
        )
        for through, column, attribute in (
            (self.sector_through, "sector_id", "sectors"),
            (self.tag_through, "tag_id", "tags"),
        ):
            replaced = [p for p in updates if attribute in p.changes]
            if replaced:
                through.objects.filter(
                    organization_id__in=[p.organization_id for p in replaced]
                ).delete()
                self._write_links(through, column, attribute, replaced, connection)

    def _write_links(self, through, column, attribute, plans, db) -> None:
        links = [
            (plan.organization_id, target)
            for plan in plans
            for target in sorted(getattr(plan, attribute) or ())
        ]
        insert_rows(through, ["organization_id", column], links, batch_size=2000, db=db)

    def _record(self, plans: list[RowPlan], db) -> None:
        def as_json(value):
            return json.dumps(value, ensure_ascii=False) if value else "[]"

        rows = []
        for plan in plans:
            name = plan.values.get("name_uk") or plan.values.get("name_en") or ""
            rows.append(
                (
                    self.batch.pk,
                    plan.row,
                    str(plan.action),
                    plan.key_kind,
                    plan.key[:255],
                    name[:255],
                    plan.organization_id,
                    as_json(plan.changes),
                    as_json(plan.errors),
                )
            )
        insert_rows(ImportRow, IMPORT_ROW_COLUMNS, rows, batch_size=500, db=db)

    def summary(self) -> dict:
        return {
            "phase": "apply" if self.apply else "dry_run",
            "columns": self.columns,
            "ignored_columns": self.ignored,
        }


def _store_outcome(batch: ImportBatch, run: ImportRun, status: str) -> None:
    batch.status = status
    batch.total_rows = batch.processed_rows = run.processed
    batch.created_count = run.counts[ImportRow.Action.CREATE]
    batch.updated_count = run.counts[ImportRow.Action.UPDATE]
    batch.unchanged_count = run.counts[ImportRow.Action.UNCHANGED]
    batch.rejected_count = run.counts[ImportRow.Action.REJECT]
    batch.report = run.summary()
    batch.error_message = ""
    batch.heartbeat_at = timezone.now()


def _mark_failed(batch: ImportBatch, message: str) -> None:
    batch.status = ImportBatch.Status.FAILED
    batch.error_message = message
    ImportBatch.objects.filter(pk=batch.pk, attempt=batch.attempt).update(
        status=batch.status, error_message=message, updated_at=timezone.now()
    )


def _still_current(batch: ImportBatch, status: str) -> bool:
    """Locks the batch row (until the transaction ends) and tells whether this run
    is still the batch's current attempt."""
    return (
        ImportBatch.objects.select_for_update()
        .filter(pk=batch.pk, attempt=batch.attempt, status=status)
        .exists()
    )


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, ImportFileError):
        return str(exc)
    return gettext("Unexpected error, nothing was written: %(error)s") % {
        "error": f"{type(exc).__name__}: {exc}"
    }


# Use cases.


def create_import(*, uploaded_file, user) -> ImportBatch:
    """Store an uploaded file as a new batch and start its dry run in the background."""
    from core.tasks import enqueue
    from directory.tasks import check_import_task

    name = uploaded_file.name.rsplit("/", 1)[-1][:255]
    if not name.lower().endswith((".csv", ".xlsx", ".xlsm", ".txt")):
        raise ValidationError(
            gettext("Upload a CSV or an XLSX file (this one is %(name)s).")
            % {"name": name},
            code="file_type",
        )
    if uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            gettext("The file is larger than %(size)s MB.")
            % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="file_size",
        )
    with transaction.atomic():
        batch = ImportBatch(
            original_name=name,
            created_by=user if user and user.is_authenticated else None,
            status=ImportBatch.Status.CHECKING,
            heartbeat_at=timezone.now(),
        )
        batch.file.save(name, uploaded_file, save=False)
        batch.save()
        enqueue(check_import_task, batch.pk, attempt=batch.attempt)
    return batch


def check_import(batch: ImportBatch, *, chunk_size: int = CHUNK_SIZE) -> ImportBatch:
    """The dry run: check every row and record what applying would do. Writes no
    organization."""
    batch.status = ImportBatch.Status.CHECKING
    batch.processed_rows = 0
    try:
        with batch.file.open("rb") as binary:
            batch.total_rows = count_rows(binary, batch.original_name)
    except Exception as exc:
        _mark_failed(batch, _failure_message(exc))
        return batch
    with transaction.atomic():
        if not ImportBatch.objects.filter(pk=batch.pk, attempt=batch.attempt).update(
            status=batch.status,
            processed_rows=0,
            total_rows=batch.total_rows,
            heartbeat_at=timezone.now(),
        ):
            logger.info("Dry run of import %s superseded", batch.pk)
            return batch
        ImportRow.objects.filter(batch=batch).delete()
    progress = Progress(batch, in_transaction=False)
    run = ImportRun(batch, apply=False, chunk_size=chunk_size, progress=progress)
    try:
        run.run()
    except Superseded:
        logger.info("Dry run of import %s superseded", batch.pk)
        return batch
    except Exception as exc:
        if not isinstance(exc, ImportFileError):
            logger.exception("Dry run of import %s failed", batch.pk)
        with transaction.atomic():
            if _still_current(batch, ImportBatch.Status.CHECKING):
                ImportRow.objects.filter(batch=batch).delete()
                _mark_failed(batch, _failure_message(exc))
        return batch
    with transaction.atomic():
        if not _still_current(batch, ImportBatch.Status.CHECKING):
            logger.info("Dry run of import %s superseded", batch.pk)
            return batch
        _store_outcome(batch, run, ImportBatch.Status.CHECKED)
        batch.save()
    cache.delete(Progress.cache_key(batch))
    return batch


def start_apply(batch: ImportBatch, *, user) -> bool:
    """Queue the apply of a checked batch; False when it is not in a state to apply
    (already applying or applied, or not checked yet)."""
    from core.tasks import enqueue
    from directory.tasks import apply_import_task

    with transaction.atomic():
        started = ImportBatch.objects.filter(
            pk=batch.pk,
            status__in=[ImportBatch.Status.CHECKED, ImportBatch.Status.FAILED],
            report__phase__isnull=False,
        ).update(
            status=ImportBatch.Status.APPLYING,
            processed_rows=0,
            error_message="",
            heartbeat_at=timezone.now(),
            attempt=F("attempt") + 1,
        )
        if started:
            attempt = ImportBatch.objects.values_list("attempt", flat=True).get(
                pk=batch.pk
            )
            enqueue(
                apply_import_task, batch.pk, user.pk if user else None, attempt=attempt
            )
    return bool(started)


def restart_import(batch: ImportBatch, *, user) -> bool:
    """Start a stalled dry run or apply (or a failed dry run) again from the first
    row; False when there is nothing to restart: the run moves again, ended, or
    someone restarted it first."""
    from core.tasks import enqueue
    from directory.tasks import apply_import_task, check_import_task

    step = restart_step(batch)
    if not step:
        return False
    status = (
        ImportBatch.Status.APPLYING if step == "apply" else ImportBatch.Status.CHECKING
    )
    with transaction.atomic():
        # Only if nobody (a run's heartbeat, another restart) changed the batch
        # since it was read.
        started = ImportBatch.objects.filter(
            pk=batch.pk,
            status=batch.status,
            attempt=batch.attempt,
            heartbeat_at=batch.heartbeat_at,
        ).update(
            status=status,
            processed_rows=0,
            error_message="",
            heartbeat_at=timezone.now(),
            attempt=F("attempt") + 1,
        )
        if not started:
            return False
        attempt = batch.attempt + 1
        if step == "apply":
            enqueue(
                apply_import_task, batch.pk, user.pk if user else None, attempt=attempt
            )
        else:
            enqueue(check_import_task, batch.pk, attempt=attempt)
        audit.record("import.restarted", batch, actor=user, step=step, attempt=attempt)
    return True


def fail_stalled_imports(*, now: datetime.datetime | None = None) -> int:
    """Mark every stalled dry run and apply FAILED, saying why; how many were."""
    now = now or timezone.now()
    minutes = max(1, round(settings.MIST_IMPORT_STALL_SECONDS / 60))
    failed = 0
    for batch in ImportBatch.objects.filter(status__in=RUNNING).order_by("pk"):
        if not is_stalled(batch, now=now):
            continue
        if batch.status == ImportBatch.Status.APPLYING:
            message = ngettext(
                "The apply stopped: no progress for %(count)s minute, so the process "
                "running it has ended. Nothing was written; apply the import again.",
                "The apply stopped: no progress for %(count)s minutes, so the process "
                "running it has ended. Nothing was written; apply the import again.",
                minutes,
            ) % {"count": minutes}
        else:
            message = ngettext(
                "The dry run stopped: no progress for %(count)s minute, so the "
                "process running it has ended. Run the dry run again.",
                "The dry run stopped: no progress for %(count)s minutes, so the "
                "process running it has ended. Run the dry run again.",
                minutes,
            ) % {"count": minutes}
        try:
            with transaction.atomic():
                marked = ImportBatch.objects.filter(
                    pk=batch.pk,
                    status=batch.status,
                    attempt=batch.attempt,
                    heartbeat_at=batch.heartbeat_at,
                ).update(
                    status=ImportBatch.Status.FAILED,
                    error_message=message,
                    attempt=F("attempt") + 1,
                    updated_at=now,
                )
                if marked and batch.status == ImportBatch.Status.CHECKING:
                    # What the dead dry run recorded is a part of a report.
                    ImportRow.objects.filter(batch=batch).delete()
            failed += marked
        except OperationalError:
            # SQLite: a live apply in another process holds the only write lock
            # (its heartbeat sits in that process's cache); it is not stalled.
            if connection.vendor != "sqlite":
                raise
            logger.info("Import %s is locked by a running apply", batch.pk)
    return failed


def apply_import(
    batch: ImportBatch,
    *,
    user=None,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
) -> ImportBatch:
    """Apply a batch in one transaction: check every row again, create and update
    organizations, record each row's outcome. On any error nothing is written and
    the batch is FAILED with the message. A run superseded by a restart (module
    docstring) writes nothing and leaves the batch alone."""
    if not ImportBatch.objects.filter(pk=batch.pk, attempt=batch.attempt).update(
        status=ImportBatch.Status.APPLYING,
        processed_rows=0,
        heartbeat_at=timezone.now(),
    ):
        logger.info("Apply of import %s superseded", batch.pk)
        return batch
    batch.status = ImportBatch.Status.APPLYING
    progress = Progress(batch, in_transaction=True)
    run = ImportRun(
        batch,
        apply=True,
        user=user,
        chunk_size=chunk_size,
        progress=progress,
        on_chunk=on_chunk,
    )
    try:
        with transaction.atomic():
            ImportRow.objects.filter(batch=batch).delete()
            run.run()
            progress.close()  # before this connection locks the batch row below
            if not _still_current(batch, ImportBatch.Status.APPLYING):
                raise Superseded
            _store_outcome(batch, run, ImportBatch.Status.APPLIED)
            batch.applied_at = timezone.now()
            batch.save()
            audit.record(
                "import.applied",
                batch,
                actor=user,
                file=batch.original_name,
                created=batch.created_count,
                updated=batch.updated_count,
                unchanged=batch.unchanged_count,
                rejected=batch.rejected_count,
            )
    except Superseded:
        logger.info("Apply of import %s superseded; nothing written", batch.pk)
    except Exception as exc:
        if not isinstance(exc, ImportFileError):
            logger.exception("Apply of import %s failed", batch.pk)
        _mark_failed(batch, _failure_message(exc))
    finally:
        progress.close()
        cache.delete(Progress.cache_key(batch))
    return batch


# Files to download.


def template_rows() -> tuple[list[str], list[str]]:
    """The template's header and its one example row."""
    header = list(COLUMNS)
    return header, [TEMPLATE_EXAMPLE.get(column, "") for column in header]


def rejected_rows(batch: ImportBatch) -> Iterator[list]:
    """The file's header plus an "errors" column, then every rejected row as it was
    uploaded, with its errors in the active language."""
    rejected = dict(
        batch.rows.filter(action=ImportRow.Action.REJECT).values_list("row", "errors")
    )
    with (
        batch.file.open("rb") as binary,
        open_sheet(binary, batch.original_name) as sheet,
    ):
        yield [*sheet.header, gettext("errors")]
        width = len(sheet.header)
        for number, cells in sheet.rows:
            if number in rejected:
                cells = list(cells)[:width] + [None] * (width - len(cells))
                yield [*cells, "; ".join(error_messages(rejected[number]))]
