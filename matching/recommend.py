"""Recommendations: an in-memory index of what can be recommended, and
`recommend_for(user)` that prefilters it and scores the best few hundred.

The index holds public organizations, published needs/offers and public investment
projects as `scoring.Candidate`s, and the match profiles of the people looking,
with inverted lists (numpy arrays of positions) from tag, sector, term and the
other facts scoring reads. It is built once per process; afterwards a change to a
row (recorded by signals after the commit, see `record_change`) is applied to
every process's index as a patch of that row alone. Scoring runs over arrays;
`scoring.score` decides the last few places and words the reasons.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django_countries import countries

from accounts.queries import edited_organization_ids
from core import text
from core.translation import active_language
from directory.models import Organization, Place, Sector, Tag
from matching import scoring
from matching.models import MatchDocument, MatchProfile, NeedOffer


class _NumPy:
    """numpy, imported at its first use rather than when Django starts (every web
    process imports this module through the URLs; tests/core/test_startup_imports.py).
    The first attribute read puts the real module in this module's globals."""

    def __getattr__(self, name):
        import numpy

        globals()["np"] = numpy
        return getattr(numpy, name)


np = _NumPy()

logger = logging.getLogger(__name__)

# How many prefiltered candidates are scored in full (with those tied with the
# last one).
SHORTLIST = 200
# Query terms looked up in the inverted term index (the heaviest ones).
QUERY_TERMS = 40
# Terms in more than this share of documents are too common to prefilter with.
MAX_TERM_SHARE = 0.05
# Kinds of organizations an intent looks for (see scoring._intents).
INTENT_ORGANIZATIONS = {
    "investing": ("startup",),
    "mentoring": ("startup",),
    "hiring": ("education", "research"),
}
PUBLIC_PROJECT_STATUSES = (
    "published",
    "in_negotiation",
    "funded",
    "in_implementation",
    "completed",
)


# Terms of documents.


def need_offer_terms(need_offer: NeedOffer) -> str:
    return " ".join(
        text.document_terms(
            need_offer.title_uk,
            need_offer.title_en,
            need_offer.description_uk,
            need_offer.description_en,
        )
    )


def profile_terms(profile: MatchProfile) -> str:
    return " ".join(text.document_terms(profile.about_uk, profile.about_en))


def project_terms(project) -> str:
    return " ".join(
        text.document_terms(
            *(
                getattr(project, f"{name}_{language}", "") or ""
                for name in ("title", "summary", "description", "problem")
                for language in ("uk", "en")
            )
        )
    )


def project_model(*, check_table: bool = False):
    """investments.InvestmentProject, or None while that app has no such model
    (or, with `check_table`, no table yet)."""
    try:
        model = apps.get_model("investments", "InvestmentProject")
    except LookupError:
        return None
    global _project_table_seen
    if check_table and not _project_table_seen:
        from django.db import connection

        if model._meta.db_table not in connection.introspection.table_names():
            return None
        _project_table_seen = True  # a table once there stays: no more look-ups
    return model


_project_table_seen = False


def refresh_project_document(project) -> None:
    MatchDocument.objects.update_or_create(
        kind=scoring.PROJECT,
        object_id=project.pk,
        defaults={"terms": project_terms(project)},
    )


def refresh_project_documents(documents: list[tuple[int, str]]) -> None:
    """Store many projects' terms ((pk, project_terms) pairs) in one statement."""
    MatchDocument.objects.bulk_create(
        [
            MatchDocument(kind=scoring.PROJECT, object_id=pk, terms=terms)
            for pk, terms in documents
        ],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["terms", "updated_at"],
    )


def refresh_match_index() -> dict[str, int]:
    """Recompute every stored term vector; returns how many of each."""
    counts = {"need_offer": 0, "profile": 0, "project": 0}
    for need_offer in NeedOffer.objects.all().iterator():
        need_offer.match_terms = need_offer_terms(need_offer)
        NeedOffer.objects.filter(pk=need_offer.pk).update(
            match_terms=need_offer.match_terms
        )
        counts["need_offer"] += 1
    for profile in MatchProfile.objects.all().iterator():
        MatchProfile.objects.filter(pk=profile.pk).update(
            match_terms=profile_terms(profile)
        )
        counts["profile"] += 1
    model = project_model(check_table=True)
    if model is not None:
        for project in model.objects.all().iterator():
            refresh_project_document(project)
            counts["project"] += 1
    rebuild_index()
    return counts


# Exchange rates.


def usd_rates() -> dict[str, Decimal]:
    """US dollars per unit of each currency: the latest stored rates of the
    investments app when there are any, otherwise scoring's fixed table."""
    rates = dict(scoring.USD_PER_UNIT)
    try:
        model = apps.get_model("investments", "ExchangeRate")
    except LookupError:
        return rates
    latest = {}
    for currency, uah in model.objects.order_by("rate_date").values_list(
        "currency", "uah_per_unit"
    ):
        latest[currency.upper()] = Decimal(uah)
    usd = latest.get("USD")
    if usd:
        rates = {"UAH": 1 / usd, "USD": Decimal(1)}
        rates.update({code: uah / usd for code, uah in latest.items()})
    return rates


# The index.
#
# Every candidate has a position. Inverted lists map a fact ("tag", 7) to the
# numpy array of positions that have it; the terms of all documents are kept
# back to back in one array (`flat`, each position's slice sorted by term), so
# document frequencies, weights and norms are exact after any change. A change
# removes the candidate's old position (it stays behind, dead, until the index is
# compacted) and appends a new one: the same work, whatever the size of the index.


@dataclass(frozen=True)
class Profile:
    """What a match profile says, as the index keeps it (by user id)."""

    organization_id: int | None
    intents: frozenset[str]
    countries: frozenset[str]
    tags: frozenset[int]
    sectors: frozenset[int]
    terms: tuple[str, ...]
    ticket_min: Decimal | None
    ticket_max: Decimal | None
    ticket_currency: str


class _Idf(Mapping):
    """The index's inverse document frequencies as a read-only mapping of terms."""

    def __init__(self, index: MatchIndex):
        self.index = index

    def __getitem__(self, term: str) -> float:
        number = self.index.vocabulary.get(term)
        if number is None or not self.index.df[number]:
            raise KeyError(term)
        return float(self.index.idf_values[number])

    def __iter__(self):
        df = self.index.df
        return (term for term, number in self.index.vocabulary.items() if df[number])

    def __len__(self) -> int:
        return int(np.count_nonzero(self.index.df))


def _empty(dtype) -> np.ndarray:
    return np.zeros(0, dtype=dtype)


@dataclass
class MatchIndex:
    token: str
    version: int = 0  # the last change (see record_change) this index includes
    candidates: dict[tuple[str, int], scoring.Candidate] = field(default_factory=dict)
    profiles: dict[int, Profile] = field(default_factory=dict)
    position: dict[tuple[str, int], int] = field(default_factory=dict)
    keys: list = field(default_factory=list)  # position -> key, None once dead
    kind: np.ndarray = field(default_factory=lambda: _empty(np.int8))  # -1: dead
    ident: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    owner: np.ndarray = field(default_factory=lambda: _empty(np.int64))  # -1: none
    amount: np.ndarray = field(default_factory=lambda: _empty(np.float64))  # nan
    start: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    length: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    flat: np.ndarray = field(default_factory=lambda: _empty(np.int32))
    norms: np.ndarray = field(default_factory=lambda: _empty(np.float64))
    # (field, value) -> positions, e.g. ("tag", 7), ("offer", "expertise").
    postings: dict[tuple, np.ndarray] = field(default_factory=dict)
    # term number -> positions of the documents holding the term.
    term_postings: dict[int, np.ndarray] = field(default_factory=dict)
    vocabulary: dict[str, int] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    df: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    idf_values: np.ndarray = field(default_factory=lambda: _empty(np.float64))
    total: int = 0  # live documents
    dead: int = 0  # dead positions
    section_of: dict[int, int] = field(default_factory=dict)
    place_chain: dict[int, tuple[int, ...]] = field(default_factory=dict)
    home: int | None = None
    rates: dict[str, Decimal] = field(default_factory=dict)
    # (Ukrainian, English) names of the vocabulary and places, for reasons.
    tag_names: dict[int, tuple[str, str]] = field(default_factory=dict)
    sector_names: dict[int, tuple[str, str]] = field(default_factory=dict)
    place_names: dict[int, tuple[str, str]] = field(default_factory=dict)
    build_seconds: float = 0.0

    def sections(self, sector_ids) -> frozenset[int]:
        return frozenset(self.section_of.get(pk, pk) for pk in sector_ids)

    def chain(self, place_id: int | None) -> tuple[int, ...]:
        return self.place_chain.get(place_id, ()) if place_id else ()

    @property
    def size(self) -> int:
        return len(self.keys)

    @property
    def idf(self) -> Mapping[str, float]:
        return _Idf(self)

    def document(self, key) -> list[str]:
        """The distinct terms of a candidate's document, sorted."""
        position = self.position[key]
        begin = self.start[position]
        numbers = self.flat[begin : begin + self.length[position]]
        return [self.terms[number] for number in numbers]

    def with_vector(self, key) -> scoring.Candidate:
        """The candidate with its TF-IDF vector under today's frequencies."""
        position = self.position[key]
        begin, norm = self.start[position], self.norms[position]
        numbers = self.flat[begin : begin + self.length[position]]
        vector = {}
        if norm:
            weights = self.idf_values[numbers] / norm
            names = [self.terms[number] for number in numbers]
            vector = dict(zip(names, weights.tolist(), strict=True))
        return replace(self.candidates[key], vector=vector)


def _place_chains() -> dict[int, tuple[int, ...]]:
    parents = dict(Place.objects.values_list("pk", "parent_id"))
    chains = {}
    for pk in parents:
        chain, current = [], pk
        while current is not None and current not in chain:
            chain.append(current)
            current = parents.get(current)
        chains[pk] = tuple(chain)
    return chains


def _pairs(through, owner: str, ids_field: str, owners=None) -> dict[int, set[int]]:
    result = defaultdict(set)
    queryset = through.objects.all()
    if owners is not None:
        queryset = queryset.filter(**{f"{owner}__in": owners})
    for owner_id, value in queryset.values_list(owner, ids_field).iterator(
        chunk_size=20_000
    ):
        result[owner_id].add(value)
    return result


def build_index(token: str = "") -> MatchIndex:
    """Read every recommendable thing (and every match profile) from the database
    into a MatchIndex."""
    started = time.perf_counter()
    index = MatchIndex(token=token or uuid.uuid4().hex)
    _load_references(index)
    documents: dict[tuple[str, int], list[str]] = {}
    for key, (candidate, terms) in _load_entries(index).items():
        index.candidates[key] = candidate
        documents[key] = terms
    index.profiles = _load_profiles()
    finish_index(index, documents)
    index.build_seconds = time.perf_counter() - started
    return index


def _load_references(index: MatchIndex) -> None:
    """Sector sections, place chains, vocabulary names, the home city and rates."""
    index.section_of = {
        pk: parent or pk for pk, parent in Sector.objects.values_list("pk", "parent_id")
    }
    index.place_chain = _place_chains()
    for model, names in (
        (Tag, index.tag_names),
        (Sector, index.sector_names),
        (Place, index.place_names),
    ):
        names.update(
            (pk, (uk, en))
            for pk, uk, en in model.objects.values_list("pk", "name_uk", "name_en")
        )
    index.home = (
        Place.objects.filter(code=settings.MIST_CITY_KATOTTG)
        .values_list("pk", flat=True)
        .first()
    )
    index.rates = usd_rates()


def _entry(index: MatchIndex, key: tuple, *, tags, sectors, **fields):
    sectors = frozenset(sectors)
    candidate = scoring.Candidate(
        kind=key[0],
        id=key[1],
        tags=frozenset(tags),
        sectors=sectors,
        sections=index.sections(sectors),
        **fields,
    )
    return candidate


def add_candidate(
    index: MatchIndex, documents: dict, key: tuple, *, tags, sectors, terms, **fields
) -> None:
    """Put the candidate `key` (kind, id) into `index` with its tags and sectors
    (and their sections), and its document's `terms` (a list) into `documents`;
    `finish_index` then indexes them all."""
    index.candidates[key] = _entry(index, key, tags=tags, sectors=sectors, **fields)
    documents[key] = terms


def _load_entries(
    index: MatchIndex, *, organizations=None, need_offers=None, projects=None
) -> dict[tuple, tuple[scoring.Candidate, list[str]]]:
    """(candidate, terms) of what is recommendable now: everything, or (with ids
    given) the organizations, the needs/offers (with those of `organizations`) and
    the projects (with those `organizations` own) named."""
    entries = {}
    everything = organizations is None and need_offers is None and projects is None
    if everything or need_offers or organizations:
        entries.update(
            _need_offer_entries(index, ids=need_offers, organizations=organizations)
        )
    if everything or organizations:
        entries.update(_organization_entries(index, organizations))
    model = project_model(check_table=True)
    if model is not None and (everything or projects or organizations):
        entries.update(_project_entries(index, model, projects, organizations))
    return entries


def _wanted(ids=None, organizations=None, owner: str = "organization_id") -> Q:
    """All rows (no ids given) or those with the ids or owned by `organizations`."""
    if ids is None and organizations is None:
        return Q()
    return Q(pk__in=list(ids or ())) | Q(**{f"{owner}__in": list(organizations or ())})


def _need_offer_entries(index: MatchIndex, *, ids=None, organizations=None) -> dict:
    """Published needs and offers of verified organizations."""
    published = NeedOffer.objects.published().filter(
        _wanted(ids, organizations),
        organization__verification=Organization.Verification.VERIFIED,
    )
    rows = list(
        published.values_list(
            "pk",
            "organization_id",
            "kind",
            "category",
            "place_id",
            "country",
            "match_terms",
            "organization__country",
            "organization__place_id",
            "organization__kind",
        )
    )
    pks = [row[0] for row in rows] if ids is not None or organizations else None
    no_tags = _pairs(NeedOffer.tags.through, "needoffer_id", "tag_id", pks)
    no_sectors = _pairs(NeedOffer.sectors.through, "needoffer_id", "sector_id", pks)
    entries = {}
    for pk, org_id, kind, category, place, country, terms, *organization in rows:
        ocountry, oplace, okind = organization
        key = (scoring.NEED_OFFER, pk)
        entries[key] = (
            _entry(
                index,
                key,
                tags=no_tags.get(pk, ()),
                sectors=no_sectors.get(pk, ()),
                country=country or ocountry or "",
                places=index.chain(place or oplace),
                organization_id=org_id,
                organization_kind=okind,
                need_offer_kind=kind,
                category=category,
            ),
            terms.split(),
        )
    return entries


def _organization_entries(index: MatchIndex, ids=None) -> dict:
    """Verified organizations, with the categories of their published needs and
    offers."""
    needs_of, offers_of = defaultdict(set), defaultdict(set)
    published = NeedOffer.objects.published()
    if ids is not None:
        published = published.filter(organization_id__in=list(ids))
    for org_id, kind, category in published.values_list(
        "organization_id", "kind", "category"
    ):
        (needs_of if kind == "need" else offers_of)[org_id].add(category)
    organizations = Organization.objects.alive().filter(
        verification=Organization.Verification.VERIFIED
    )
    if ids is not None:
        organizations = organizations.filter(pk__in=list(ids))
        ids = list(ids)
    org_tags = _pairs(Organization.tags.through, "organization_id", "tag_id", ids)
    org_sectors = _pairs(
        Organization.sectors.through, "organization_id", "sector_id", ids
    )
    entries = {}
    for pk, kind, country, place, document in organizations.values_list(
        "pk", "kind", "country", "place_id", "search_document"
    ).iterator(chunk_size=5_000):
        key = (scoring.ORGANIZATION, pk)
        entries[key] = (
            _entry(
                index,
                key,
                tags=org_tags.get(pk, ()),
                sectors=org_sectors.get(pk, ()),
                country=country or "",
                places=index.chain(place),
                organization_id=pk,
                organization_kind=kind,
                needs=frozenset(needs_of.get(pk, ())),
                offers=frozenset(offers_of.get(pk, ())),
            ),
            document.split(),
        )
    return entries


def _project_entries(index: MatchIndex, model, ids=None, organizations=None) -> dict:
    projects = model.objects.filter(
        _wanted(ids, organizations, "owner_id"), status__in=PUBLIC_PROJECT_STATUSES
    )
    rows = list(
        projects.values_list(
            "pk",
            "owner_id",
            "place_id",
            "financing_sought",
            "financing_currency",
            "owner__kind",
        )
    )
    pks = [row[0] for row in rows]
    some = pks if ids is not None or organizations else None
    tags = _pairs(model.tags.through, "investmentproject_id", "tag_id", some)
    sectors_of = _pairs(
        model.sectors.through, "investmentproject_id", "sector_id", some
    )
    stored = dict(
        MatchDocument.objects.filter(
            kind=scoring.PROJECT, object_id__in=pks
        ).values_list("object_id", "terms")
    )
    missing = [pk for pk in pks if pk not in stored]
    if missing:
        for project in model.objects.filter(pk__in=missing):
            stored[project.pk] = project_terms(project)
    entries = {}
    for pk, owner, place, amount, currency, owner_kind in rows:
        key = (scoring.PROJECT, pk)
        entries[key] = (
            _entry(
                index,
                key,
                tags=tags.get(pk, ()),
                sectors=sectors_of.get(pk, ()),
                country=settings.MIST_HOME_COUNTRY,
                places=index.chain(place) or index.chain(index.home),
                organization_id=owner,
                organization_kind=owner_kind or "",
                amount_usd=scoring.to_usd(amount, currency, index.rates),
            ),
            stored.get(pk, "").split(),
        )
    return entries


def _load_profiles(user_ids=None) -> dict[int, Profile]:
    profiles = MatchProfile.objects.all()
    if user_ids is not None:
        profiles = profiles.filter(user_id__in=list(user_ids))
    rows = list(
        profiles.values_list(
            "pk",
            "user_id",
            "organization_id",
            "intents",
            "countries",
            "match_terms",
            "ticket_min",
            "ticket_max",
            "ticket_currency",
        )
    )
    pks = [row[0] for row in rows] if user_ids is not None else None
    tags = _pairs(MatchProfile.tags.through, "matchprofile_id", "tag_id", pks)
    sectors = _pairs(MatchProfile.sectors.through, "matchprofile_id", "sector_id", pks)
    return {
        user_id: Profile(
            organization_id=organization_id,
            intents=frozenset(intents or ()),
            countries=frozenset(countries or ()),
            tags=frozenset(tags.get(pk, ())),
            sectors=frozenset(sectors.get(pk, ())),
            terms=tuple(terms.split()),
            ticket_min=low,
            ticket_max=high,
            ticket_currency=currency,
        )
        for pk, user_id, organization_id, intents, countries, terms, *ticket in rows
        for low, high, currency in [ticket]
    }


def _posting_keys(candidate: scoring.Candidate) -> set[tuple]:
    """The facts the inverted lists hold about a candidate: what the prefilter
    looks up, and what the vectorised score reads."""
    kind = candidate.kind
    keys = {("tag", tag) for tag in candidate.tags}
    keys.update(("sector", sector) for sector in candidate.sectors | candidate.sections)
    keys.update(("section", section) for section in candidate.sections)
    keys.update(("place", place) for place in candidate.places)
    if candidate.country:
        keys.add(("country", candidate.country))
        if candidate.country != settings.MIST_HOME_COUNTRY:
            keys.add(("abroad", True))
    if kind == scoring.ORGANIZATION:
        keys.add(("organization_kind", candidate.organization_kind))
        keys.update(("offer", category) for category in candidate.offers)
        keys.update(("need", category) for category in candidate.needs)
        if candidate.organization_kind not in ("city_body", "investor"):
            keys.add(("partnering", True))
    elif kind == scoring.NEED_OFFER:
        category = candidate.category
        keys.add((candidate.need_offer_kind, category))
        if category == "investment" and candidate.need_offer_kind == "need":
            keys.add(("intent", "investing"))
        if category == "internship":
            keys.add(("intent", "hiring"))
        if category in PARTNERING_CATEGORIES:
            keys.add(("partnering", True))
    else:
        keys.add(("intent", "investing"))
    return keys


PARTNERING_CATEGORIES = (
    "pilot_partner",
    "customer_introduction",
    "expertise",
    "equipment",
)


def finish_index(index: MatchIndex, documents: dict) -> MatchIndex:
    """Index the candidates already in `index` (their positions in key order) with
    the terms of their `documents` (key -> terms)."""
    keys = sorted(index.candidates)
    vocabulary = {}
    for key in keys:
        for term in documents.get(key, ()):
            vocabulary.setdefault(term, None)
    index.terms = sorted(vocabulary)
    index.vocabulary = {term: number for number, term in enumerate(index.terms)}
    index.df = np.zeros(len(index.terms), dtype=np.int64)
    index.position, index.keys = {}, []
    index.kind = index.ident = index.owner = index.amount = None
    index.start = index.length = index.flat = None
    index.postings, index.term_postings = {}, {}
    index.total = index.dead = 0
    _append(
        index, [(key, index.candidates[key], documents.get(key, ())) for key in keys]
    )
    _reweigh(index)
    return index


def _append(index: MatchIndex, entries: list) -> None:
    """Give each (key, candidate, terms) a new position at the end (the index's
    arrays and lists are replaced, never changed in place)."""
    first = len(index.keys)
    postings, term_postings = defaultdict(list), defaultdict(list)
    kinds, idents, owners, amounts, lengths, rows = [], [], [], [], [], []
    vocabulary, terms = index.vocabulary, index.terms
    df = defaultdict(int)
    for offset, (key, candidate, document) in enumerate(entries):
        position = first + offset
        index.position[key] = position
        index.candidates[key] = candidate
        kinds.append(scoring.KIND_ORDER[candidate.kind])
        idents.append(candidate.id)
        owner = candidate.organization_id
        owners.append(-1 if owner is None else owner)
        amounts.append(
            math.nan if candidate.amount_usd is None else candidate.amount_usd
        )
        for fact in _posting_keys(candidate):
            postings[fact].append(position)
        numbers = []
        for term in sorted(set(document)):
            number = vocabulary.get(term)
            if number is None:
                number = vocabulary[term] = len(terms)
                terms.append(term)
            numbers.append(number)
            df[number] += 1
            term_postings[number].append(position)
        rows.append(numbers)
        lengths.append(len(numbers))
    index.keys = [*index.keys, *(key for key, _candidate, _terms in entries)]
    index.kind = _extend(index.kind, kinds, np.int8)
    index.ident = _extend(index.ident, idents, np.int64)
    index.owner = _extend(index.owner, owners, np.int64)
    index.amount = _extend(index.amount, amounts, np.float64)
    base = int(index.flat.size) if index.flat is not None else 0
    starts = base + np.concatenate(([0], np.cumsum(lengths)[:-1])) if lengths else []
    index.start = _extend(index.start, starts, np.int64)
    index.length = _extend(index.length, lengths, np.int64)
    index.flat = _extend(
        index.flat, [number for row in rows for number in row], np.int32
    )
    if len(terms) > index.df.size:
        index.df = np.concatenate(
            (index.df, np.zeros(len(terms) - index.df.size, dtype=np.int64))
        )
    else:
        index.df = index.df.copy()
    for number, count in df.items():
        index.df[number] += count
    index.total += len(entries)
    for fact, positions in postings.items():
        index.postings[fact] = _extend(index.postings.get(fact), positions, np.int32)
    for number, positions in term_postings.items():
        index.term_postings[number] = _extend(
            index.term_postings.get(number), positions, np.int32
        )


def _extend(array, values, dtype) -> np.ndarray:
    values = np.asarray(values, dtype=dtype)
    if array is None or not array.size:
        return values
    return np.concatenate((array, values))


def _remove(index: MatchIndex, keys) -> None:
    """Kill the positions of `keys` (the index's arrays are replaced, not changed)."""
    positions = [index.position.pop(key) for key in keys if key in index.position]
    if not positions:
        return
    index.keys = list(index.keys)
    index.kind = index.kind.copy()
    index.df = index.df.copy()
    facts, numbers = set(), set()
    for position in positions:
        key = index.keys[position]
        index.keys[position] = None
        index.kind[position] = -1
        facts |= _posting_keys(index.candidates.pop(key))
        begin = index.start[position]
        row = index.flat[begin : begin + index.length[position]]
        index.df[row] -= 1
        numbers.update(row.tolist())
    dead = np.asarray(positions, dtype=np.int32)
    for fact in facts:
        kept = index.postings[fact][~np.isin(index.postings[fact], dead)]
        if kept.size:
            index.postings[fact] = kept
        else:
            del index.postings[fact]
    for number in numbers:
        kept = index.term_postings[number][~np.isin(index.term_postings[number], dead)]
        if kept.size:
            index.term_postings[number] = kept
        else:
            del index.term_postings[number]
    index.total -= len(positions)
    index.dead += len(positions)


def _reweigh(index: MatchIndex) -> None:
    """Inverse document frequencies from the live documents, and every document's
    norm under them (as scoring.tfidf_vector weighs: binary, L2)."""
    total = max(index.total, 1)
    index.idf_values = np.log((1 + total) / (1 + index.df)) + 1.0
    squares = np.square(index.idf_values)[index.flat]
    norms = np.zeros(index.size, dtype=np.float64)
    filled = np.flatnonzero(index.length)
    if filled.size:
        norms[filled] = np.sqrt(np.add.reduceat(squares, index.start[filled]))
    index.norms = norms


def patched(
    index: MatchIndex, entries: dict, profiles: dict, *, version: int
) -> MatchIndex:
    """A copy of `index` with the candidates of `entries` (key -> (candidate,
    terms), or None when no longer recommendable) and the `profiles` (user id ->
    Profile or None) replaced; `index` itself is left as it was for the requests
    still reading it."""
    new = replace(
        index,
        version=version,
        candidates=dict(index.candidates),
        profiles=dict(index.profiles),
        position=dict(index.position),
        postings=dict(index.postings),
        term_postings=dict(index.term_postings),
        vocabulary=dict(index.vocabulary),
        terms=list(index.terms),
    )
    changed = {
        key: entry for key, entry in entries.items() if not _same(index, key, entry)
    }
    _remove(new, changed)
    _append(new, [(key, *entry) for key, entry in changed.items() if entry])
    _reweigh(new)
    for user_id, profile in profiles.items():
        if profile is None:
            new.profiles.pop(user_id, None)
        else:
            new.profiles[user_id] = profile
    if new.dead > max(COMPACT_AFTER, new.total // 4):
        new = compacted(new)
    return new


def _same(index: MatchIndex, key, entry) -> bool:
    """Whether the index already holds `entry` (or its absence) for `key`."""
    if entry is None or key not in index.candidates:
        return entry is None and key not in index.candidates
    candidate, terms = entry
    return index.candidates[key] == candidate and index.document(key) == sorted(
        set(terms)
    )


def compacted(index: MatchIndex) -> MatchIndex:
    """The same index without dead positions (what a full build gives)."""
    new = replace(index, candidates=dict(index.candidates))
    documents = {key: new.document(key) for key in new.candidates}
    return finish_index(new, documents)


COMPACT_AFTER = 2_000


# Keeping every process's index current.
#
# The shared cache holds a token (the generation of the index: a new token makes
# every process build afresh) and, under that token, a counter of changes and one
# entry per change naming what changed. A process whose index is behind reads the
# changes it has not seen, reloads just those rows and patches a copy of its index.
# Document frequencies are counted exactly, so a patched index scores as a freshly
# built one does; no periodic rebuild is needed for the weights. A process builds
# afresh only when the token changed, a change entry is gone from the cache, or
# too much changed at once.

TOKEN_KEY = "matching:index-token"
# Changes one process catches up with by patching; beyond, it rebuilds.
MAX_PATCH_KEYS = 2_000
CHANGE_SECONDS = 24 * 3600
ALL = "*"  # (kind, ALL): every row of that kind may have changed


def _version_key(token: str) -> str:
    return f"matching:index-version:{token}"


def _change_key(token: str, number: int) -> str:
    return f"matching:index-change:{token}:{number}"


def record_change(*keys) -> None:
    """Tell every process that the rows `keys` ((kind, id), kinds being those of
    scoring plus "profile" keyed by user id) changed; call it after the commit."""
    token = cache.get(TOKEN_KEY)
    if token is None or not keys:
        return  # no index anywhere yet: the next one is built from the database
    version_key = _version_key(token)
    try:
        number = cache.incr(version_key)
    except ValueError:
        # The counter is gone (evicted): counting again from 1 would hide these
        # changes from processes already past 1, so everyone starts over.
        rebuild_index()
        return
    cache.set(_change_key(token, number), sorted(keys, key=str), CHANGE_SECONDS)


def invalidate_index(*args, **kwargs) -> None:
    """Needs and offers changed in ways the caller does not list (matching's
    services call this after expiring them with a bulk update, which sends no
    signals): every process reloads its needs and offers and their
    organizations' categories, not the whole index."""
    record_change((scoring.NEED_OFFER, ALL))


def rebuild_index() -> None:
    """Anything may have changed (a bulk load): every process builds afresh."""
    token = uuid.uuid4().hex
    cache.set(_version_key(token), 0, None)
    cache.set(TOKEN_KEY, token, None)


_index: MatchIndex | None = None
_index_lock = threading.Lock()


def current_index() -> MatchIndex:
    """The process's index, patched with the changes other processes recorded, or
    built afresh when the shared token says so."""
    global _index
    index = _index
    if index is not None:
        state = cache.get_many([TOKEN_KEY, _version_key(index.token)])
        if (
            state.get(TOKEN_KEY) == index.token
            and (state.get(_version_key(index.token)) or 0) == index.version
        ):
            return index
    with _index_lock:
        index = _index
        token = cache.get(TOKEN_KEY)
        if token is None:
            fresh = uuid.uuid4().hex
            cache.add(_version_key(fresh), 0, None)
            cache.add(TOKEN_KEY, fresh, None)
            token = cache.get(TOKEN_KEY)
        cache.add(_version_key(token), 0, None)
        version = cache.get(_version_key(token)) or 0
        if index is not None and index.token == token:
            if version == index.version:
                return index
            started = time.perf_counter()
            caught_up = _catch_up(index, version)
            if caught_up is not None:
                _index = caught_up
                logger.info(
                    "Match index: changes %d-%d applied in %.3f s",
                    index.version + 1,
                    version,
                    time.perf_counter() - started,
                )
                return _index
        # (A counter below the index's version was evicted and started again:
        # changes may be missing, so the index is built afresh.)
        # The version is read before the database: changes committed while the
        # index is read are applied again on the next call (applying is idempotent).
        _index = build_index(token)
        _index.version = version
        logger.info(
            "Match index: %d candidates in %.2f s",
            len(_index.candidates),
            _index.build_seconds,
        )
        return _index


def _catch_up(index: MatchIndex, version: int) -> MatchIndex | None:
    """`index` patched with changes up to `version`, or None when they cannot all
    be read (or are too many to be worth patching)."""
    names = [_change_key(index.token, n) for n in range(index.version + 1, version + 1)]
    if len(names) > MAX_PATCH_KEYS:
        return None
    if not names:
        return None
    found = cache.get_many(names)
    if len(found) < len(names):
        return None
    keys = {tuple(key) for changed in found.values() for key in changed}
    if len(keys) > MAX_PATCH_KEYS:
        return None
    return apply_changes(index, keys, version=version)


def apply_changes(index: MatchIndex, keys, *, version: int | None = None):
    """A copy of `index` with the rows `keys` (see record_change) read again, and
    what depends on them: an organization's needs/offers and projects carry its
    kind, place and verification; an organization carries the categories of its
    needs and offers."""
    by_kind = defaultdict(set)
    for kind, pk in keys:
        by_kind[kind].add(pk)
    organizations = set(by_kind[scoring.ORGANIZATION])
    need_offers = set(by_kind[scoring.NEED_OFFER])
    projects = set(by_kind[scoring.PROJECT])
    users = by_kind["profile"]
    if ALL in need_offers:
        need_offers = set(
            index.ident[index.kind == scoring.KIND_ORDER[scoring.NEED_OFFER]].tolist()
        ) | set(
            NeedOffer.objects.published()
            .filter(organization__verification=Organization.Verification.VERIFIED)
            .values_list("pk", flat=True)
        )
    # Rows that hang on a changed organization, as the index has them now.
    owned = np.isin(index.owner, list(organizations)) if organizations else None
    for kind, ids in ((scoring.NEED_OFFER, need_offers), (scoring.PROJECT, projects)):
        if owned is not None:
            ids.update(
                index.ident[owned & (index.kind == scoring.KIND_ORDER[kind])].tolist()
            )
    # Organizations whose categories may have changed (before and after).
    owners = {
        index.candidates[key].organization_id
        for key in ((scoring.NEED_OFFER, pk) for pk in need_offers)
        if key in index.candidates
    }
    owners |= set(
        NeedOffer.objects.filter(pk__in=list(need_offers)).values_list(
            "organization_id", flat=True
        )
    )
    organizations |= owners
    entries = dict.fromkeys(
        [
            *((scoring.ORGANIZATION, pk) for pk in organizations),
            *((scoring.NEED_OFFER, pk) for pk in need_offers),
            *((scoring.PROJECT, pk) for pk in projects),
        ]
    )
    entries.update(
        _load_entries(
            index,
            organizations=organizations,
            need_offers=need_offers,
            projects=projects,
        )
    )
    profiles = dict.fromkeys(users)
    if users:
        profiles.update(_load_profiles(users))
    return patched(
        index,
        entries,
        profiles,
        version=index.version if version is None else version,
    )


# Seekers.


def organization_of(user, profile: MatchProfile | None = None):
    """The organization a person acts for: the one on their match profile, else
    the first they edit."""
    if profile is not None and profile.organization_id:
        return profile.organization
    edited = edited_organization_ids(user)
    if not edited:
        return None
    membership = (
        user.memberships.filter(
            organization_id__in=edited, organization__deleted_at__isnull=True
        )
        .select_related("organization")
        .order_by("created_at", "pk")
        .first()
    )
    return membership.organization if membership else None


def profile_of(user) -> MatchProfile | None:
    return (
        MatchProfile.objects.filter(user=user)
        .select_related("organization")
        .prefetch_related("tags", "sectors")
        .first()
    )


def seeker_for(user, index: MatchIndex) -> scoring.Seeker:
    """The person as scoring sees them: their profile joined with their
    organization's profile and published needs and offers. Read from the index
    (no query) when it holds both; the database is asked only for what it lacks."""
    profile = index.profiles.get(user.pk)
    tags, sectors, terms = set(), set(), []
    intents, wanted = frozenset(), frozenset()
    low = high = None
    if profile is not None:
        tags |= profile.tags
        sectors |= profile.sectors
        terms += profile.terms
        intents, wanted = profile.intents, profile.countries
        low = scoring.to_usd(profile.ticket_min, profile.ticket_currency, index.rates)
        high = scoring.to_usd(profile.ticket_max, profile.ticket_currency, index.rates)
        organization_id = profile.organization_id
        if organization_id is None:
            organization = organization_of(user)
            organization_id = organization.pk if organization else None
    else:
        organization = organization_of(user)
        organization_id = organization.pk if organization else None
    country, places, needs, offers = "", (), frozenset(), frozenset()
    key = (scoring.ORGANIZATION, organization_id)
    known = index.candidates.get(key)
    organization = None
    if known is None and organization_id is not None:
        organization = Organization.objects.filter(pk=organization_id).first()
    if known is not None:  # the index holds its vocabulary, place and needs
        terms += index.document(key)
        tags |= known.tags
        sectors |= known.sectors
        country, places = known.country, known.places
        needs, offers = known.needs, known.offers
    elif organization is not None:
        terms += organization.search_document.split()
        country = organization.country.code or ""
        places = index.chain(organization.place_id)
        tags |= set(organization.tags.values_list("pk", flat=True))
        sectors |= set(organization.sectors.values_list("pk", flat=True))
        own = NeedOffer.objects.published().filter(organization=organization)
        pairs = set(own.values_list("kind", "category"))
        needs = frozenset(c for kind, c in pairs if kind == "need")
        offers = frozenset(c for kind, c in pairs if kind == "offer")
    return scoring.Seeker(
        intents=intents,
        tags=frozenset(tags),
        sectors=frozenset(sectors),
        sections=index.sections(sectors),
        countries=wanted,
        country=country,
        places=places,
        ticket_min_usd=low,
        ticket_max_usd=high,
        vector=scoring.tfidf_vector(terms, index.idf),
        organization_id=organization_id,
        needs=needs,
        offers=offers,
    )


# Prefiltering and scoring, over arrays of positions.


def _count(index: MatchIndex, facts) -> np.ndarray:
    """How many of `facts` each position has."""
    counts = np.zeros(index.size, dtype=np.float64)
    for fact in facts:
        positions = index.postings.get(fact)
        if positions is not None:
            counts[positions] += 1.0
    return counts


@dataclass
class _Lookups:
    """What the seeker's facts match, per position: counts of shared tags,
    sectors and so on (the prefilter weighs them; scoring reads them again)."""

    tags: np.ndarray
    sectors: np.ndarray
    other_sections: np.ndarray  # sections of the seeker that are not their sectors
    sections: np.ndarray  # the candidate's sections among the seeker's
    offers: np.ndarray  # categories the seeker needs that the candidate offers
    needs: np.ndarray
    intents: np.ndarray
    organization_kinds: np.ndarray
    text: np.ndarray


def _lookups(seeker: scoring.Seeker, index: MatchIndex) -> _Lookups:
    text = np.zeros(index.size, dtype=np.float64)
    heaviest = sorted(seeker.vector.items(), key=lambda item: (-item[1], item[0]))
    limit = max(50, int(max(index.total, 1) * MAX_TERM_SHARE))
    for term, weight in heaviest[:QUERY_TERMS]:
        number = index.vocabulary.get(term)
        if number is None or not 0 < index.df[number] <= limit:
            continue
        positions = index.term_postings[number]
        text[positions] += (
            scoring.W_TEXT * weight * index.idf_values[number] / index.norms[positions]
        )
    return _Lookups(
        tags=_count(index, (("tag", tag) for tag in seeker.tags)),
        sectors=_count(index, (("sector", sector) for sector in seeker.sectors)),
        other_sections=_count(
            index, (("sector", s) for s in seeker.sections - seeker.sectors)
        ),
        sections=_count(index, (("section", s) for s in seeker.sections)),
        offers=_count(index, (("offer", category) for category in seeker.needs)),
        needs=_count(index, (("need", category) for category in seeker.offers)),
        intents=_count(index, (("intent", intent) for intent in seeker.intents)),
        organization_kinds=_count(
            index,
            (
                ("organization_kind", kind)
                for intent in seeker.intents
                for kind in INTENT_ORGANIZATIONS.get(intent, ())
            ),
        ),
        text=text,
    )


def _shortlisted(
    seeker: scoring.Seeker,
    index: MatchIndex,
    lookups: _Lookups,
    *,
    kinds=scoring.KINDS,
    among: set[int] | None = None,
    size: int = SHORTLIST,
) -> np.ndarray:
    """Positions of the candidates worth scoring: those sharing a tag, a sector or
    a rare term with the seeker, or fitting a need or an intent, the `size`
    heaviest overlaps and every one tied with the last of them (so which are
    scored never depends on an order of lookups), heaviest first."""
    points = (
        scoring.W_TAG * lookups.tags
        + scoring.W_SECTOR * lookups.sectors
        + scoring.W_SECTION * lookups.other_sections
        + scoring.W_NEED_FIT * (lookups.offers + lookups.needs)
        + scoring.W_INTENT * (lookups.intents + lookups.organization_kinds)
        + lookups.text
    )
    wanted = np.isin(index.kind, [scoring.KIND_ORDER[kind] for kind in kinds])
    if among is not None:
        organizations = index.kind == scoring.KIND_ORDER[scoring.ORGANIZATION]
        wanted &= ~organizations | np.isin(index.ident, list(among))
    positions = np.flatnonzero(wanted & (points > 0))
    if positions.size > size:
        values = points[positions]
        cut = np.partition(values, positions.size - size)[positions.size - size]
        positions = positions[values >= cut]
    order = np.lexsort(
        (index.ident[positions], index.kind[positions], -points[positions])
    )
    return positions[order]


def shortlist(
    seeker: scoring.Seeker,
    index: MatchIndex,
    *,
    kinds=scoring.KINDS,
    among: set[int] | None = None,
    size: int = SHORTLIST,
) -> list[scoring.Candidate]:
    """The candidates worth scoring (see _shortlisted), with their vectors, as
    scoring.rank takes them."""
    positions = _shortlisted(
        seeker, index, _lookups(seeker, index), kinds=kinds, among=among, size=size
    )
    return [index.with_vector(index.keys[position]) for position in positions]


def _has(index: MatchIndex, fact, positions: np.ndarray) -> np.ndarray:
    """Which of `positions` have `fact`."""
    mask = np.zeros(index.size, dtype=bool)
    found = index.postings.get(fact)
    if found is not None:
        mask[found] = True
    return mask[positions]


def _similarities(seeker, index: MatchIndex, positions: np.ndarray) -> np.ndarray:
    """Cosine of the seeker's vector with each position's document."""
    weights = np.zeros(len(index.terms), dtype=np.float64)
    for term, weight in seeker.vector.items():
        weights[index.vocabulary[term]] = weight
    lengths = index.length[positions]
    rows = np.repeat(np.arange(positions.size), lengths)
    starts = np.repeat(index.start[positions] - np.cumsum(lengths) + lengths, lengths)
    numbers = index.flat[starts + np.arange(rows.size)]
    dots = np.bincount(
        rows,
        weights=weights[numbers] * index.idf_values[numbers],
        minlength=positions.size,
    )
    norms = index.norms[positions]
    return np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)


def _scores(
    seeker: scoring.Seeker,
    index: MatchIndex,
    lookups: _Lookups,
    positions: np.ndarray,
    *,
    home: int | None,
) -> np.ndarray:
    """scoring.score of each position's candidate, vectorised (the same rules in
    the same order; the cosines are summed in another order, so a score may
    differ from scoring.score's in the last bits). Each step adds its points to
    `total` in scoring.score's order and marks the candidates it finds topical."""
    kind = index.kind[positions]
    is_need_offer = kind == scoring.KIND_ORDER[scoring.NEED_OFFER]
    is_project = kind == scoring.KIND_ORDER[scoring.PROJECT]

    def has(fact):
        return _has(index, fact, positions)

    total, topical = _vocabulary_points(lookups, positions)
    total, topical = _intent_points(
        seeker, has, is_need_offer, is_project, total, topical
    )
    total, topical = _amount_points(seeker, index, positions, total, topical)
    total = _place_points(seeker, has, home, total, positions.size)
    if seeker.vector:
        similar = _similarities(seeker, index, positions)
        similar = np.where(similar >= scoring.MIN_TEXT_REASON, similar, 0)
        total = total + scoring.W_TEXT * similar
        topical |= similar > 0
    return np.where(topical, np.round(total, 6), 0.0)


def _vocabulary_points(lookups: _Lookups, positions: np.ndarray):
    """Shared tags, sectors (or their sections) and needs met both ways."""
    tags = lookups.tags[positions]
    sectors = lookups.sectors[positions]
    near = lookups.sections[positions]
    total = np.where(tags > 0, scoring.W_TAG * np.minimum(tags, scoring.W_TAG_CAP), 0)
    total = total + np.where(
        sectors > 0,
        scoring.W_SECTOR * sectors,
        np.where(near > 0, scoring.W_SECTION * near, 0),
    )
    topical = (tags > 0) | (sectors > 0) | (near > 0)
    for fit in (lookups.offers[positions] > 0, lookups.needs[positions] > 0):
        total = total + np.where(fit, scoring.W_NEED_FIT, 0)
        topical |= fit
    return total, topical


def _intent_points(seeker, has, is_need_offer, is_project, total, topical):
    """Candidates that fit what the seeker comes for; partnering alone is weak."""
    intents = seeker.intents
    startup = has(("organization_kind", "startup"))
    rules = []
    if "investing" in intents:
        rules.append((is_project | has(("intent", "investing")) | startup, True))
    if "hiring" in intents:
        educates = has(("organization_kind", "education")) | has(
            ("organization_kind", "research")
        )
        rules.append((has(("intent", "hiring")) | educates, True))
    if "mentoring" in intents:
        rules.append((startup | (is_need_offer & has(("need", "expertise"))), True))
    if "partnering" in intents:
        rules.append((has(("partnering", True)) & ~is_project, False))
    for fits, is_topical in rules:
        weight = scoring.W_INTENT if is_topical else scoring.W_INTENT_WEAK
        total = total + np.where(fits, weight, 0)
        if is_topical:
            topical |= fits
    return total, topical


def _amount_points(seeker, index: MatchIndex, positions, total, topical):
    """An investor's ticket against the candidate's amount, where both are known."""
    low, high = seeker.ticket_min_usd, seeker.ticket_max_usd
    if "investing" not in seeker.intents or (low is None and high is None):
        return total, topical
    amount = index.amount[positions]
    known = ~np.isnan(amount)
    covers = known.copy()
    if low is not None:
        covers &= amount >= low
    if high is not None:
        covers &= amount <= high
    total = total + np.where(covers, scoring.W_AMOUNT, 0)
    total = total + np.where(known & ~covers, scoring.W_AMOUNT_MISS, 0)
    return total, topical | covers


def _place_points(seeker, has, home: int | None, total, size: int):
    """Countries the seeker looks at; the home city and abroad complementing each
    other; the same place (never topical on its own)."""
    nowhere = np.zeros(size, dtype=bool)
    in_country = nowhere.copy()
    for country in seeker.countries:
        in_country |= has(("country", country))
    total = total + np.where(in_country, scoring.W_COUNTRY, 0)
    seeker_home = home is not None and home in seeker.places
    seeker_abroad = bool(seeker.country) and (
        seeker.country != settings.MIST_HOME_COUNTRY
    )
    candidate_home = has(("place", home)) if home is not None else nowhere
    visitor = candidate_home & seeker_abroad
    abroad = ~visitor & has(("abroad", True)) & seeker_home
    same = nowhere
    if seeker.places:
        same = ~visitor & ~abroad & has(("place", seeker.places[0]))
    total = total + np.where(visitor | abroad, scoring.W_COMPLEMENT, 0)
    return total + np.where(same, scoring.W_SAME_PLACE, 0)


# Scores of the vectorised path within this of the last one kept are scored
# again by scoring.score, which decides (and words the reasons).
RESCORE_MARGIN = 1e-5


def ranked(
    seeker: scoring.Seeker,
    index: MatchIndex,
    *,
    kinds=scoring.KINDS,
    among: set[int] | None = None,
    limit: int = 10,
) -> list[scoring.Scored]:
    """What scoring.rank gives for the shortlist, the best `limit` with reasons:
    every shortlisted candidate scored at once with arrays, then the few that can
    make the list scored again by scoring.score."""
    lookups = _lookups(seeker, index)
    positions = _shortlisted(seeker, index, lookups, kinds=kinds, among=among)
    if not positions.size:
        return []
    scores = _scores(seeker, index, lookups, positions, home=index.home)
    if seeker.organization_id is not None:
        scores[index.owner[positions] == seeker.organization_id] = 0.0
    kept = scores > 0
    positions, scores = positions[kept], scores[kept]
    if positions.size > limit:
        cut = np.partition(scores, positions.size - limit)[positions.size - limit]
        kept = scores >= cut - RESCORE_MARGIN
        positions = positions[kept]
    candidates = [index.with_vector(index.keys[position]) for position in positions]
    return scoring.rank(seeker, candidates, home=index.home, limit=limit)


# Results.


@dataclass
class Recommendation:
    kind: str
    obj: object
    score: float
    reasons: list[str]


def reason_names(index: MatchIndex) -> scoring.ReasonNames:
    """Names of reason parameters in the active language, from the index."""
    language = 1 if active_language() == "en" else 0

    def named(names: dict, pk) -> str:
        pair = names.get(pk)
        if not pair:
            return str(pk)
        return pair[language] or pair[1 - language]

    return scoring.ReasonNames(
        tag=lambda pk: named(index.tag_names, pk),
        sector=lambda pk: named(index.sector_names, pk),
        category=lambda code: (
            str(NeedOffer.Category(code).label).lower()
            if code in NeedOffer.Category.values
            else code
        ),
        country=lambda code: str(countries.name(code)) or code,
        place=lambda pk: named(index.place_names, pk),
        home=lambda: named(index.place_names, index.home) if index.home else "",
    )


def _objects(kind: str, ids: list[int], user) -> dict[int, object]:
    """The objects behind the ids, through the same visibility rules the pages use
    (the index may be a moment behind the database): one query per kind."""
    from matching import queries

    if not ids:
        return {}
    if kind == scoring.ORGANIZATION:
        # Among verified organizations, directory.queries.organizations_visible_to
        # shows every signed-in person all the alive ones (recommendations are for
        # signed-in people only): asked directly, without reading their memberships.
        queryset = (
            Organization.objects.alive()
            .filter(verification=Organization.Verification.VERIFIED)
            .select_related("place")
            .defer("search_document", "search_names")
        )
    elif kind == scoring.NEED_OFFER:
        queryset = (
            NeedOffer.objects.published()
            .filter(organization__verification=Organization.Verification.VERIFIED)
            .select_related("organization")
            .defer("match_terms", "organization__search_document")
            .defer("organization__search_names")
        )
    else:
        queryset = queries.projects_public()
        if queryset is None:
            return {}
    return {obj.pk: obj for obj in queryset.filter(pk__in=ids).order_by()}


def recommend_for(
    user,
    *,
    kinds=scoring.KINDS,
    limit: int = 10,
    among_organizations: set[int] | None = None,
) -> list[Recommendation]:
    """What fits `user` best, best first, with reasons in the active language.
    `among_organizations` narrows organizations (e.g. to an event's participants)."""
    if not (user and user.is_authenticated):
        return []
    index = current_index()
    seeker = seeker_for(user, index)
    results = ranked(seeker, index, kinds=kinds, among=among_organizations, limit=limit)
    by_kind = defaultdict(list)
    for result in results:
        by_kind[result.candidate.kind].append(result.candidate.id)
    objects = {kind: _objects(kind, ids, user) for kind, ids in by_kind.items()}
    names = reason_names(index)
    recommendations = []
    for result in results:
        obj = objects[result.candidate.kind].get(result.candidate.id)
        if obj is None:
            continue
        recommendations.append(
            Recommendation(
                kind=result.candidate.kind,
                obj=obj,
                score=result.score,
                reasons=[scoring.reason_text(r, names) for r in result.reasons],
            )
        )
    return recommendations
