"""Mist's programme proposal: which local organizations each member of a delegation
should meet, and which sites the delegation as a whole should visit, with reasons.

Built on matching's recommendation index: each member is scored as matching sees
them (profile, organization, needs and offers), joined with the visit's interests;
candidates are only organizations at home (MIST_HOME_COUNTRY)."""

import dataclasses
from collections import defaultdict

from django.conf import settings

from core import text
from directory.models import Organization
from matching import scoring
from matching.recommend import (
    Recommendation,
    current_index,
    ranked,
    reason_names,
    seeker_for,
)
from visits.models import Visit

# Suggestions per member, and sites for the delegation.
PER_MEMBER = 5
SITES = 6
# Kinds of organizations a delegation visits as a site.
SITE_KINDS = ("research", "education", "city_body", "communal_enterprise")

_home_cache: dict[tuple, tuple[frozenset[int], frozenset[int]]] = {}


@dataclasses.dataclass
class Proposal:
    """Suggestions per member ((user, [Recommendation]) pairs) and sites."""

    members: list[tuple[object, list[Recommendation]]]
    sites: list[Recommendation]


def home_organizations(index) -> tuple[frozenset[int], frozenset[int]]:
    """Ids of the indexed organizations at home, and of those among them that are
    sites, once per state of the index (it is patched in place after changes)."""
    state = (index.token, index.version, index.size)
    cached = _home_cache.get(state)
    if cached is None:
        home = settings.MIST_HOME_COUNTRY
        organizations = [
            candidate
            for candidate in index.candidates.values()
            if candidate.kind == scoring.ORGANIZATION and candidate.country == home
        ]
        cached = (
            frozenset(c.id for c in organizations),
            frozenset(c.id for c in organizations if c.organization_kind in SITE_KINDS),
        )
        _home_cache.clear()
        _home_cache[state] = cached
    return cached


def visit_seeker(visit: Visit, index) -> scoring.Seeker:
    """The delegation as a whole: its tags, sectors and stated needs."""
    tags = frozenset(visit.tags.values_list("pk", flat=True))
    sectors = frozenset(visit.sectors.values_list("pk", flat=True))
    terms = text.document_terms(visit.needs, visit.title_uk, visit.title_en)
    return scoring.Seeker(
        tags=tags,
        sectors=sectors,
        sections=index.sections(sectors),
        country=visit.organization.country.code or "",
        vector=scoring.tfidf_vector(terms, index.idf),
        organization_id=visit.organization_id,
    )


def _joined(
    seeker: scoring.Seeker, delegation: scoring.Seeker, index
) -> scoring.Seeker:
    """A member's own interests plus the visit's."""
    vector = dict(delegation.vector)
    for term, weight in seeker.vector.items():
        vector[term] = vector.get(term, 0.0) + weight
    norm = sum(v * v for v in vector.values()) ** 0.5 or 1.0
    sectors = seeker.sectors | delegation.sectors
    return dataclasses.replace(
        seeker,
        tags=seeker.tags | delegation.tags,
        sectors=sectors,
        sections=index.sections(sectors),
        vector={term: weight / norm for term, weight in vector.items()},
    )


def propose_programme(
    visit: Visit, *, per_member: int = PER_MEMBER, sites: int = SITES
) -> Proposal:
    """Suggestions for every member of `visit` and sites for the delegation."""
    index = current_index()
    among, site_ids = home_organizations(index)
    delegation = visit_seeker(visit, index)
    members = [m.user for m in visit.members.select_related("user").order_by("pk")]
    kinds = (scoring.ORGANIZATION,)
    ranked_per_member = []
    wanted: set[int] = set()
    for user in members:
        seeker = _joined(seeker_for(user, index), delegation, index)
        best = ranked(seeker, index, kinds=kinds, among=among, limit=per_member)
        ranked_per_member.append((user, best))
        wanted |= {r.candidate.id for r in best}
    ranked_sites = ranked(delegation, index, kinds=kinds, among=site_ids, limit=sites)
    wanted |= {r.candidate.id for r in ranked_sites}
    objects = {
        o.pk: o
        for o in Organization.objects.filter(
            pk__in=wanted,
            deleted_at__isnull=True,
            verification=Organization.Verification.VERIFIED,
        )
    }
    names = reason_names(index)

    def recommendations(ranked) -> list[Recommendation]:
        found = []
        for result in ranked:
            obj = objects.get(result.candidate.id)
            if obj is not None:
                found.append(
                    Recommendation(
                        kind=scoring.ORGANIZATION,
                        obj=obj,
                        score=result.score,
                        reasons=[scoring.reason_text(r, names) for r in result.reasons],
                    )
                )
        return found

    return Proposal(
        members=[(user, recommendations(r)) for user, r in ranked_per_member],
        sites=recommendations(ranked_sites),
    )


def suggested_organizations(proposal: Proposal) -> dict[int, dict]:
    """Each suggested organization once: who it is suggested for, and why."""
    merged: dict[int, dict] = defaultdict(
        lambda: {"organization": None, "for": [], "reasons": []}
    )
    for user, recommendations in proposal.members:
        for rec in recommendations:
            entry = merged[rec.obj.pk]
            entry["organization"] = rec.obj
            entry["for"].append(user)
            for reason in rec.reasons:
                if reason not in entry["reasons"]:
                    entry["reasons"].append(reason)
    for rec in proposal.sites:
        entry = merged[rec.obj.pk]
        entry["organization"] = rec.obj
        entry["site"] = True
        for reason in rec.reasons:
            if reason not in entry["reasons"]:
                entry["reasons"].append(reason)
    return dict(merged)
