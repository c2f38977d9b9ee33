"""Recommendation quality on the hand-labelled set (matching/quality/).

    .venv/bin/python bench/bench_recommendation_quality.py [-v]

Prints precision@5 and nDCG@10 averaged over the queries. No database is needed:
the corpus is indexed in memory through the site's scoring code.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.utils import translation  # noqa: E402

from matching.quality.evaluate import evaluate  # noqa: E402


def main() -> None:
    with translation.override("en"):
        result = evaluate()
    if "-v" in sys.argv:
        for query in result["per_query"]:
            print(
                f"{query['id']}: P@5 {query['precision_at_5']:.2f} "
                f"nDCG@10 {query['ndcg_at_10']:.3f}  {' '.join(query['found'][:5])}"
            )
    print(f"labelled queries: {result['queries']} over {result['items']} items")
    print(f"precision@5: {result['precision_at_5']:.3f}")
    print(f"nDCG@10: {result['ndcg_at_10']:.3f}")


if __name__ == "__main__":
    main()
