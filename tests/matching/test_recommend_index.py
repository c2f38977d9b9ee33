"""The recommendation index patched after a change scores as one built afresh does;
the vectorised scoring ranks as scoring.rank does; the query count of a
recommendation does not grow with what it shows."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.models import Role
from directory.models import Organization, Place, Sector
from directory.reference import KHARKIV_CITY
from matching import recommend, scoring, services
from matching.models import MatchProfile, NeedOffer
from matching.quality.evaluate import build_corpus_index, seeker_for_query
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    TagFactory,
    UserFactory,
)
from tests.matching.factories import NeedOfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    """Kharkiv and US organizations sharing tags and sectors, needs and offers, a
    public project, and three people with match profiles."""
    kharkiv = Place.objects.get(code=KHARKIV_CITY)
    energy, grid, ai = (TagFactory(slug=s) for s in ("energy-efficiency", "iot", "nlp"))
    sectors = list(Sector.objects.filter(parent__isnull=False).order_by("code")[:3])
    organizations = []
    for number in range(6):
        organization = OrganizationFactory(
            place=kharkiv if number % 2 else None,
            country="UA" if number % 2 else "US",
            kind="startup" if number % 3 == 0 else "it_company",
            description_en=f"Energy efficiency pilots {number} for schools and grids.",
        )
        organization.tags.set([energy, grid] if number % 2 else [energy, ai])
        organization.sectors.set([sectors[number % len(sectors)]])
        organizations.append(organization)
    for number, organization in enumerate(organizations[:4]):
        need = NeedOfferFactory(
            organization=organization,
            kind="offer" if number % 2 else "need",
            category=("expertise", "pilot_partner", "investment", "internship")[number],
        )
        need.tags.set([energy])
    from tests.investments.factories import ProjectFactory

    ProjectFactory(financing_sought=Decimal(700_000), financing_currency="USD")
    people = []
    for number, intents in enumerate(
        (["partnering"], ["investing", "mentoring"], ["hiring", "partnering"])
    ):
        user = UserFactory(role=Role.EDITOR, email=f"seeker{number}@example.org")
        MembershipFactory(user=user, organization=organizations[number])
        services.save_match_profile(
            user,
            organization=organizations[number],
            intents=intents,
            countries=["UA", "US"],
            ticket_min=Decimal(100_000),
            ticket_max=Decimal(1_000_000),
            tags=[energy],
            about_en="Energy efficiency in schools, smart grids",
        )
        people.append(user)
    return {"organizations": organizations, "people": people, "tags": [energy, grid]}


def _results(index, people):
    with translation.override("en"):
        names = recommend.reason_names(index)
        return [
            [
                (
                    result.candidate.kind,
                    result.candidate.id,
                    result.score,
                    [scoring.reason_text(reason, names) for reason in result.reasons],
                )
                for result in recommend.ranked(
                    recommend.seeker_for(person, index), index, limit=50
                )
            ]
            for person in people
        ]


def _assert_same_as_rebuilt(index, people):
    """The patched index holds and ranks what a fresh build does."""
    fresh = recommend.build_index()
    assert index.candidates == fresh.candidates
    assert index.profiles == fresh.profiles
    assert {key: index.document(key) for key in index.candidates} == {
        key: fresh.document(key) for key in fresh.candidates
    }
    assert dict(index.idf) == dict(fresh.idf)
    for key in fresh.candidates:
        assert index.norms[index.position[key]] == fresh.norms[fresh.position[key]]
        assert index.with_vector(key) == fresh.with_vector(key)
    assert {fact: sorted(index.keys[p] for p in positions)
            for fact, positions in index.postings.items()} == {
        fact: sorted(fresh.keys[p] for p in positions)
        for fact, positions in fresh.postings.items()
    }  # fmt: skip
    assert {index.terms[number]: sorted(index.keys[p] for p in positions)
            for number, positions in index.term_postings.items()} == {
        fresh.terms[number]: sorted(fresh.keys[p] for p in positions)
        for number, positions in fresh.term_postings.items()
    }  # fmt: skip
    assert _results(index, people) == _results(fresh, people)
    assert any(_results(fresh, people))


def _patched_after(change, capture):
    """Run `change` in a committed transaction; the index that follows it must be a
    patch of the one before (same token, no rebuild)."""
    before = recommend.current_index()
    with capture(execute=True):
        change()
    after = recommend.current_index()
    assert after.token == before.token
    assert after.version > before.version
    assert after is not before
    assert after.build_seconds == before.build_seconds  # patched, not built again
    return after


def _update_organization(world):
    organization = world["organizations"][1]
    organization.description_en = "Rare words: photovoltaic microgrids for hospitals."
    organization.save()
    organization.tags.remove(world["tags"][1])


def _unverify_organization(world):
    organization = world["organizations"][3]  # owns a need/offer
    organization.verification = Organization.Verification.PENDING
    organization.save()


def _create_organization(world):
    late = OrganizationFactory(kind="education", description_en="A school of energy.")
    late.tags.add(world["tags"][0])


def _delete_organization(world):
    world["organizations"][5].delete()


def _create_need_offer(world):
    need = NeedOfferFactory(
        organization=world["organizations"][5], kind="offer", category="expertise"
    )
    need.tags.add(world["tags"][1])


def _update_need_offer(world):
    need = NeedOffer.objects.order_by("pk").first()
    need.category = "investment"
    need.description_en = "We look for an investor in district heating."
    need.save()


def _delete_need_offer(world):
    NeedOffer.objects.order_by("pk").last().delete()


def _create_project(world):
    from tests.investments.factories import ProjectFactory

    ProjectFactory(
        owner=world["organizations"][2],
        financing_sought=Decimal(5_000_000),
        financing_currency="EUR",
    )


def _update_project(world):
    from investments.models import InvestmentProject

    project = InvestmentProject.objects.get()
    project.title_en = "Heat pumps for kindergartens"
    project.financing_sought = Decimal(50_000)
    project.save()
    project.tags.add(world["tags"][0])


def _unpublish_project(world):
    from investments.models import InvestmentProject

    InvestmentProject.objects.get().delete()


def _update_profile(world):
    services.save_match_profile(
        world["people"][0],
        organization=world["organizations"][0],
        intents=["investing"],
        countries=["US"],
        tags=world["tags"],
        about_en="District heating and heat pumps",
    )


def _delete_profile(world):
    MatchProfile.objects.filter(user=world["people"][2]).delete()


@pytest.mark.parametrize(
    "change",
    [
        _update_organization,
        _unverify_organization,
        _create_organization,
        _delete_organization,
        _create_need_offer,
        _update_need_offer,
        _delete_need_offer,
        _create_project,
        _update_project,
        _unpublish_project,
        _update_profile,
        _delete_profile,
    ],
)
def test_patched_index_equals_a_fresh_build(
    world, change, django_capture_on_commit_callbacks
):
    index = _patched_after(lambda: change(world), django_capture_on_commit_callbacks)

    _assert_same_as_rebuilt(index, world["people"])


def test_many_changes_in_a_row_still_equal_a_fresh_build(
    world, django_capture_on_commit_callbacks
):
    for change in (
        _create_organization,
        _update_need_offer,
        _update_organization,
        _create_need_offer,
        _update_project,
        _update_profile,
        _delete_organization,
    ):
        index = _patched_after(
            lambda change=change: change(world), django_capture_on_commit_callbacks
        )
    assert index.dead > 0  # replaced rows left dead positions behind

    _assert_same_as_rebuilt(index, world["people"])
    _assert_same_as_rebuilt(recommend.compacted(index), world["people"])


def test_bulk_expiry_through_invalidate_reloads_needs_and_offers(
    world, django_capture_on_commit_callbacks
):
    before = recommend.current_index()
    NeedOffer.objects.update(valid_until=timezone.localdate() - datetime.timedelta(1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_needs_offers() == 4

    index = recommend.current_index()

    assert index.token == before.token
    assert not [key for key in index.candidates if key[0] == scoring.NEED_OFFER]
    _assert_same_as_rebuilt(index, world["people"])


def test_another_process_catches_up_or_rebuilds(
    world, django_capture_on_commit_callbacks
):
    stale = recommend.current_index()
    with django_capture_on_commit_callbacks(execute=True):
        _create_need_offer(world)
    latest = cache.get(recommend._version_key(stale.token))
    assert latest >= stale.version + 1
    # Another process still holds `stale`: it patches it with the recorded changes.
    caught_up = recommend._catch_up(stale, latest)
    assert caught_up is not None
    _assert_same_as_rebuilt(caught_up, world["people"])
    # A change entry gone from the cache: that process cannot patch, so it rebuilds.
    cache.delete(recommend._change_key(stale.token, stale.version + 1))
    assert recommend._catch_up(stale, latest) is None
    recommend._index = stale
    rebuilt = recommend.current_index()
    assert rebuilt is not stale
    assert rebuilt.version == latest
    assert (scoring.NEED_OFFER, NeedOffer.objects.latest("pk").pk) in (
        rebuilt.candidates
    )


def test_rebuild_index_starts_a_new_generation(world):
    before = recommend.current_index()
    recommend.rebuild_index()

    assert recommend.current_index().token != before.token


def test_vectorised_scores_rank_as_scoring_rank_on_the_labelled_set():
    """Every labelled query of the quality set: the array path gives the reference
    ranking (kinds, ids, scores and reasons), and its score of each shortlisted
    candidate is scoring.score's."""
    import json

    from matching.quality.evaluate import LABELS

    index, keys, documents = build_corpus_index()
    queries = json.loads(LABELS.read_text(encoding="utf-8"))["queries"]
    for query in queries:
        seeker = seeker_for_query(query, index, keys, documents)
        kinds = tuple(query["kinds"])
        expected = scoring.rank(
            seeker,
            recommend.shortlist(seeker, index, kinds=kinds),
            home=index.home,
            limit=10,
        )
        assert recommend.ranked(seeker, index, kinds=kinds, limit=10) == expected
        lookups = recommend._lookups(seeker, index)
        positions = recommend._shortlisted(seeker, index, lookups, kinds=kinds)
        fast = recommend._scores(seeker, index, lookups, positions, home=index.home)
        for position, value in zip(positions, fast, strict=True):
            candidate = index.with_vector(index.keys[position])
            reference = scoring.score(seeker, candidate, home=index.home).score
            assert value == pytest.approx(reference, abs=1e-9)


def test_a_seeker_with_a_profile_costs_no_query(world):
    index = recommend.current_index()
    person = world["people"][1]

    with CaptureQueriesContext(connection) as queries:
        seeker = recommend.seeker_for(person, index)

    assert len(queries) == 0
    assert seeker.intents == {"investing", "mentoring"}
    assert seeker.organization_id == world["organizations"][1].pk
    assert seeker.tags >= {world["tags"][0].pk}


@pytest.mark.parametrize("shown", [1, 3])
def test_recommendation_queries_do_not_grow_with_results(
    world, shown, django_assert_num_queries
):
    person = world["people"][0]
    recommend.current_index()
    expected = recommend.recommend_for(person, kinds=("organization",), limit=shown)
    assert len(expected) == shown
    person = type(person).objects.get(pk=person.pk)  # a new request's user

    # One cache read for the index's version (not a query), one query for the
    # organizations shown.
    with django_assert_num_queries(1):
        results = recommend.recommend_for(person, kinds=("organization",), limit=shown)

    assert [r.obj for r in results] == [r.obj for r in expected]
    assert all(r.reasons for r in results)


@pytest.mark.parametrize("role", [Role.EDITOR, Role.INVESTOR, Role.STAFF])
def test_shown_organizations_are_those_the_directory_shows_the_person(world, role):
    """recommend._objects reads verified organizations without the person's
    memberships: for a signed-in person that is what organizations_visible_to
    gives among verified ones."""
    from directory.queries import organizations_visible_to

    OrganizationFactory(verification=Organization.Verification.PENDING)
    OrganizationFactory(visibility=Organization.Visibility.MEMBERS)
    gone = OrganizationFactory()
    gone.deleted_at = timezone.now()
    gone.save()
    person = UserFactory(role=role, email=f"{role}@example.org")
    MembershipFactory(
        user=person,
        organization=OrganizationFactory(
            verification=Organization.Verification.PENDING
        ),
    )
    ids = list(Organization.objects.values_list("pk", flat=True))

    shown = recommend._objects(scoring.ORGANIZATION, ids, person)

    visible = organizations_visible_to(person).filter(
        verification=Organization.Verification.VERIFIED
    )
    assert set(shown) == set(visible.values_list("pk", flat=True))
    assert gone.pk not in shown


def test_a_lost_change_counter_starts_a_new_generation(world):
    before = recommend.current_index()
    cache.delete(recommend._version_key(before.token))

    recommend.record_change((scoring.ORGANIZATION, world["organizations"][0].pk))

    assert recommend.current_index().token != before.token


def test_shortlist_keeps_every_candidate_tied_with_the_last():
    """Which candidates are scored never depends on an order of lookups: those
    tied with the last kept one on prefilter points are all kept."""
    import json

    from matching.quality.evaluate import LABELS

    index, keys, documents = build_corpus_index()
    query = json.loads(LABELS.read_text(encoding="utf-8"))["queries"][0]
    seeker = seeker_for_query(query, index, keys, documents)
    lookups = recommend._lookups(seeker, index)
    everything = recommend._shortlisted(seeker, index, lookups, size=10**6)
    assert everything.size > 5
    points = (
        scoring.W_TAG * lookups.tags
        + scoring.W_SECTOR * lookups.sectors
        + scoring.W_SECTION * lookups.other_sections
        + scoring.W_NEED_FIT * (lookups.offers + lookups.needs)
        + scoring.W_INTENT * (lookups.intents + lookups.organization_kinds)
        + lookups.text
    )
    for size in range(1, 6):
        kept = recommend._shortlisted(seeker, index, lookups, size=size)
        last = points[everything[size - 1]]
        assert set(kept.tolist()) == {
            p for p in everything.tolist() if points[p] >= last
        }
