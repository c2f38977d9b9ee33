"""The demo data: reviewers, assignments, reviews and a pending decision, once."""

import pytest

from reviews.demo import seed_demo
from reviews.models import Assignment, CallReviewer, Decision, Review

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(submission, criteria):
    first = seed_demo()
    counts = (
        CallReviewer.objects.count(),
        Assignment.objects.count(),
        Review.objects.count(),
        Decision.objects.count(),
    )

    seed_demo()

    assert "reviews:" in first
    assert counts[0] == 4
    assert counts[1] == 2
    assert counts[3] == 1
    assert counts == (
        CallReviewer.objects.count(),
        Assignment.objects.count(),
        Review.objects.count(),
        Decision.objects.count(),
    )
    assert CallReviewer.objects.filter(user__email="reviewer@mist.local").exists()
