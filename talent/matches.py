"""Matches between specialists and roles, with reasons.

The scoring is matching's (`matching.scoring.score`): skills are technology tags
(one bilingual vocabulary, so a match works across languages) and free skills are
lemmatized/stemmed terms (`core.text`), compared with matching's cosine. Talent
adds only its own reasons on top: the work mode, what the organization offers
against the conditions the person marked, the seniority.

Open roles are few (thousands) and read often, so each process keeps them reduced
to what scoring needs, with inverted lists by tag and term (as matching's index
does); the index is rebuilt when anything in talent changes (the aggregates'
version, bumped on every change) or the day changes (roles expire). Specialists are
many and private, so they are shortlisted in SQL (shared tags, GROUP BY) through
`queries.profiles_visible_to`. Either way only the best few are read as objects,
through the visibility queries, and worded.
"""

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core import text
from core.translation import active_language
from directory.models import Tag
from matching import scoring
from talent import queries
from talent.models import (
    OFFER_FOR_CONDITION,
    Offer,
    Role,
    Seniority,
    SpecialistProfile,
)

KIND = "talent_role"
SHORTLIST = 150
W_REMOTE = 2.0
W_OFFER = 1.5
W_SENIORITY = 1.0


@dataclass
class Match:
    obj: object  # a Role or a SpecialistProfile
    score: float
    reasons: list[str]


@dataclass(frozen=True)
class _Person:
    """A profile reduced once to what scoring needs."""

    profile: SpecialistProfile
    tags: frozenset[int]
    vector: dict
    free_skills: tuple[tuple[str, frozenset[str]], ...]


@dataclass(frozen=True)
class _RoleData:
    """A role reduced to what scoring needs."""

    candidate: scoring.Candidate
    work_mode: str
    offers: tuple[str, ...]
    seniority: str


def _vector(terms: str) -> dict[str, float]:
    words = terms.split()
    return scoring.tfidf_vector(words, dict.fromkeys(words, 1.0))


def _person(profile: SpecialistProfile, tags=None) -> _Person:
    return _Person(
        profile=profile,
        tags=frozenset(
            tags if tags is not None else (t.pk for t in profile.skills.all())
        ),
        vector=_vector(profile.match_terms),
        free_skills=tuple(
            (free, frozenset(text.document_terms(free)))
            for free in profile.free_skill_list
        ),
    )


def _role_data(role_id, match_terms, work_mode, offers, seniority, tags) -> _RoleData:
    return _RoleData(
        candidate=scoring.Candidate(
            kind=KIND, id=role_id, tags=frozenset(tags), vector=_vector(match_terms)
        ),
        work_mode=work_mode,
        offers=tuple(offers or ()),
        seniority=seniority,
    )


def _tag_name(tag_names: dict, pk: int) -> str:
    uk, en = tag_names.get(pk, ("", ""))
    return (en or uk) if active_language() == "en" else (uk or en)


def _evaluate(
    person: _Person,
    role: _RoleData,
    *,
    words: bool = False,
    for_organization: bool = False,
    tag_names: dict | None = None,
) -> tuple[float, list[str]]:
    """matching's score of the pair plus talent's own points; with `words`, the
    reasons in the active language, strongest kinds first."""
    profile, candidate = person.profile, role.candidate
    scored = scoring.score(
        scoring.Seeker(tags=person.tags, vector=person.vector), candidate
    )
    if scored.score <= 0:
        return 0.0, []
    points = scored.score
    reasons = []
    skills = []
    if words:
        skills = [
            _tag_name(tag_names or {}, pk)
            for pk in sorted(person.tags & candidate.tags)
        ]
        for free, terms in person.free_skills:
            if terms and terms <= candidate.vector.keys() and free not in skills:
                skills.append(free)
        if skills:
            template = (
                _("Has the skills: %(skills)s")
                if for_organization
                else _("Matches your skills: %(skills)s")
            )
            reasons.append(template % {"skills": ", ".join(skills)})
        elif any(r.code == "similar_text" for r in scored.reasons):
            reasons.append(_("The description mentions what you do"))
    if role.work_mode == Role.WorkMode.REMOTE:
        if profile.intent != SpecialistProfile.Intent.RETURN:
            points += W_REMOTE
        if words:
            reasons.append(
                _("Open to remote work") if for_organization else _("Remote allowed")
            )
    elif role.work_mode == Role.WorkMode.HYBRID:
        points += W_REMOTE / 2
        if words:
            reasons.append(_("Hybrid work"))
    wanted = profile.conditions or ()
    for condition, offer in OFFER_FOR_CONDITION.items():
        if condition in wanted and offer in role.offers:
            points += W_OFFER
            if words:
                label = str(Offer(offer).label).lower()
                template = (
                    _("Your offer of %(offer)s matters to them")
                    if for_organization
                    else _("Offers %(offer)s, which you marked as important")
                )
                reasons.append(template % {"offer": label})
    if profile.seniority and role.seniority == profile.seniority:
        points += W_SENIORITY
        if words:
            level = str(Seniority(role.seniority).label)
            reasons.append(_("Seniority fits: %(level)s") % {"level": level})
    return round(points, 6), reasons


# The index of open roles.


@dataclass
class RoleIndex:
    token: tuple
    roles: dict[int, _RoleData]
    by_tag: dict[int, list[int]]
    by_term: dict[str, list[int]]
    tag_names: dict[int, tuple[str, str]]


_index: RoleIndex | None = None
_lock = threading.Lock()


def _token() -> tuple:
    from talent import aggregates

    return (aggregates.version(), timezone.localdate())


def build_role_index(token: tuple = ()) -> RoleIndex:
    """Every open role, reduced, with inverted lists by tag and term."""
    published = Role.objects.published()
    tags = defaultdict(set)
    for role_id, tag_id in Role.skills.through.objects.filter(
        role__in=published
    ).values_list("role_id", "tag_id"):
        tags[role_id].add(tag_id)
    roles, by_tag, by_term = {}, defaultdict(list), defaultdict(list)
    rows = published.values_list(
        "pk", "match_terms", "work_mode", "offers", "seniority"
    ).order_by("pk")
    for pk, terms, work_mode, offers, seniority in rows:
        data = _role_data(pk, terms, work_mode, offers, seniority, tags[pk])
        roles[pk] = data
        for tag in data.candidate.tags:
            by_tag[tag].append(pk)
        for term in data.candidate.vector:
            by_term[term].append(pk)
    tag_names = {
        pk: (uk, en)
        for pk, uk, en in Tag.objects.values_list("pk", "name_uk", "name_en")
    }
    return RoleIndex(token, roles, dict(by_tag), dict(by_term), tag_names)


def role_index() -> RoleIndex:
    """This process's index of open roles, rebuilt after any change in talent."""
    global _index
    token = _token()
    if _index is not None and _index.token == token:
        return _index
    with _lock:
        if _index is None or _index.token != token:
            _index = build_role_index(token)
        return _index


def roles_for(profile: SpecialistProfile, *, limit: int = 20) -> list[Match]:
    """Open roles that fit the specialist, best first, with reasons."""
    index = role_index()
    person = _person(profile)
    shortlist = Counter()
    for tag in person.tags:
        shortlist.update(index.by_tag.get(tag, ()))
    for _free, terms in person.free_skills:
        lists = [set(index.by_term.get(term, ())) for term in terms]
        if lists:
            shortlist.update(set.intersection(*lists))
    scored = []
    for role_id in shortlist:
        points, _reasons = _evaluate(person, index.roles[role_id])
        if points > 0:
            scored.append((-points, role_id))
    scored.sort()
    best = [role_id for _points, role_id in scored[: limit * 2]]
    objects = {role.pk: role for role in queries.roles_published().filter(pk__in=best)}
    results = []
    for role_id in best:
        role = objects.get(role_id)
        if role is None:  # the index may be a moment behind the database
            continue
        points, reasons = _evaluate(
            person, index.roles[role_id], words=True, tag_names=index.tag_names
        )
        results.append(Match(role, points, reasons))
    return results[:limit]


def specialists_for(role: Role, user, *, limit: int = 20) -> list[Match]:
    """Specialists who allow `user` to see them and fit the role, best first."""
    visible = queries.profiles_visible_to(user).exclude(user=user)
    role_tags = {tag.pk for tag in role.skills.all()}
    data = _role_data(
        role.pk,
        role.match_terms,
        role.work_mode,
        role.offers,
        role.seniority,
        role_tags,
    )
    through = SpecialistProfile.skills.through.objects.filter(
        tag_id__in=role_tags,
        specialistprofile__in=visible.values("pk"),
    )
    ids = list(
        through.values_list("specialistprofile_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "specialistprofile_id")
        .values_list("specialistprofile_id", flat=True)[:SHORTLIST]
    )
    tag_names = {tag.pk: (tag.name_uk, tag.name_en) for tag in role.skills.all()}
    scored = []
    for profile in visible.filter(pk__in=ids):
        person = _person(profile)
        points, _reasons = _evaluate(person, data)
        if points > 0:
            scored.append((-points, profile.pk, person))
    scored.sort(key=lambda item: item[:2])
    results = []
    for _points, _pk, person in scored[:limit]:
        points, reasons = _evaluate(
            person, data, words=True, for_organization=True, tag_names=tag_names
        )
        reasons.append(str(person.profile.get_intent_display()))
        results.append(Match(person.profile, points, reasons))
    return results
