"""Synthetic demo data: a clearly labelled Kharkiv ecosystem to try Mist with.

Everything here is generated from a seed (random.Random), so the same seed always
gives the same organizations. Every organization is marked `is_demo=True` and its
descriptions say that it is demo data. Identifiers (EDRPOU, taxpayer numbers) are
checksum-valid but made up.
"""

import datetime
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from stdnum.ua import edrpou as edrpou_number
from stdnum.ua import rntrc as rntrc_number
from translitua import translit

from accounts.models import Membership, Role, User
from core import demo
from directory.models import Organization, Place, Sector, Tag
from directory.reference import (
    load_reference_data,
    place_rows,
    sector_rows,
    tag_rows,
)
from directory.search import build_search_fields

SEED = 2026
DEMO_PASSWORD = demo.PASSWORD
# The words the generator combines: logins, name parts, sentence templates ([uk, en]
# pairs for str.format), how many cluster members of each kind.
CONTENT = demo.load(__file__)
# Hand-written organizations (universities, city bodies, partners abroad, ...).
CATALOGUE = demo.load(__file__, "organizations")

Kind = Organization.Kind
Size = Organization.Size

# One login per role.
DEMO_ACCOUNTS = [
    (Role(row["role"]), row["email"], row["full_name"], row["preferred_language"])
    for row in CONTENT["accounts"]
]
DEMO_NOTE_UK, DEMO_NOTE_EN = CONTENT["note"]
SENTENCES = CONTENT["sentences"]
SIZE_PHRASES = CONTENT["size_phrases"]

# How many: IT companies with brand names (Ukrainian-named ones and sole proprietors
# come on top), startups, profiles pending or rejected, members-only profiles,
# profiles in Ukrainian only.
COUNTS = CONTENT["counts"]


def _say(key: str, **values) -> tuple[str, str]:
    """The [uk, en] sentence `key`, filled in."""
    uk, en = SENTENCES[key]
    return uk.format(**values), en.format(**values)


@dataclass
class DemoOrganization:
    """Everything needed to create one demo organization."""

    kind: str
    name_uk: str
    name_en: str
    description_uk: str
    description_en: str
    sector_codes: list[str]
    tag_slugs: list[str]
    founded_year: int | None
    size: str
    country: str = "UA"
    place_code: str | None = None
    locality: str = ""
    phone: str = ""
    edrpou: str | None = None
    rntrc: str | None = None
    cluster_status: str = Organization.ClusterStatus.NONE
    cluster_member_since: datetime.date | None = None
    verification: str = Organization.Verification.VERIFIED
    rejection_reason: str = ""
    visibility: str = Organization.Visibility.PUBLIC


@dataclass(frozen=True)
class DemoResult:
    """What one run of seed_demo did."""

    organizations_created: int
    organizations_existing: int
    users_created: int
    memberships_created: int
    by_kind: dict


class _Builder:
    """Generates the demo organizations from one random.Random."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.edrpous: set[str] = set()
        self.divisions = {
            row["code"]: row for row in sector_rows() if row["level"] == "division"
        }
        city = settings.MIST_CITY_KATOTTG
        self.districts = [row for row in place_rows() if row["parent"] == city]
        self.towns = [
            row
            for row in place_rows()
            if row["category"] == "M" and row["code"] != city
        ]
        self.city = next(row for row in place_rows() if row["code"] == city)

    # --- small helpers ---

    def edrpou(self) -> str:
        while True:
            stem = self.rng.choice("02345") + f"{self.rng.randrange(10**6):06d}"
            code = stem + edrpou_number.calc_check_digit(stem)
            if code not in self.edrpous:
                self.edrpous.add(code)
                return code

    def rntrc(self, *, female: bool) -> str:
        born = datetime.date(1975, 1, 1) + datetime.timedelta(
            days=self.rng.randrange(25 * 365)
        )
        days = (born - datetime.date(1899, 12, 31)).days
        serial = f"{self.rng.randrange(1000):03d}"
        sex = self.rng.choice("02468" if female else "13579")
        stem = f"{days:05d}{serial}{sex}"
        return stem + rntrc_number.calc_check_digit(stem)

    def phone_ua(self) -> str:
        digits = f"{self.rng.randrange(10**7):07d}"
        return f"+380 57 {digits[:3]} {digits[3:5]} {digits[5:]}"

    def district(self) -> dict:
        return self.rng.choice(self.districts)

    def tags(self, pool, low=2, high=5) -> list[str]:
        count = min(len(pool), self.rng.randint(low, high))
        return self.rng.sample(list(pool), count)

    def division_sentence(self, code: str) -> tuple[str, str]:
        row = self.divisions[code]
        return _say(
            "division", code=code, name_uk=row["name_uk"], name_en=row["name_en"]
        )

    def tag_sentence(self, slugs, templates="tag_sentences") -> tuple[str, str]:
        uk_template, en_template = self.rng.choice(CONTENT[templates])
        words = _areas(slugs)
        return (
            uk_template.format(tags=words["areas_uk"]),
            en_template.format(tags=words["areas_en"]),
        )

    def office_sentence(self, place: dict, size: str) -> tuple[str, str]:
        uk_template, en_template = self.rng.choice(CONTENT["office_sentences"])
        place_uk, place_en = _where(place)
        size_uk, size_en = SIZE_PHRASES[size]
        return (
            uk_template.format(place_uk=place_uk, size_uk=size_uk),
            en_template.format(place_en=place_en, size_en=size_en),
        )

    def founded(self, low: int, high: int) -> int:
        # Skewed towards recent years, as the Kharkiv IT industry grew.
        return max(low, min(high, high - int(self.rng.expovariate(1 / 7))))

    def size(self, kind: Kind) -> str:
        """A size drawn with the kind's weights (CONTENT["size_weights"])."""
        weights = CONTENT["size_weights"][kind.value]
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    # --- kinds ---

    def it_companies(self) -> list[DemoOrganization]:
        names = set()
        result = []
        while len(names) < COUNTS["it_companies"]:
            prefix = self.rng.choice(CONTENT["brand_prefixes"])
            suffix = self.rng.choice(CONTENT["brand_suffixes"])
            tail = self.rng.choice(CONTENT["brand_tails"])
            name_en = prefix[0] + suffix[0] + tail[0]
            if prefix[0] + suffix[0] in {name.split(" ")[0] for name in names}:
                continue
            names.add(name_en)
            name_uk = prefix[1] + suffix[1] + tail[1]
            result.append(self._it_company(name_uk, name_en))
        result.extend(
            self._it_company(name_uk, "")
            for name_uk in CONTENT["ukrainian_named_it_companies"]
        )
        result.extend(
            self._sole_proprietor(**person) for person in CONTENT["sole_proprietors"]
        )
        return result

    def _it_company(self, name_uk: str, name_en: str) -> DemoOrganization:
        year = self.founded(1993, 2024)
        size = self.size(Kind.IT_COMPANY)
        division = self.rng.choices(["62", "63", "58", "26"], [80, 12, 5, 3])[0]
        sectors = ["J", division] if division != "26" else ["C", "26", "J", "62"]
        if self.rng.random() < 0.15:
            sectors += ["M", "72"]
        tags = self.tags(CONTENT["it_tags"])
        place = self.district()
        shown_en = name_en or translit(name_uk)
        opening = self.rng.choice(CONTENT["it_openings"])
        parts = [
            (
                opening[0].format(name=name_uk, year=year),
                opening[1].format(name=shown_en, year=year),
            ),
            self.tag_sentence(tags),
            self.office_sentence(place, size),
        ]
        if self.rng.random() < 0.5 and division in ("62", "63"):
            parts.append(self.division_sentence(division))
        parts.append(self.rng.choice(CONTENT["it_closings"]))
        row = {"name_uk": name_uk, "name_en": name_en, "tags": tags}
        return self._local(Kind.IT_COMPANY, row, parts, sectors, year, size, place)

    def _sole_proprietor(self, *, female, **person) -> DemoOrganization:
        name_uk = CONTENT["sole_proprietor_name"].format(**person)
        years = self.rng.randint(4, 15)
        tags = self.tags(CONTENT["sole_proprietor_tags"], 2, 3)
        parts = [
            _say(
                "sole_proprietor",
                role_uk=SENTENCES["sole_proprietor_role"][female],
                years=years,
                years_uk=_years_uk(years),
            ),
            self.tag_sentence(tags, "work_sentences"),
            _say("sole_proprietor_clients"),
        ]
        row = {"name_uk": name_uk, "name_en": "", "tags": tags}
        year, place = 2026 - years, self.district()
        org = self._local(
            Kind.IT_COMPANY, row, parts, ["J", "62"], year, Size.MICRO, place
        )
        org.edrpou = None
        org.rntrc = self.rntrc(female=female)
        org.phone = ""
        return org

    def startups(self) -> list[DemoOrganization]:
        domains = CATALOGUE["startup_domains"]
        result = []
        used = set()
        while len(result) < COUNTS["startups"]:
            domain = domains[len(result) % len(domains)]
            suffix = self.rng.choice(CONTENT["startup_suffixes"])
            names = {
                "name_en": domain["prefix_en"] + suffix[0],
                "name_uk": domain["prefix_uk"] + suffix[1],
            }
            if names["name_en"] in used:
                continue
            used.add(names["name_en"])
            year = self.rng.randint(2018, 2025)
            size = self.size(Kind.STARTUP)
            tags = self.tags(domain["tags"], 2, 4)
            stage_uk, stage_en = self.rng.choice(CONTENT["startup_stages"])
            opening = self.rng.choice(CONTENT["startup_openings"])
            division = domain["division"]
            sectors = ["J", "62"]
            if division != "62":
                sectors += [self._section_of(division), division]
            parts = [
                (
                    opening[0].format(name=names["name_uk"], year=year, **domain),
                    opening[1].format(name=names["name_en"], year=year, **domain),
                ),
                self.tag_sentence(tags),
                _say("startup_stage", stage_uk=stage_uk, stage_en=stage_en),
            ]
            row = names | {"tags": tags}
            place = self.district()
            result.append(
                self._local(Kind.STARTUP, row, parts, sectors, year, size, place)
            )
        return result

    def businesses(self) -> Iterator[DemoOrganization]:
        for row in CATALOGUE["businesses"]:
            parts = [
                _say("business", **row),
                _say("business_digital", **_areas(row["tags"], "tags")),
                _say("business_partners"),
            ]
            near = self.rng.random() < 0.8
            place = self.district() if near else self.rng.choice(self.towns)
            division = row["division"]
            sectors = [self._section_of(division), division]
            year, size = row["founded"], row["size"]
            yield self._local(Kind.BUSINESS, row, parts, sectors, year, size, place)

    def education(self) -> Iterator[DemoOrganization]:
        for row in CATALOGUE["education"]:
            is_university = "університет" in row["name_uk"]
            who = "education_who_university" if is_university else "education_who"
            who_uk, who_en = SENTENCES[who]
            parts = [
                _say("education", **_shown(row)),
                _say("education_city", who_uk=who_uk, who_en=who_en),
                self.tag_sentence(row["tags"]),
            ]
            sectors = ["P", "85", *(["M", "72"] if is_university else [])]
            year, size = row["founded"], row["size"]
            place = self.district()
            yield self._local(Kind.EDUCATION, row, parts, sectors, year, size, place)

    def research(self) -> Iterator[DemoOrganization]:
        for row in CATALOGUE["research"]:
            parts = [
                _say("research", **_shown(row)),
                self.tag_sentence(row["tags"]),
                _say("research_open"),
            ]
            year, size, place = row["founded"], row["size"], self.district()
            yield self._local(Kind.RESEARCH, row, parts, ["M", "72"], year, size, place)

    def city_bodies(self) -> Iterator[DemoOrganization]:
        for row in CATALOGUE["city_bodies"]:
            parts = [
                (row["what_uk"], row["what_en"]),
                self.tag_sentence(row["tags"], "work_sentences"),
            ]
            size = self.size(Kind.CITY_BODY)
            yield self._local(
                Kind.CITY_BODY, row, parts, ["O", "84"], None, size, self.city
            )

    def communal_enterprises(self) -> Iterator[DemoOrganization]:
        for row in CATALOGUE["communal_enterprises"]:
            year = self.rng.randint(1995, 2022)
            parts = [
                (row["what_uk"], row["what_en"]),
                _say("communal_enterprise", year=year),
                self.tag_sentence(row["tags"], "work_sentences"),
            ]
            division = row["division"]
            sectors = [self._section_of(division), division]
            size, place = self.size(Kind.COMMUNAL_ENTERPRISE), self.district()
            yield self._local(
                Kind.COMMUNAL_ENTERPRISE, row, parts, sectors, year, size, place
            )

    def ngos(self) -> Iterator[DemoOrganization]:
        for row in CATALOGUE["ngos"]:
            year = row["founded"]
            parts = [
                (row["what_uk"], row["what_en"]),
                self.tag_sentence(row["tags"], "work_sentences"),
                _say("ngo", year=year),
            ]
            size, place = self.size(Kind.NGO), self.district()
            yield self._local(Kind.NGO, row, parts, ["S", "94"], year, size, place)

    def investors(self) -> Iterator[DemoOrganization]:
        for row in CATALOGUE["investors"]:
            year = self.rng.randint(2008, 2024)
            low, high = row["ticket_low"], row["ticket_high"]
            parts = [
                _say("investor", year=year, **_shown(row)),
                _say("investor_areas", **_areas(row["tags"])),
                _say(
                    "investor_ticket",
                    low_uk=_thousands_uk(low),
                    high_uk=_thousands_uk(high),
                    low_en=_thousands_en(low),
                    high_en=_thousands_en(high),
                ),
            ]
            sectors = ["K", "64", "66"]
            size, place = self.size(Kind.INVESTOR), self.district()
            yield self._local(Kind.INVESTOR, row, parts, sectors, year, size, place)

    def foreign_partners(self) -> Iterator[DemoOrganization]:
        for row in CATALOGUE["foreign_partners"]:
            year = self.rng.randint(1985, 2021)
            is_albuquerque = row["locality"].endswith("New Mexico")
            tie_uk, tie_en = SENTENCES[
                "partner_sister_city" if is_albuquerque else "partner_valley"
            ]
            areas_uk, areas_en = _say("partner_areas", **_areas(row["tags"]))
            what_uk, what_en = row["what_uk"], row["what_en"]
            description_uk = (
                " ".join([what_uk, tie_uk, areas_uk, DEMO_NOTE_UK]) if what_uk else ""
            )
            yield DemoOrganization(
                kind=Kind.FOREIGN_PARTNER,
                name_uk=row["name_uk"] or row["name_en"],
                name_en=row["name_en"],
                description_uk=description_uk,
                description_en=" ".join([what_en, tie_en, areas_en, DEMO_NOTE_EN]),
                sector_codes=_foreign_sectors(what_en),
                tag_slugs=list(row["tags"]),
                founded_year=year,
                size=self.size(Kind.FOREIGN_PARTNER),
                country="US",
                locality=row["locality"],
                phone=f"+1 {row['area_code']} 555 01{self.rng.randrange(100):02d}",
            )

    def _section_of(self, division: str) -> str:
        return self.divisions[division]["parent"]

    def _local(self, kind, row, parts, sectors, year, size, place) -> DemoOrganization:
        """An organization in the city (`row`: its name_uk, name_en and tags)."""
        sentences = [pair for pair in parts if pair[0]]
        return DemoOrganization(
            kind=kind,
            name_uk=row["name_uk"],
            name_en=row["name_en"],
            description_uk=" ".join([*(uk for uk, _ in sentences), DEMO_NOTE_UK]),
            description_en=" ".join([*(en for _, en in sentences), DEMO_NOTE_EN]),
            sector_codes=list(dict.fromkeys(sectors)),
            tag_slugs=list(row["tags"]),
            founded_year=year,
            size=size,
            place_code=place["code"],
            phone=self.phone_ua(),
            edrpou=self.edrpou(),
        )

    # --- the whole ecosystem ---

    def build(self) -> list[DemoOrganization]:
        organizations = [
            *self.it_companies(),
            *self.startups(),
            *self.businesses(),
            *self.education(),
            *self.research(),
            *self.city_bodies(),
            *self.communal_enterprises(),
            *self.ngos(),
            *self.investors(),
            *self.foreign_partners(),
        ]
        self._assign_membership(organizations)
        self._assign_moderation(organizations)
        self._drop_some_english(organizations)
        return organizations

    def _assign_membership(self, organizations) -> None:
        cluster_name = CONTENT["cluster_name_uk"]
        for kind, count in CONTENT["cluster_members"].items():
            candidates = [
                org
                for org in organizations
                if org.kind == kind and org.edrpou and cluster_name not in org.name_uk
            ]
            for org in self.rng.sample(candidates, count):
                first = max(2015, org.founded_year or 2015)
                start = datetime.date(first, 3, 1)
                span = (datetime.date(2026, 6, 30) - start).days
                org.cluster_status = Organization.ClusterStatus.MEMBER
                org.cluster_member_since = start + datetime.timedelta(
                    days=self.rng.randrange(max(span, 1))
                )
                member_uk, member_en = _say(
                    "cluster_member", since=org.cluster_member_since.year
                )
                org.description_uk = org.description_uk.replace(
                    DEMO_NOTE_UK, member_uk + DEMO_NOTE_UK
                )
                org.description_en = org.description_en.replace(
                    DEMO_NOTE_EN, member_en + DEMO_NOTE_EN
                )
        others = [
            org
            for org in organizations
            if org.kind == Kind.IT_COMPANY
            and org.edrpou
            and org.cluster_status == Organization.ClusterStatus.NONE
        ]
        for index, org in enumerate(self.rng.sample(others, min(6, len(others)))):
            org.cluster_status = (
                Organization.ClusterStatus.FORMER
                if index < 4
                else Organization.ClusterStatus.SUSPENDED
            )

    def _assign_moderation(self, organizations) -> None:
        """A few new profiles wait for moderation; some members show to members only."""
        newcomers = [
            org
            for org in organizations
            if org.kind in (Kind.IT_COMPANY, Kind.STARTUP, Kind.NGO, Kind.BUSINESS)
            and org.cluster_status == Organization.ClusterStatus.NONE
        ]
        chosen = self.rng.sample(newcomers, COUNTS["pending"] + COUNTS["rejected"])
        for org in chosen[: COUNTS["pending"]]:
            org.verification = Organization.Verification.PENDING
        for org in chosen[COUNTS["pending"] :]:
            org.verification = Organization.Verification.REJECTED
            org.rejection_reason = CONTENT["rejection_reason"]
        members = [
            org
            for org in organizations
            if org.cluster_status == Organization.ClusterStatus.MEMBER
        ]
        for org in self.rng.sample(members, COUNTS["members_only"]):
            org.visibility = Organization.Visibility.MEMBERS

    def _drop_some_english(self, organizations) -> None:
        """Some profiles exist only in Ukrainian, as many real ones do at first."""
        local = [org for org in organizations if org.country == "UA"]
        for org in self.rng.sample(local, COUNTS["ukrainian_only_descriptions"]):
            org.description_en = ""


def build_demo_organizations(seed: int = SEED) -> list[DemoOrganization]:
    """The demo ecosystem as plain data; the same seed gives the same list."""
    return _Builder(seed).build()


def seed_demo(*, seed: int = SEED) -> DemoResult:
    """Create the demo logins and, once, the demo organizations."""
    with transaction.atomic():
        users, users_created = _ensure_demo_users()
        existing = Organization.objects.filter(is_demo=True).count()
        created = 0
        by_kind = {}
        if not existing:
            organizations = build_demo_organizations(seed)
            _create_organizations(organizations, verified_by=users[Role.STAFF])
            created = len(organizations)
            for org in organizations:
                by_kind[org.kind] = by_kind.get(org.kind, 0) + 1
        memberships = _ensure_editor_memberships(users[Role.EDITOR])
    return DemoResult(
        organizations_created=created,
        organizations_existing=existing,
        users_created=users_created,
        memberships_created=memberships,
        by_kind=by_kind,
    )


def site_url() -> str:
    """Where the platform is served: SITE_URL, else 127.0.0.1 on $PORT."""
    if os.environ.get("SITE_URL"):
        url = os.environ["SITE_URL"]
    elif os.environ.get("PORT"):
        url = f"http://127.0.0.1:{os.environ['PORT']}"
    else:
        url = settings.SITE_URL
    return url.rstrip("/") + "/"


def _ensure_demo_users() -> tuple[dict, int]:
    existing = {
        user.email: user
        for user in User.objects.filter(email__in=[a[1] for a in DEMO_ACCOUNTS])
    }
    password = make_password(DEMO_PASSWORD)
    users, created = {}, 0
    for role, email, full_name, language in DEMO_ACCOUNTS:
        user = existing.get(email)
        if user is None:
            is_admin = role == Role.ADMIN
            user = User.objects.create(
                email=email,
                full_name=full_name,
                role=role,
                preferred_language=language,
                password=password,
                is_staff=is_admin,
                is_superuser=is_admin,
            )
            created += 1
        users[role] = user
    return users, created


def _ensure_editor_memberships(editor: User) -> int:
    """The demo editor edits two public demo IT companies."""
    organizations = Organization.objects.filter(
        is_demo=True,
        kind=Kind.IT_COMPANY,
        verification=Organization.Verification.VERIFIED,
        visibility=Organization.Visibility.PUBLIC,
        edrpou__isnull=False,
    ).order_by("slug")[:2]
    created = 0
    for organization in organizations:
        _, was_created = Membership.objects.get_or_create(
            user=editor, organization=organization, defaults={"is_editor": True}
        )
        created += was_created
    return created


def _create_organizations(specs: list[DemoOrganization], *, verified_by) -> None:
    needed_sectors = {code for spec in specs for code in spec.sector_codes}
    needed_tags = {slug for spec in specs for slug in spec.tag_slugs}
    sectors = dict(Sector.objects.values_list("code", "pk"))
    tags = dict(Tag.objects.values_list("slug", "pk"))
    places = dict(Place.objects.values_list("code", "pk"))
    if not (
        needed_sectors <= sectors.keys()
        and needed_tags <= tags.keys()
        and {spec.place_code for spec in specs if spec.place_code} <= places.keys()
    ):
        load_reference_data()
        sectors = dict(Sector.objects.values_list("code", "pk"))
        tags = dict(Tag.objects.values_list("slug", "pk"))
        places = dict(Place.objects.values_list("code", "pk"))

    taken_slugs = set(Organization.objects.values_list("slug", flat=True))
    taken_edrpous = set(
        Organization.objects.filter(edrpou__isnull=False).values_list(
            "edrpou", flat=True
        )
    )
    now = timezone.now()
    organizations = []
    for index, spec in enumerate(specs):
        slug = _unique_slug(spec.name_en or translit(spec.name_uk), taken_slugs)
        domain = "example.com" if spec.country != "UA" else "example.org"
        verified = spec.verification == Organization.Verification.VERIFIED
        organization = Organization(
            name_uk=spec.name_uk,
            name_en=spec.name_en,
            slug=slug,
            kind=spec.kind,
            description_uk=spec.description_uk,
            description_en=spec.description_en,
            edrpou=spec.edrpou if spec.edrpou not in taken_edrpous else None,
            rntrc=spec.rntrc,
            country=spec.country,
            place_id=places.get(spec.place_code) if spec.place_code else None,
            locality=spec.locality,
            size=spec.size,
            founded_year=spec.founded_year,
            website=f"https://{_host(slug)}.{domain}",
            email=f"info@{_host(slug)}.{domain}",
            phone=spec.phone,
            cluster_status=spec.cluster_status,
            cluster_member_since=spec.cluster_member_since,
            verification=spec.verification,
            verified_at=now - datetime.timedelta(hours=index) if verified else None,
            verified_by=verified_by if verified else None,
            rejection_reason=spec.rejection_reason,
            visibility=spec.visibility,
            is_demo=True,
        )
        organization.search_document, organization.search_names = build_search_fields(
            organization
        )
        organizations.append(organization)
    Organization.objects.bulk_create(organizations, batch_size=500)

    ids = dict(
        Organization.objects.filter(
            slug__in=[org.slug for org in organizations]
        ).values_list("slug", "pk")
    )
    sector_links = []
    tag_links = []
    for organization, spec in zip(organizations, specs, strict=True):
        pk = ids[organization.slug]
        sector_links.extend(
            Organization.sectors.through(organization_id=pk, sector_id=sectors[code])
            for code in spec.sector_codes
        )
        tag_links.extend(
            Organization.tags.through(organization_id=pk, tag_id=tags[slug])
            for slug in spec.tag_slugs
        )
    Organization.sectors.through.objects.bulk_create(sector_links, batch_size=1000)
    Organization.tags.through.objects.bulk_create(tag_links, batch_size=1000)


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:100].strip("-") or "organization"
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    taken.add(slug)
    return slug


@cache
def _tag_names() -> dict[str, tuple[str, str]]:
    return {row["slug"]: (row["name_uk"], row["name_en"]) for row in tag_rows()}


def _shown(row: dict) -> dict:
    """The row with its English name, or the transliterated Ukrainian one."""
    return row | {"name_en": row["name_en"] or translit(row["name_uk"])}


def _areas(slugs, name: str = "areas") -> dict[str, str]:
    """Tag names joined for a sentence: {f"{name}_uk": ..., f"{name}_en": ...}."""
    names = _tag_names()
    return {
        f"{name}_uk": _join([_in_sentence(names[t][0]) for t in slugs], "та"),
        f"{name}_en": _join([_in_sentence(names[t][1]) for t in slugs], "and"),
    }


def _foreign_sectors(what_en: str) -> list[str]:
    """A foreign partner's sectors, from what it does."""
    text = what_en.lower()
    if "fund" in text or "venture" in text:
        return ["K", "64"]
    if "committee" in text or "non-profit" in text or "network" in text:
        return ["S", "94"]
    if "research" in text:
        return ["M", "72"]
    return ["J", "62"]


def _host(slug: str) -> str:
    """A slug short enough to be one DNS label (at most 63 characters)."""
    host = ""
    for word in slug.split("-"):
        if len(host) + len(word) + 1 > 40:
            break
        host = f"{host}-{word}" if host else word
    return host or slug[:40]


def _in_sentence(name: str) -> str:
    """A tag name inside a sentence: "Штучний інтелект" → "штучний інтелект".

    Acronyms and mixed-case names (DevOps, GIS, GovTech, IT education) keep
    their capitals.
    """
    first = name.split(" ")[0]
    if name in CONTENT["proper_tag_names"]:
        return name
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        return name[0].lower() + name[1:]
    return name


def _years_uk(number: int) -> str:
    """The Ukrainian plural of "рік" after a number in the accusative."""
    if number % 10 in (2, 3, 4) and number % 100 not in (12, 13, 14):
        return "роки"
    if number % 10 == 1 and number % 100 != 11:
        return "рік"
    return "років"


def _thousands_uk(amount: int) -> str:
    """Thousands of US dollars in Ukrainian: 250 → "250 тис.", 5000 → "5 млн"."""
    return f"{amount} тис." if amount < 1000 else f"{amount / 1000:g} млн"


def _thousands_en(amount: int) -> str:
    """Thousands of US dollars in English: 250 → "US$250k", 5000 → "US$5m"."""
    return f"US${amount}k" if amount < 1000 else f"US${amount / 1000:g}m"


def _join(items: list[str], conjunction: str) -> str:
    """Join as "a, b and c"; Ukrainian uses "та", or "і" when the last item has "та"."""
    if len(items) <= 1:
        return "".join(items)
    if conjunction == "та" and " та " in items[-1]:
        conjunction = "і"
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def _where(place: dict) -> tuple[str, str]:
    """Where an office is, in Ukrainian (locative) and English."""
    if place["parent"] == settings.MIST_CITY_KATOTTG:
        adjective = place["name_uk"].split(" ", 1)[0]
        locative = adjective[:-2] + "ому" if adjective.endswith("ий") else adjective
        # "в" before a vowel, "у" before a consonant (euphony).
        preposition = "в" if locative[0] in "АЕЄИІЇОУЮЯ" else "у"
        return _say(
            "district",
            preposition=preposition,
            locative=locative,
            name_en=place["name_en"],
        )
    return _say("town", name_uk=place["name_uk"], name_en=place["name_en"])
