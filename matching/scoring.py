"""Pure scoring of recommendations: no database, no clock, no randomness.

A `Seeker` (a person with their match profile and organization) is scored against
`Candidate`s (organizations, needs/offers, investment projects). Every point of a
score comes with a `Reason`, so the result explains itself; `reason_text` words a
reason in the active language. The same inputs always give the same scores and
the same order (ties break on kind and id).
"""

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# Weights of the signals. Tuned on the labelled set (matching/quality/).
W_TAG = 2.0
W_TAG_CAP = 4  # shared tags beyond this add nothing more
W_SECTOR = 1.5
W_SECTION = 0.5  # same KVED section but another division
W_TEXT = 6.0
W_INTENT = 2.5
W_INTENT_WEAK = 1.0
W_AMOUNT = 2.5
W_AMOUNT_MISS = -1.5
W_COUNTRY = 1.5
W_COMPLEMENT = 2.0
W_SAME_PLACE = 0.5
W_NEED_FIT = 3.0
MIN_TEXT_REASON = 0.08  # cosine under this is not worth a sentence

ORGANIZATION, NEED_OFFER, PROJECT = "organization", "need_offer", "project"
KINDS = (ORGANIZATION, NEED_OFFER, PROJECT)
KIND_ORDER = {kind: index for index, kind in enumerate(KINDS)}

# Fixed conversion to US dollars, used when no exchange rate is stored.
USD_PER_UNIT = {"USD": Decimal("1"), "EUR": Decimal("1.08"), "UAH": Decimal("0.024")}


@dataclass(frozen=True)
class Reason:
    """One explained contribution to a score: a code, its parameters, its points."""

    code: str
    points: float
    params: tuple = ()


@dataclass(frozen=True)
class Seeker:
    """The person recommendations are for, reduced to what scoring needs."""

    intents: frozenset[str] = frozenset()
    tags: frozenset[int] = frozenset()
    sectors: frozenset[int] = frozenset()  # divisions and sections chosen
    sections: frozenset[int] = frozenset()  # the sections of `sectors`
    countries: frozenset[str] = frozenset()  # where they look for partners
    country: str = ""  # where they are
    places: tuple[int, ...] = ()  # their place and every place it is part of
    ticket_min_usd: float | None = None
    ticket_max_usd: float | None = None
    vector: Mapping[str, float] = field(default_factory=dict)  # L2-normalized
    organization_id: int | None = None
    needs: frozenset[str] = frozenset()  # categories their organization needs
    offers: frozenset[str] = frozenset()  # categories their organization offers


@dataclass(frozen=True)
class Candidate:
    """Something to recommend, reduced to what scoring needs."""

    kind: str
    id: int
    tags: frozenset[int] = frozenset()
    sectors: frozenset[int] = frozenset()
    sections: frozenset[int] = frozenset()
    country: str = ""
    places: tuple[int, ...] = ()
    organization_id: int | None = None  # the organization itself, or the owner
    organization_kind: str = ""
    need_offer_kind: str = ""  # "need" or "offer" for a need/offer
    category: str = ""
    amount_usd: float | None = None  # financing sought by a project
    vector: Mapping[str, float] = field(default_factory=dict)
    needs: frozenset[str] = frozenset()  # an organization's published needs
    offers: frozenset[str] = frozenset()  # an organization's published offers


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float
    reasons: tuple[Reason, ...]


def to_usd(amount, currency: str, rates: Mapping[str, Decimal] | None = None):
    """`amount` in US dollars with `rates` (USD per unit); None if unknown."""
    if amount is None:
        return None
    rate = (rates or USD_PER_UNIT).get((currency or "USD").upper())
    if rate is None:
        rate = USD_PER_UNIT.get((currency or "USD").upper())
    if rate is None:
        return None
    return float(Decimal(amount) * Decimal(rate))


def tfidf_vector(terms: Iterable[str], idf: Mapping[str, float]) -> dict[str, float]:
    """Binary term frequency times inverse document frequency, L2-normalized;
    terms the corpus does not know are left out."""
    weights = {}
    for term in terms:
        weight = idf.get(term)
        if weight:
            weights[term] = weight
    norm = math.sqrt(sum(w * w for w in weights.values()))
    if not norm:
        return {}
    return {term: w / norm for term, w in weights.items()}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two L2-normalized sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(term, 0.0) for term, weight in a.items())


def _vocabulary(seeker: Seeker, candidate: Candidate) -> list[Reason]:
    reasons = []
    shared_tags = sorted(seeker.tags & candidate.tags)
    if shared_tags:
        points = W_TAG * min(len(shared_tags), W_TAG_CAP)
        reasons.append(Reason("shares_tags", points, tuple(shared_tags)))
    shared_sectors = sorted(seeker.sectors & (candidate.sectors | candidate.sections))
    if shared_sectors:
        points = W_SECTOR * len(shared_sectors)
        reasons.append(Reason("shares_sectors", points, tuple(shared_sectors)))
    else:
        near = sorted(seeker.sections & candidate.sections)
        if near:
            reasons.append(Reason("near_sectors", W_SECTION * len(near), tuple(near)))
    return reasons


def _intents(seeker: Seeker, candidate: Candidate) -> list[Reason]:
    intents = seeker.intents
    reasons = []
    kind, category = candidate.kind, candidate.category
    if "investing" in intents:
        if kind == PROJECT:
            reasons.append(Reason("seeks_financing", W_INTENT))
        elif kind == NEED_OFFER and category == "investment":
            if candidate.need_offer_kind == "need":
                reasons.append(Reason("seeks_investment", W_INTENT))
        elif kind == ORGANIZATION and candidate.organization_kind == "startup":
            reasons.append(Reason("startup_to_invest", W_INTENT))
    if "hiring" in intents:
        if kind == NEED_OFFER and category == "internship":
            reasons.append(Reason("internship", W_INTENT))
        elif kind == ORGANIZATION and candidate.organization_kind in (
            "education",
            "research",
        ):
            reasons.append(Reason("talent_source", W_INTENT))
    if "mentoring" in intents:
        if kind == ORGANIZATION and candidate.organization_kind == "startup":
            reasons.append(Reason("startup_to_mentor", W_INTENT))
        elif (
            kind == NEED_OFFER
            and category == "expertise"
            and candidate.need_offer_kind == "need"
        ):
            reasons.append(Reason("needs_expertise", W_INTENT))
    if "partnering" in intents:
        if kind == NEED_OFFER and category in (
            "pilot_partner",
            "customer_introduction",
            "expertise",
            "equipment",
        ):
            reasons.append(Reason("partnering_offer", W_INTENT_WEAK))
        elif kind == ORGANIZATION and candidate.organization_kind not in (
            "city_body",
            "investor",
        ):
            reasons.append(Reason("partnering_organization", W_INTENT_WEAK))
    return reasons


def _amounts(seeker: Seeker, candidate: Candidate) -> list[Reason]:
    if candidate.amount_usd is None or "investing" not in seeker.intents:
        return []
    low, high = seeker.ticket_min_usd, seeker.ticket_max_usd
    if low is None and high is None:
        return []
    amount = candidate.amount_usd
    if (low is None or amount >= low) and (high is None or amount <= high):
        return [Reason("ticket_covers", W_AMOUNT)]
    return [Reason("ticket_misses", W_AMOUNT_MISS)]


def _places(seeker: Seeker, candidate: Candidate, home: int | None) -> list[Reason]:
    reasons = []
    if candidate.country and candidate.country in seeker.countries:
        reasons.append(Reason("in_country", W_COUNTRY, (candidate.country,)))
    seeker_home = home is not None and home in seeker.places
    candidate_home = home is not None and home in candidate.places
    home_country = settings.MIST_HOME_COUNTRY
    seeker_abroad = bool(seeker.country) and seeker.country != home_country
    candidate_abroad = bool(candidate.country) and candidate.country != home_country
    if seeker_abroad and candidate_home:
        reasons.append(Reason("local_for_visitor", W_COMPLEMENT, (seeker.country,)))
    elif seeker_home and candidate_abroad:
        reasons.append(Reason("partner_abroad", W_COMPLEMENT, (candidate.country,)))
    elif seeker.places and candidate.places and seeker.places[0] in candidate.places:
        reasons.append(Reason("same_place", W_SAME_PLACE, (seeker.places[0],)))
    return reasons


def _needs(seeker: Seeker, candidate: Candidate) -> list[Reason]:
    if candidate.kind == NEED_OFFER:
        offers = {candidate.category} if candidate.need_offer_kind == "offer" else set()
        needs = {candidate.category} if candidate.need_offer_kind == "need" else set()
    else:
        offers, needs = candidate.offers, candidate.needs
    reasons = []
    fit = sorted(seeker.needs & offers)
    if fit:
        reasons.append(Reason("offers_what_you_need", W_NEED_FIT, tuple(fit)))
    fit = sorted(seeker.offers & needs)
    if fit:
        reasons.append(Reason("needs_what_you_offer", W_NEED_FIT, tuple(fit)))
    return reasons


# Reasons that say the candidate is about what the seeker is about; without one of
# them a candidate is not recommended (a place or an intent alone is too little).
TOPICAL = frozenset(
    {
        "shares_tags",
        "shares_sectors",
        "near_sectors",
        "similar_text",
        "offers_what_you_need",
        "needs_what_you_offer",
        "seeks_financing",
        "seeks_investment",
        "ticket_covers",
        "startup_to_invest",
        "startup_to_mentor",
        "talent_source",
        "internship",
        "needs_expertise",
    }
)


def score(seeker: Seeker, candidate: Candidate, *, home: int | None = None) -> Scored:
    """The score of `candidate` for `seeker` and its reasons, strongest first.
    `home` is the host city's place id (Kharkiv), for the visitor ↔ local fit."""
    reasons = [
        *_vocabulary(seeker, candidate),
        *_needs(seeker, candidate),
        *_intents(seeker, candidate),
        *_amounts(seeker, candidate),
        *_places(seeker, candidate, home),
    ]
    similarity = cosine(seeker.vector, candidate.vector) if seeker.vector else 0.0
    if similarity >= MIN_TEXT_REASON:
        reasons.append(Reason("similar_text", W_TEXT * similarity, (similarity,)))
    if not any(reason.code in TOPICAL for reason in reasons):
        return Scored(candidate, 0.0, ())
    total = sum(reason.points for reason in reasons)
    positive = sorted(
        (reason for reason in reasons if reason.points > 0),
        key=lambda reason: -reason.points,
    )
    return Scored(candidate, round(total, 6), tuple(positive))


def rank(
    seeker: Seeker,
    candidates: Iterable[Candidate],
    *,
    home: int | None = None,
    limit: int = 10,
) -> list[Scored]:
    """The best `limit` candidates with a positive score, best first; ties by kind
    and id, so the order never depends on the input's order."""
    scored = [
        result
        for candidate in candidates
        if candidate.organization_id is None
        or candidate.organization_id != seeker.organization_id
        if (result := score(seeker, candidate, home=home)).score > 0
    ]
    scored.sort(
        key=lambda s: (-s.score, KIND_ORDER.get(s.candidate.kind, 9), s.candidate.id)
    )
    return scored[:limit]


# Words.


def _names(ids: Iterable, name_of: Callable[[object], str]) -> str:
    return ", ".join(sorted(name_of(value) for value in ids))


def reason_text(reason: Reason, names: "ReasonNames") -> str:
    """`reason` as a sentence in the active language."""
    code, params = reason.code, reason.params
    if code == "shares_tags":
        return _("Shares: %(tags)s") % {"tags": _names(params, names.tag)}
    if code == "shares_sectors":
        return _("Same sector: %(sectors)s") % {"sectors": _names(params, names.sector)}
    if code == "near_sectors":
        return _("Related sector: %(sectors)s") % {
            "sectors": _names(params, names.sector)
        }
    if code == "similar_text":
        return _("Describes what you look for (%(percent)s%% similar text)") % {
            "percent": round(params[0] * 100)
        }
    if code == "offers_what_you_need":
        return _("Offers what you need: %(categories)s") % {
            "categories": _names(params, names.category)
        }
    if code == "needs_what_you_offer":
        return _("Needs what you offer: %(categories)s") % {
            "categories": _names(params, names.category)
        }
    if code == "in_country":
        return _("Based in %(country)s, where you look for partners") % {
            "country": names.country(params[0])
        }
    if code == "local_for_visitor":
        return _("%(city)s company for a partner from %(country)s") % {
            "city": names.home(),
            "country": names.country(params[0]),
        }
    if code == "partner_abroad":
        return _("Partner from %(country)s for a %(city)s company") % {
            "city": names.home(),
            "country": names.country(params[0]),
        }
    if code == "same_place":
        return _("Also in %(place)s") % {"place": names.place(params[0])}
    return _(SIMPLE_REASONS[code]) if code in SIMPLE_REASONS else code


SIMPLE_REASONS = {
    "seeks_financing": gettext_noop("Seeks financing, and you invest"),
    "seeks_investment": gettext_noop("Seeks investment, and you invest"),
    "startup_to_invest": gettext_noop("A startup, and you invest"),
    "internship": gettext_noop("Internships, and you hire"),
    "talent_source": gettext_noop("Trains the people you may hire"),
    "startup_to_mentor": gettext_noop("A startup, and you mentor"),
    "needs_expertise": gettext_noop("Needs expertise you may mentor"),
    "partnering_offer": gettext_noop("Looks for partners, as you do"),
    "partnering_organization": gettext_noop("Open to partnerships, as you are"),
    "ticket_covers": gettext_noop("Your ticket size covers the amount sought"),
}


@dataclass
class ReasonNames:
    """How reason parameters (ids, codes) turn into names in the active language."""

    tag: Callable[[int], str]
    sector: Callable[[int], str]
    category: Callable[[str], str]
    country: Callable[[str], str]
    place: Callable[[int], str]
    home: Callable[[], str]
