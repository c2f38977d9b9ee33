"""Recommendations: an in-memory index of what can be recommended, and
`recommend_for(user)` that prefilters it and scores the best few hundred.

The index holds public organizations, published needs/offers and public investment
projects as `scoring.Candidate`s, with inverted lists from tag, sector and term to
candidates. It is built once per process and rebuilt when anything it holds changes
(`invalidate_index()` is called from signals; the token lives in the shared cache,
so every process sees the change).
"""

import heapq
import logging
import math
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django_countries import countries

from accounts.queries import edited_organization_ids
from core import text
from core.translation import active_language
from directory.models import Organization, Place, Sector, Tag
from matching import scoring
from matching.models import MatchDocument, MatchProfile, NeedOffer

logger = logging.getLogger(__name__)

TOKEN_KEY = "matching:index-token"
# How many prefiltered candidates are scored in full.
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
    if check_table:
        from django.db import connection

        if model._meta.db_table not in connection.introspection.table_names():
            return None
    return model


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
    invalidate_index()
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


@dataclass
class MatchIndex:
    token: str
    candidates: dict[tuple[str, int], scoring.Candidate] = field(default_factory=dict)
    # Inverted lists of candidate positions (in `ordered`), per kind of candidate:
    # (kind, "tag"|"sector"|"offer"|"need"|"intent"|"organization_kind", value).
    ordered: list = field(default_factory=list)
    postings: dict[tuple, list[int]] = field(default_factory=dict)
    # (kind, term) -> [(position, weight)] for terms rare enough to prefilter with.
    term_postings: dict[tuple, list] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
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
    """Read every recommendable thing from the database into a MatchIndex."""
    started = time.perf_counter()
    index = MatchIndex(token=token or uuid.uuid4().hex)
    _load_references(index)
    documents: dict[tuple[str, int], list[str]] = {}
    # Needs and offers first: organizations carry their categories.
    needs_of, offers_of = _add_need_offers(index, documents)
    _add_organizations(index, documents, needs_of, offers_of)
    model = project_model(check_table=True)
    if model is not None:
        _add_projects(index, model, documents)

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


def _add_need_offers(index: MatchIndex, documents: dict) -> tuple[dict, dict]:
    """Add published needs and offers of verified organizations; return each
    organization's need categories and offer categories."""
    needs_of, offers_of = defaultdict(set), defaultdict(set)
    published = NeedOffer.objects.published().filter(
        organization__verification=Organization.Verification.VERIFIED
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
    ids = [row[0] for row in rows]
    no_tags = _pairs(NeedOffer.tags.through, "needoffer_id", "tag_id", ids)
    no_sectors = _pairs(NeedOffer.sectors.through, "needoffer_id", "sector_id", ids)
    for pk, org_id, kind, category, place, country, terms, *organization in rows:
        ocountry, oplace, okind = organization
        (needs_of if kind == "need" else offers_of)[org_id].add(category)
        add_candidate(
            index,
            documents,
            (scoring.NEED_OFFER, pk),
            tags=no_tags.get(pk, ()),
            sectors=no_sectors.get(pk, ()),
            terms=terms.split(),
            country=country or ocountry or "",
            places=index.chain(place or oplace),
            organization_id=org_id,
            organization_kind=okind,
            need_offer_kind=kind,
            category=category,
        )
    return needs_of, offers_of


def add_candidate(
    index: MatchIndex, documents: dict, key: tuple, *, tags, sectors, terms, **fields
) -> None:
    """Put the candidate `key` (kind, id) into `index` with its tags and sectors
    (and their sections), and its document's `terms` (a list) into `documents`."""
    sectors = frozenset(sectors)
    index.candidates[key] = scoring.Candidate(
        kind=key[0],
        id=key[1],
        tags=frozenset(tags),
        sectors=sectors,
        sections=index.sections(sectors),
        **fields,
    )
    documents[key] = terms


def _add_organizations(
    index: MatchIndex, documents: dict, needs_of: dict, offers_of: dict
) -> None:
    """Add verified organizations, with the categories of their needs and offers."""
    organizations = Organization.objects.alive().filter(
        verification=Organization.Verification.VERIFIED
    )
    org_ids = None  # all organizations' links; filtered below by presence
    org_tags = _pairs(Organization.tags.through, "organization_id", "tag_id", org_ids)
    org_sectors = _pairs(
        Organization.sectors.through, "organization_id", "sector_id", org_ids
    )
    for pk, kind, country, place, document in organizations.values_list(
        "pk", "kind", "country", "place_id", "search_document"
    ).iterator(chunk_size=5_000):
        add_candidate(
            index,
            documents,
            (scoring.ORGANIZATION, pk),
            tags=org_tags.get(pk, ()),
            sectors=org_sectors.get(pk, ()),
            terms=document.split(),
            country=country or "",
            places=index.chain(place),
            organization_id=pk,
            organization_kind=kind,
            needs=frozenset(needs_of.get(pk, ())),
            offers=frozenset(offers_of.get(pk, ())),
        )


def finish_index(index: MatchIndex, documents: dict) -> MatchIndex:
    """Weigh the terms of `documents` (key -> terms) and build the inverted lists
    of the candidates already in `index`."""
    index.ordered = [index.candidates[key] for key in sorted(index.candidates)]
    postings = defaultdict(list)
    for position, candidate in enumerate(index.ordered):
        kind = candidate.kind
        for tag in candidate.tags:
            postings[kind, "tag", tag].append(position)
        for sector in candidate.sectors | candidate.sections:
            postings[kind, "sector", sector].append(position)
        if kind == scoring.ORGANIZATION:
            postings[kind, "organization_kind", candidate.organization_kind].append(
                position
            )
            for category in candidate.offers:
                postings[kind, "offer", category].append(position)
            for category in candidate.needs:
                postings[kind, "need", category].append(position)
        elif kind == scoring.NEED_OFFER:
            postings[kind, candidate.need_offer_kind, candidate.category].append(
                position
            )
            if (
                candidate.category == "investment"
                and candidate.need_offer_kind == "need"
            ):
                postings[kind, "intent", "investing"].append(position)
            if candidate.category == "internship":
                postings[kind, "intent", "hiring"].append(position)
        else:
            postings[kind, "intent", "investing"].append(position)
    index.postings = dict(postings)
    _index_documents(index, documents)
    return index


def _add_projects(index: MatchIndex, model, documents) -> None:
    projects = model.objects.filter(status__in=PUBLIC_PROJECT_STATUSES)
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
    ids = [row[0] for row in rows]
    tags = _pairs(model.tags.through, "investmentproject_id", "tag_id", ids)
    sectors_of = _pairs(model.sectors.through, "investmentproject_id", "sector_id", ids)
    stored = dict(
        MatchDocument.objects.filter(
            kind=scoring.PROJECT, object_id__in=ids
        ).values_list("object_id", "terms")
    )
    missing = [pk for pk in ids if pk not in stored]
    if missing:
        for project in model.objects.filter(pk__in=missing):
            stored[project.pk] = project_terms(project)
    for pk, owner, place, amount, currency, owner_kind in rows:
        add_candidate(
            index,
            documents,
            (scoring.PROJECT, pk),
            tags=tags.get(pk, ()),
            sectors=sectors_of.get(pk, ()),
            terms=stored.get(pk, "").split(),
            country=settings.MIST_HOME_COUNTRY,
            places=index.chain(place) or index.chain(index.home),
            organization_id=owner,
            organization_kind=owner_kind or "",
            amount_usd=scoring.to_usd(amount, currency, index.rates),
        )


def _index_documents(index: MatchIndex, documents) -> None:
    frequency = defaultdict(int)
    for terms in documents.values():
        for term in set(terms):
            frequency[term] += 1
    total = max(len(documents), 1)
    index.idf = {
        term: math.log((1 + total) / (1 + count)) + 1.0
        for term, count in frequency.items()
    }
    limit = max(50, int(total * MAX_TERM_SHARE))
    term_postings = defaultdict(list)
    for position, candidate in enumerate(index.ordered):
        key = (candidate.kind, candidate.id)
        vector = scoring.tfidf_vector(documents.get(key, ()), index.idf)
        candidate = _with_vector(candidate, vector)
        index.candidates[key] = index.ordered[position] = candidate
        for term, weight in vector.items():
            if frequency[term] <= limit:
                term_postings[candidate.kind, term].append((position, weight))
    index.term_postings = dict(term_postings)


def _with_vector(candidate: scoring.Candidate, vector) -> scoring.Candidate:
    return scoring.Candidate(**{**candidate.__dict__, "vector": vector})


_index: MatchIndex | None = None
_index_lock = threading.Lock()


def invalidate_index(*args, **kwargs) -> None:
    """Anything recommendable changed: every process rebuilds on its next use."""
    cache.delete(TOKEN_KEY)


def current_index() -> MatchIndex:
    """The process's index, rebuilt when the shared token says it is stale."""
    global _index
    token = cache.get(TOKEN_KEY)
    if _index is not None and token == _index.token:
        return _index
    with _index_lock:
        token = cache.get(TOKEN_KEY)
        if _index is not None and token == _index.token:
            return _index
        if token is None:
            token = uuid.uuid4().hex
            cache.set(TOKEN_KEY, token, None)
        _index = build_index(token)
        logger.info(
            "Match index: %d candidates in %.2f s",
            len(_index.candidates),
            _index.build_seconds,
        )
        return _index


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
    organization's profile and published needs and offers."""
    profile = profile_of(user)
    organization = organization_of(user, profile)
    tags, sectors, terms = set(), set(), []
    intents, wanted = frozenset(), frozenset()
    low = high = None
    if profile is not None:
        tags |= {tag.pk for tag in profile.tags.all()}
        sectors |= {sector.pk for sector in profile.sectors.all()}
        terms += profile.match_terms.split()
        intents = frozenset(profile.intents or ())
        wanted = frozenset(profile.countries or ())
        low = scoring.to_usd(profile.ticket_min, profile.ticket_currency, index.rates)
        high = scoring.to_usd(profile.ticket_max, profile.ticket_currency, index.rates)
    country, places, needs, offers = "", (), frozenset(), frozenset()
    if organization is not None:
        terms += organization.search_document.split()
        country = organization.country.code or ""
        places = index.chain(organization.place_id)
        known = index.candidates.get((scoring.ORGANIZATION, organization.pk))
        if known is not None:  # the index already holds its vocabulary and needs
            tags |= known.tags
            sectors |= known.sectors
            needs, offers = known.needs, known.offers
        else:
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
        organization_id=organization.pk if organization else None,
        needs=needs,
        offers=offers,
    )


def shortlist(
    seeker: scoring.Seeker,
    index: MatchIndex,
    *,
    kinds=scoring.KINDS,
    among: set[int] | None = None,
    size: int = SHORTLIST,
) -> list[scoring.Candidate]:
    """The candidates worth scoring: those sharing a tag, a sector or a rare term
    with the seeker, or fitting a need or an intent, the heaviest overlaps first."""
    points: dict[int, float] = defaultdict(float)
    postings, term_postings = index.postings, index.term_postings
    heaviest = sorted(seeker.vector.items(), key=lambda item: (-item[1], item[0]))
    heaviest = heaviest[:QUERY_TERMS]
    lookups = [
        *(("tag", tag, scoring.W_TAG) for tag in seeker.tags),
        *(("sector", sector, scoring.W_SECTOR) for sector in seeker.sectors),
        *(
            ("sector", section, scoring.W_SECTION)
            for section in seeker.sections - seeker.sectors
        ),
        *(("offer", category, scoring.W_NEED_FIT) for category in seeker.needs),
        *(("need", category, scoring.W_NEED_FIT) for category in seeker.offers),
        *(("intent", intent, scoring.W_INTENT) for intent in seeker.intents),
        *(
            ("organization_kind", kind, scoring.W_INTENT)
            for intent in seeker.intents
            for kind in INTENT_ORGANIZATIONS.get(intent, ())
        ),
    ]
    for kind in kinds:
        for field_name, value, weight in lookups:
            for position in postings.get((kind, field_name, value), ()):
                points[position] += weight
        for term, weight in heaviest:
            for position, other in term_postings.get((kind, term), ()):
                points[position] += scoring.W_TEXT * weight * other
    ordered = index.ordered
    if among is not None:
        for position in list(points):
            candidate = ordered[position]
            if candidate.kind == scoring.ORGANIZATION and candidate.id not in among:
                del points[position]
    best = heapq.nlargest(size, points.items(), key=itemgetter(1))
    return [ordered[position] for position, _points in best]


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
    (the index may be a moment behind the database)."""
    from directory.queries import organizations_visible_to
    from matching import queries

    if not ids:
        return {}
    if kind == scoring.ORGANIZATION:
        queryset = (
            organizations_visible_to(user)
            .filter(verification=Organization.Verification.VERIFIED)
            .select_related("place")
        )
    elif kind == scoring.NEED_OFFER:
        queryset = (
            NeedOffer.objects.published()
            .filter(organization__verification=Organization.Verification.VERIFIED)
            .select_related("organization")
        )
    else:
        queryset = queries.projects_public()
        if queryset is None:
            return {}
    return {obj.pk: obj for obj in queryset.filter(pk__in=ids)}


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
    candidates = shortlist(seeker, index, kinds=kinds, among=among_organizations)
    ranked = scoring.rank(seeker, candidates, home=index.home, limit=limit)
    by_kind = defaultdict(list)
    for result in ranked:
        by_kind[result.candidate.kind].append(result.candidate.id)
    objects = {kind: _objects(kind, ids, user) for kind, ids in by_kind.items()}
    names = reason_names(index)
    recommendations = []
    for result in ranked:
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
