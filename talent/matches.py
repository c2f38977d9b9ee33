"""Matches between specialists and roles, with reasons.

The scoring is matching's (`matching.scoring.score`): skills are technology tags
(one bilingual vocabulary, so a match works across languages) and free skills are
lemmatized/stemmed terms (`core.text`), compared with matching's cosine. Talent
adds only its own reasons on top: the work mode, what the organization offers
against the conditions the person marked, the seniority. A prefilter in SQL
(shared tags, GROUP BY) keeps each query to a few hundred candidates.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core import text
from core.translation import active_language
from matching import scoring
from talent import queries
from talent.models import OFFER_FOR_CONDITION, Offer, Role, SpecialistProfile

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


def _vector(terms: str) -> dict[str, float]:
    words = terms.split()
    return scoring.tfidf_vector(words, dict.fromkeys(words, 1.0))


def _tag_name(tag) -> str:
    if active_language() == "en":
        return tag.name_en or tag.name_uk
    return tag.name_uk or tag.name_en


@dataclass(frozen=True)
class _Person:
    """A profile reduced once to what scoring needs."""

    profile: SpecialistProfile
    tags: frozenset[int]
    vector: dict
    free_skills: tuple[tuple[str, frozenset[str]], ...]


def _person(profile: SpecialistProfile) -> _Person:
    return _Person(
        profile=profile,
        tags=frozenset(tag.pk for tag in profile.skills.all()),
        vector=_vector(profile.match_terms),
        free_skills=tuple(
            (free, frozenset(text.document_terms(free)))
            for free in profile.free_skill_list
        ),
    )


def _score(
    person: _Person,
    role: Role,
    candidate: scoring.Candidate,
    *,
    for_organization: bool = False,
):
    """matching's score of the pair, plus talent's own reasons (strongest first)."""
    profile = person.profile
    seeker = scoring.Seeker(tags=person.tags, vector=person.vector)
    scored = scoring.score(seeker, candidate)
    if scored.score <= 0:
        return 0.0, []
    points = scored.score
    reasons = []
    names = {tag.pk: _tag_name(tag) for tag in role.skills.all()}
    skills = [names[pk] for pk in sorted(seeker.tags & candidate.tags) if pk in names]
    role_terms = candidate.vector.keys()
    for free, terms in person.free_skills:
        if terms and terms <= role_terms and free not in skills:
            skills.append(free)
    if skills and for_organization:
        reasons.append(_("Has the skills: %(skills)s") % {"skills": ", ".join(skills)})
    elif skills:
        reasons.append(
            _("Matches your skills: %(skills)s") % {"skills": ", ".join(skills)}
        )
    elif any(r.code == "similar_text" for r in scored.reasons):
        reasons.append(_("The description mentions what you do"))
    if role.work_mode == Role.WorkMode.REMOTE:
        if profile.intent != SpecialistProfile.Intent.RETURN:
            points += W_REMOTE
        reasons.append(
            _("Open to remote work") if for_organization else _("Remote allowed")
        )
    elif role.work_mode == Role.WorkMode.HYBRID:
        points += W_REMOTE / 2
        reasons.append(_("Hybrid work"))
    wanted = set(profile.conditions or ())
    for condition, offer in OFFER_FOR_CONDITION.items():
        if condition in wanted and offer in (role.offers or ()):
            points += W_OFFER
            label = str(Offer(offer).label).lower()
            reasons.append(
                _("Your offer of %(offer)s matters to them") % {"offer": label}
                if for_organization
                else _("Offers %(offer)s, which you marked as important")
                % {"offer": label}
            )
    if profile.seniority and role.seniority == profile.seniority:
        points += W_SENIORITY
        reasons.append(
            _("Seniority fits: %(level)s") % {"level": role.get_seniority_display()}
        )
    return round(points, 6), reasons


def _candidate(role: Role) -> scoring.Candidate:
    return scoring.Candidate(
        kind=KIND,
        id=role.pk,
        tags=frozenset(tag.pk for tag in role.skills.all()),
        vector=_vector(role.match_terms),
    )


def roles_for(profile: SpecialistProfile, *, limit: int = 20) -> list[Match]:
    """Open roles that fit the specialist, best first, with reasons."""
    person = _person(profile)
    published = Role.objects.published()
    through = Role.skills.through.objects.filter(
        tag_id__in=person.tags, role__in=published
    )
    ranked_ids = list(
        through.values_list("role_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "role_id")
        .values_list("role_id", flat=True)[:SHORTLIST]
    )
    condition = Q(pk__in=ranked_ids)
    for free in profile.free_skill_list[:5]:
        condition |= Q(
            pk__in=queries.search_roles(published, free).values("pk")[:SHORTLIST]
        )
    results = []
    for role in queries.roles_published().filter(condition):
        points, reasons = _score(person, role, _candidate(role))
        if points > 0:
            results.append(Match(role, points, reasons))
    results.sort(key=lambda m: (-m.score, m.obj.pk))
    return results[:limit]


def specialists_for(role: Role, user, *, limit: int = 20) -> list[Match]:
    """Specialists who allow `user` to see them and fit the role, best first."""
    visible = queries.profiles_visible_to(user).exclude(user=user)
    role_tags = {tag.pk for tag in role.skills.all()}
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
    results = []
    candidate = _candidate(role)
    for profile in visible.filter(pk__in=ids):
        points, reasons = _score(
            _person(profile), role, candidate, for_organization=True
        )
        if points > 0:
            reasons.append(str(profile.get_intent_display()))
            results.append(Match(profile, points, reasons))
    results.sort(key=lambda m: (-m.score, m.obj.pk))
    return results[:limit]
