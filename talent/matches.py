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

import functools
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass

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
# Candidates scored in full: the heaviest overlaps (shared tags, free skills).
SHORTLIST = 200
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
    seeker: scoring.Seeker

    @property
    def free_skills(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """Each free skill with its terms (analysed only when needed)."""
        return _free_skills(self.profile.free_skills)


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


@functools.lru_cache(maxsize=4096)
def _free_skills(free_skills: str) -> tuple[tuple[str, frozenset[str]], ...]:
    names = [name.strip() for name in free_skills.split(",") if name.strip()]
    return tuple((name, frozenset(text.document_terms(name))) for name in names)


def _person(profile: SpecialistProfile) -> _Person:
    tags = frozenset(tag.pk for tag in profile.skills.all())
    vector = _vector(profile.match_terms)
    return _Person(
        profile=profile,
        tags=tags,
        vector=vector,
        seeker=scoring.Seeker(tags=tags, vector=vector),
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
    scored = scoring.score(person.seeker, candidate)
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


class _PerProcess:
    """One index per process, rebuilt by `build(token)` once talent's version
    token has changed (checked again under a lock, so one thread rebuilds)."""

    def __init__(self, build):
        self.build = build
        self.value = None
        self.lock = threading.Lock()

    def get(self):
        token = _token()
        value = self.value
        if value is not None and value.token == token:
            return value
        with self.lock:
            if self.value is None or self.value.token != token:
                self.value = self.build(token)
            return self.value


def _token() -> tuple:
    from talent import aggregates

    return (aggregates.version(), timezone.localdate())


def _skills_of(skills, queryset) -> dict[int, set[int]]:
    """The tag ids of each row of `queryset`, read through the many-to-many
    `skills` (Role.skills, SpecialistProfile.skills) in one query."""
    owner = skills.field.m2m_field_name()
    tags = defaultdict(set)
    for owner_id, tag_id in skills.through.objects.filter(
        **{f"{owner}__in": queryset}
    ).values_list(f"{owner}_id", "tag_id"):
        tags[owner_id].add(tag_id)
    return tags


def build_role_index(token: tuple = ()) -> RoleIndex:
    """Every open role, reduced, with inverted lists by tag and term."""
    published = Role.objects.published()
    tags = _skills_of(Role.skills, published)
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


_roles = _PerProcess(build_role_index)


def role_index() -> RoleIndex:
    """This process's index of open roles, rebuilt after any change in talent."""
    return _roles.get()


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
    for role_id, _overlap in shortlist.most_common(SHORTLIST):
        points, _reasons = _evaluate(person, index.roles[role_id])
        if points > 0:
            scored.append((-points, role_id))
    scored.sort()
    best = [role_id for _points, role_id in scored[: limit + 5]]
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


# The index of specialists who let organizations see them.


@dataclass(frozen=True)
class _Listed:
    """A profile in the specialists' index: a stand-in `profile` with the fields
    scoring reads, and its visibility level."""

    person: _Person
    visibility: str


@dataclass
class SpecialistIndex:
    token: tuple
    people: dict[int, _Listed]
    by_tag: dict[int, list[int]]
    by_term: dict[str, list[int]]


def build_specialist_index(token: tuple = ()) -> SpecialistIndex:
    """Every profile visible to organizations or public, reduced; aggregate-only
    profiles and survey answers are never read into it."""
    listed = SpecialistProfile.objects.filter(
        user__isnull=False,
        user__is_active=True,
        visibility__in=(
            SpecialistProfile.Visibility.ORGANIZATIONS,
            SpecialistProfile.Visibility.PUBLIC,
        ),
    )
    tags = _skills_of(SpecialistProfile.skills, listed)
    people, by_tag, by_term = {}, defaultdict(list), defaultdict(list)
    rows = listed.only(
        "pk",
        "user_id",
        "match_terms",
        "free_skills",
        "intent",
        "conditions",
        "seniority",
        "visibility",
    ).order_by("pk")
    for profile in rows.iterator(chunk_size=5000):
        own = frozenset(tags[profile.pk])
        vector = _vector(profile.match_terms)
        person = _Person(
            profile=profile,
            tags=own,
            vector=vector,
            seeker=scoring.Seeker(tags=own, vector=vector),
        )
        people[profile.pk] = _Listed(person, profile.visibility)
        for tag in own:
            by_tag[tag].append(profile.pk)
        for term in vector:  # the terms of the free skills
            by_term[term].append(profile.pk)
    return SpecialistIndex(token, people, dict(by_tag), dict(by_term))


_specialists = _PerProcess(build_specialist_index)


def specialist_index() -> SpecialistIndex:
    """This process's index of listed specialists, rebuilt after any change."""
    return _specialists.get()


def specialists_for(role: Role, user, *, limit: int = 20) -> list[Match]:
    """Specialists who allow `user` to see them and fit the role, best first."""
    levels = {SpecialistProfile.Visibility.PUBLIC}
    if queries.home_organization_ids(user):
        levels.add(SpecialistProfile.Visibility.ORGANIZATIONS)
    index = specialist_index()
    role_tags = {tag.pk for tag in role.skills.all()}
    data = _role_data(
        role.pk,
        role.match_terms,
        role.work_mode,
        role.offers,
        role.seniority,
        role_tags,
    )
    shortlist = Counter()
    for tag in role_tags:
        shortlist.update(index.by_tag.get(tag, ()))
    for term in data.candidate.vector:
        shortlist.update(index.by_term.get(term, ()))
    scored = []
    for profile_id, _overlap in shortlist.most_common():
        listed = index.people[profile_id]
        if listed.visibility not in levels or listed.person.profile.user_id == user.pk:
            continue
        points, _reasons = _evaluate(listed.person, data)
        if points > 0:
            scored.append((-points, profile_id))
        if len(scored) >= SHORTLIST:
            break
    scored.sort()
    best = [profile_id for _points, profile_id in scored[: limit + 5]]
    # Read again through the visibility rule: the index may be a moment behind.
    profiles = {p.pk: p for p in queries.profiles_visible_to(user).filter(pk__in=best)}
    tag_names = {tag.pk: (tag.name_uk, tag.name_en) for tag in role.skills.all()}
    results = []
    for profile_id in best:
        profile = profiles.get(profile_id)
        if profile is None:
            continue
        person = _person(profile)
        points, reasons = _evaluate(
            person, data, words=True, for_organization=True, tag_names=tag_names
        )
        reasons.append(str(profile.get_intent_display()))
        results.append(Match(profile, points, reasons))
    return results[:limit]
