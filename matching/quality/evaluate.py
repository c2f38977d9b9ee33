"""Measure recommendation quality on the labelled set: precision@5 and nDCG@10.

The corpus (corpus.json) is turned into an in-memory MatchIndex without a database,
through the same scoring, prefiltering and term weighting as the site; queries
(labelled.json) become Seekers the way recommend.seeker_for builds them.
"""

import json
import math
from collections import defaultdict
from pathlib import Path

from core import text
from directory.reference import sector_rows, tag_rows
from matching import recommend, scoring

CORPUS = Path(__file__).with_name("corpus.json")
LABELS = Path(__file__).with_name("labelled.json")
# Places of the corpus: Kharkiv city (the host city), one of its districts, and a
# town elsewhere in the oblast.
PLACES = {"kh": (1,), "kh-d": (2, 1), "obl": (3,), "": ()}
HOME = 1


def _ids():
    tags = {row["slug"]: index for index, row in enumerate(tag_rows(), start=1)}
    sectors = {row["code"]: index for index, row in enumerate(sector_rows(), start=1)}
    parents = {row["code"]: row["parent"] for row in sector_rows()}
    section_of = {
        sectors[code]: sectors[parent] if parent else sectors[code]
        for code, parent in parents.items()
    }
    return tags, sectors, section_of


def load_corpus() -> dict:
    """The corpus: lists of organizations, needs_offers and projects (dicts)."""
    return json.loads(CORPUS.read_text(encoding="utf-8"))


def build_corpus_index():
    """(index, keys) where keys maps a corpus key to its (kind, id)."""
    tags, sectors, section_of = _ids()
    index = recommend.MatchIndex(token="quality", home=HOME, section_of=section_of)
    index.rates = dict(scoring.USD_PER_UNIT)
    keys, documents = {}, {}
    corpus = load_corpus()
    organizations = {row["key"]: row for row in corpus["organizations"]}
    org_ids = {key: pk for pk, key in enumerate(organizations, start=1)}
    needs_of, offers_of = defaultdict(set), defaultdict(set)

    def add(key: str, kind: str, pk: int, row: dict, terms: list, **fields):
        keys[key] = (kind, pk)
        recommend.add_candidate(
            index,
            documents,
            keys[key],
            tags=(tags[x] for x in row["tags"]),
            sectors=(sectors[x] for x in row["sectors"]),
            terms=terms,
            **fields,
        )

    for pk, row in enumerate(corpus["needs_offers"], start=1):
        key, owner = row["key"], row["organization"]
        org = organizations[owner]
        kind = row["kind"]
        (needs_of if kind == "need" else offers_of)[owner].add(row["category"])
        add(
            key,
            scoring.NEED_OFFER,
            pk,
            row,
            _terms(row, "title"),
            country=org["country"],
            places=PLACES[org["place"]],
            organization_id=org_ids[owner],
            organization_kind=org["kind"],
            need_offer_kind=kind,
            category=row["category"],
        )
    for key, row in organizations.items():
        pk = org_ids[key]
        add(
            key,
            scoring.ORGANIZATION,
            pk,
            row,
            _terms(row, "name"),
            country=row["country"],
            places=PLACES[row["place"]],
            organization_id=pk,
            organization_kind=row["kind"],
            needs=frozenset(needs_of[key]),
            offers=frozenset(offers_of[key]),
        )
    for pk, row in enumerate(corpus["projects"], start=1):
        key, org = row["key"], organizations[row["owner"]]
        add(
            key,
            scoring.PROJECT,
            pk,
            row,
            _terms(row, "title", "summary"),
            country="UA",
            places=PLACES[org["place"]] or PLACES["kh"],
            organization_id=org_ids[row["owner"]],
            organization_kind=org["kind"],
            amount_usd=scoring.to_usd(row["amount"], row["currency"]),
        )
    recommend.finish_index(index, documents)
    return index, keys, documents


def _terms(row: dict, name: str, text_field: str = "description") -> list:
    return text.document_terms(
        row[f"{name}_uk"],
        row[f"{name}_en"],
        row[f"{text_field}_uk"],
        row[f"{text_field}_en"],
    )


def seeker_for_query(query: dict, index, keys, documents) -> scoring.Seeker:
    tags, sectors, _sections = _ids()
    tag_ids = {tags[x] for x in query.get("tags", ())}
    sector_ids = {sectors[x] for x in query.get("sectors", ())}
    terms = text.document_terms(query.get("about_uk", ""), query.get("about_en", ""))
    country, places, needs, offers, org_id = "", (), frozenset(), frozenset(), None
    if query.get("organization"):
        own = index.candidates[keys[query["organization"]]]
        tag_ids |= own.tags
        sector_ids |= own.sectors
        terms = [*terms, *documents[keys[query["organization"]]]]
        country, places, org_id = own.country, own.places, own.id
        needs, offers = own.needs, own.offers
    low = high = None
    if query.get("ticket"):
        low_amount, high_amount, currency = query["ticket"]
        low = scoring.to_usd(low_amount, currency)
        high = scoring.to_usd(high_amount, currency)
    return scoring.Seeker(
        intents=frozenset(query.get("intents", ())),
        tags=frozenset(tag_ids),
        sectors=frozenset(sector_ids),
        sections=index.sections(sector_ids),
        countries=frozenset(query.get("countries", ())),
        country=country,
        places=places,
        ticket_min_usd=low,
        ticket_max_usd=high,
        vector=scoring.tfidf_vector(terms, index.idf),
        organization_id=org_id,
        needs=needs,
        offers=offers,
    )


def evaluate() -> dict:
    """Mean precision@5 and nDCG@10 over the labelled queries, and per query."""
    queries = json.loads(LABELS.read_text(encoding="utf-8"))["queries"]
    index, keys, documents = build_corpus_index()
    names = {value: key for key, value in keys.items()}
    per_query = []
    for query in queries:
        seeker = seeker_for_query(query, index, keys, documents)
        kinds = tuple(query["kinds"])
        ranked = scoring.rank(
            seeker,
            recommend.shortlist(seeker, index, kinds=kinds),
            home=index.home,
            limit=10,
        )
        found = [names[(s.candidate.kind, s.candidate.id)] for s in ranked]
        relevant = set(query["relevant"])
        hits = [1 if key in relevant else 0 for key in found]
        precision = sum(hits[:5]) / 5
        dcg = sum(hit / math.log2(rank + 2) for rank, hit in enumerate(hits))
        ideal = sum(1 / math.log2(rank + 2) for rank in range(min(10, len(relevant))))
        per_query.append(
            {
                "id": query["id"],
                "precision_at_5": precision,
                "ndcg_at_10": dcg / ideal if ideal else 0.0,
                "found": found,
            }
        )
    count = len(per_query)
    return {
        "queries": count,
        "items": len(keys),
        "precision_at_5": sum(q["precision_at_5"] for q in per_query) / count,
        "ndcg_at_10": sum(q["ndcg_at_10"] for q in per_query) / count,
        "per_query": per_query,
    }
