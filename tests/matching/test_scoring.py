"""Pure scoring: reasons, weights, determinism."""

import pytest
from django.utils import translation

from matching import scoring
from matching.scoring import Candidate, ReasonNames, Seeker

NAMES = ReasonNames(
    tag={1: "smart mobility", 2: "energy efficiency", 3: "fintech"}.get,
    sector={10: "Computer programming"}.get,
    category=lambda code: code.replace("_", " "),
    country={"US": "United States", "UA": "Ukraine"}.get,
    place={7: "Kharkiv"}.get,
    home=lambda: "Kharkiv",
)


def codes(result):
    return [reason.code for reason in result.reasons]


def test_shared_tags_are_named_in_the_reason():
    seeker = Seeker(tags=frozenset({1, 2, 3}))
    candidate = Candidate(kind="organization", id=5, tags=frozenset({1, 2}))

    result = scoring.score(seeker, candidate)

    assert result.score == 2 * scoring.W_TAG
    with translation.override("en"):
        texts = [scoring.reason_text(r, NAMES) for r in result.reasons]
    assert texts == ["Shares: energy efficiency, smart mobility"]


def test_visitor_from_abroad_is_offered_local_companies_and_says_why():
    seeker = Seeker(tags=frozenset({1}), country="US")
    local = Candidate(kind="organization", id=1, tags=frozenset({1}), places=(3, 7))
    elsewhere = Candidate(kind="organization", id=2, tags=frozenset({1}), places=(9,))

    ranked = scoring.rank(seeker, [elsewhere, local], home=7)

    assert [s.candidate.id for s in ranked] == [1, 2]
    with translation.override("en"):
        text = scoring.reason_text(ranked[0].reasons[-1], NAMES)
    assert text == "Kharkiv company for a partner from United States"


def test_ticket_covering_the_amount_sought_is_a_reason():
    seeker = Seeker(
        intents=frozenset({"investing"}), ticket_min_usd=100_000, ticket_max_usd=1e6
    )
    fits = Candidate(kind="project", id=1, amount_usd=500_000)
    too_big = Candidate(kind="project", id=2, amount_usd=5e6)

    ranked = scoring.rank(seeker, [too_big, fits])

    assert [s.candidate.id for s in ranked] == [1, 2]
    assert codes(ranked[0]) == ["seeks_financing", "ticket_covers"]
    with translation.override("en"):
        assert (
            scoring.reason_text(ranked[0].reasons[1], NAMES)
            == "Your ticket size covers the amount sought"
        )
    assert "ticket_covers" not in codes(ranked[1])


def test_offer_of_what_the_seeker_needs():
    seeker = Seeker(needs=frozenset({"pilot_partner"}))
    offer = Candidate(
        kind="need_offer", id=3, need_offer_kind="offer", category="pilot_partner"
    )

    result = scoring.score(seeker, offer)

    assert codes(result) == ["offers_what_you_need"]
    with translation.override("en"):
        text = scoring.reason_text(result.reasons[0], NAMES)
    assert text == "Offers what you need: pilot partner"


def test_place_alone_recommends_nothing():
    seeker = Seeker(country="US", intents=frozenset({"partnering"}))
    candidate = Candidate(kind="organization", id=1, places=(7,))

    assert scoring.score(seeker, candidate, home=7).score == 0


def test_own_organization_is_never_recommended():
    seeker = Seeker(tags=frozenset({1}), organization_id=4)
    own = Candidate(kind="organization", id=4, tags=frozenset({1}), organization_id=4)

    assert scoring.rank(seeker, [own]) == []


def test_text_similarity_uses_cosine_of_tfidf():
    idf = {"grid": 2.0, "energi": 1.5, "school": 1.0}
    seeker = Seeker(vector=scoring.tfidf_vector(["grid", "energi"], idf))
    candidate = Candidate(
        kind="organization",
        id=1,
        vector=scoring.tfidf_vector(["grid", "energi", "school"], idf),
    )

    result = scoring.score(seeker, candidate)

    assert codes(result) == ["similar_text"]
    assert result.reasons[0].params[0] == pytest.approx(0.928, abs=0.001)


def test_ranking_is_deterministic_whatever_the_input_order():
    seeker = Seeker(tags=frozenset({1, 2}))
    candidates = [
        Candidate(kind=kind, id=pk, tags=frozenset({1 + pk % 2}))
        for kind in ("project", "organization", "need_offer")
        for pk in range(6)
    ]

    first = scoring.rank(seeker, candidates, limit=50)
    second = scoring.rank(seeker, list(reversed(candidates)), limit=50)

    assert [(s.candidate.kind, s.candidate.id) for s in first] == [
        (s.candidate.kind, s.candidate.id) for s in second
    ]
    assert first[0].candidate.kind == "organization"


def test_same_sector_is_named():
    seeker = Seeker(sectors=frozenset({10}))
    candidate = Candidate(kind="organization", id=1, sectors=frozenset({10}))

    result = scoring.score(seeker, candidate)

    with translation.override("en"):
        texts = [scoring.reason_text(r, NAMES) for r in result.reasons]
    assert texts == ["Same sector: Computer programming"]


def test_currency_conversion_uses_the_table():
    assert scoring.to_usd(1000, "EUR") == pytest.approx(1080)
    assert scoring.to_usd(None, "EUR") is None
    assert scoring.to_usd(10, "XXX") is None
