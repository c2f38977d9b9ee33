"""The reviews API: own data only, organizers' dashboard, audited notes."""

import json

import pytest

from core.models import AuditEntry
from tests.reviews.factories import (
    AssignmentFactory,
    CallReviewerFactory,
    ReviewFactory,
    ScoreFactory,
)

pytestmark = pytest.mark.django_db


def _json(response):
    return json.loads(response.content)


def test_reviewer_lists_only_own_assignments(client, assignment, reviewer, call):
    AssignmentFactory(submission__call=call)  # someone else's
    client.force_login(reviewer)

    data = _json(client.get("/api/v1/review-assignments/"))

    assert [a["id"] for a in data["results"]] == [assignment.pk]


def test_own_reviews_include_notes_and_the_read_is_audited(
    client, assignment, reviewer
):
    review = ReviewFactory(assignment=assignment)
    ReviewFactory()  # someone else's
    client.force_login(reviewer)

    data = _json(client.get("/api/v1/reviews/"))

    assert [r["id"] for r in data["results"]] == [review.pk]
    assert AuditEntry.objects.filter(action="reviews.confidential_read").count() == 1


def test_dashboard_api_for_organizers_only(
    client, staff, reviewer, assignment, criteria
):
    review = ReviewFactory(assignment=assignment)
    ScoreFactory(review=review, criterion=criteria[0], value=5)
    ScoreFactory(review=review, criterion=criteria[1], value=10)
    url = f"/api/v1/calls/{assignment.submission.call.slug}/review-dashboard/"

    client.force_login(reviewer)
    forbidden = client.get(url)
    client.force_login(staff)
    data = _json(client.get(url))

    assert forbidden.status_code == 404
    assert data["results"][0]["weighted_total"] == 100.0
    assert data["results"][0]["rank"] == 1


def test_submission_reviews_api_audits_confidential_notes(client, staff, assignment):
    ReviewFactory(assignment=assignment)
    client.force_login(staff)

    data = _json(client.get(f"/api/v1/submissions/{assignment.submission_id}/reviews/"))

    assert data["results"][0]["confidential_notes"].startswith("Secret")
    assert AuditEntry.objects.filter(action="reviews.confidential_read").count() == 1


def test_anonymous_gets_401(client):
    assert client.get("/api/v1/review-assignments/").status_code == 401


@pytest.mark.parametrize("count", [1, 5])
def test_assignment_list_query_count(
    client, reviewer, call, count, django_assert_max_num_queries
):
    call_reviewer = CallReviewerFactory(call=call, user=reviewer)
    for _ in range(count):
        AssignmentFactory(call_reviewer=call_reviewer, submission__call=call)
    client.force_login(reviewer)

    with django_assert_max_num_queries(8):
        data = _json(client.get("/api/v1/review-assignments/"))

    assert data["count"] == count
