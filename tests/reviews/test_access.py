"""A reviewer reaches a submission's exchange pages, files and API only after
confirming they have no conflict of interest."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reviews import services
from tests.reviews.factories import AssignmentFactory

pytestmark = pytest.mark.django_db


def test_assigned_reviewer_sees_the_submission_only_after_confirming(client):
    assignment = AssignmentFactory()
    submission, reviewer = assignment.submission, assignment.call_reviewer.user
    page = submission.get_absolute_url()
    api = APIClient()
    api.force_authenticate(reviewer)
    detail = reverse("api:exchange-submission-detail", args=[submission.pk])
    client.force_login(reviewer)

    before = (client.get(page).status_code, api.get(detail).status_code)
    services.confirm_no_conflict(assignment, by=reviewer)
    after = (client.get(page).status_code, api.get(detail).status_code)

    assert before == (404, 404)
    assert after == (200, 200)
