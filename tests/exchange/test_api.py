import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from exchange import services
from exchange.models import Call, Submission
from tests.exchange.factories import CallFactory, CriterionFactory, SubmissionFactory
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db):
    return APIClient()


def test_calls_public_list_hides_drafts(api, call):
    CriterionFactory(call=call, name_en="Impact")
    CallFactory(phase=Call.Phase.DRAFT, slug="hidden")

    response = api.get(reverse("api:exchange-call-list"))

    assert response.status_code == 200
    assert [c["slug"] for c in response.json()["results"]] == [call.slug]
    assert response.json()["results"][0]["criteria"][0]["name_en"] == "Impact"


@pytest.mark.parametrize("count", [1, 4])
def test_calls_list_query_count(api, count, django_assert_max_num_queries):
    CallFactory.create_batch(count)

    with django_assert_max_num_queries(4):
        response = api.get(reverse("api:exchange-call-list"))

    assert response.json()["count"] == count


def test_call_create_staff_only(api, staff, editor):
    organizer = OrganizationFactory(kind="foreign_partner", country="US")
    data = {
        "organizer": organizer.slug,
        "title_en": "API call",
        "time_zone": "America/Denver",
        "opens_at": "2026-12-01T09:00:00-07:00",
        "closes_at": "2026-12-15T18:00:00-07:00",
    }

    api.force_authenticate(editor)
    refused = api.post(reverse("api:exchange-call-list"), data, format="json")
    api.force_authenticate(staff)
    created = api.post(reverse("api:exchange-call-list"), data, format="json")

    assert refused.status_code == 403
    assert created.status_code == 201
    assert created.json()["slug"] == "api-call"
    assert len(created.json()["phases"]) == 5


def test_call_times_without_offset_are_read_in_the_calls_zone(api, staff):
    organizer = OrganizationFactory(kind="foreign_partner", country="US")
    api.force_authenticate(staff)
    created = api.post(
        reverse("api:exchange-call-list"),
        {
            "organizer": organizer.slug,
            "title_en": "Zoned call",
            "time_zone": "America/Denver",
            "opens_at": "2026-12-01T09:00:00",
            "closes_at": "2026-12-15T18:00:00Z",
        },
        format="json",
    )
    call = Call.objects.get(slug=created.json()["slug"])
    url = reverse("api:exchange-call-detail", kwargs={"slug": call.slug})
    moved = api.patch(url, {"closes_at": "2026-12-20T17:00"}, format="json")

    assert created.status_code == 201
    # 09:00 in Albuquerque (UTC-7), whatever zone the sender's request runs in.
    assert call.opens_at == datetime.datetime(2026, 12, 1, 16, 0, tzinfo=datetime.UTC)
    assert call.closes_at == datetime.datetime(2026, 12, 15, 18, 0, tzinfo=datetime.UTC)
    assert moved.status_code == 200
    call.refresh_from_db()
    # A change without a zone is read in the call's stored zone.
    assert call.closes_at == datetime.datetime(2026, 12, 21, 0, 0, tzinfo=datetime.UTC)


def test_call_create_errors_in_project_format(api, staff):
    api.force_authenticate(staff)

    response = api.post(
        reverse("api:exchange-call-list"), {"time_zone": "Mars/Base"}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert "detail" in body
    assert set(body["errors"]) == {"time_zone"}


def test_submissions_anonymous_get_401(api, draft):
    response = api.get(reverse("api:exchange-submission-list"))

    assert response.status_code == 401


def test_submissions_visibility(api, draft, submitter, staff, call):
    submitted = SubmissionFactory(call=call, status=Submission.Status.SUBMITTED)
    url = reverse("api:exchange-submission-list")

    api.force_authenticate(submitter)
    mine = [s["id"] for s in api.get(url).json()["results"]]
    api.force_authenticate(staff)
    staffs = [s["id"] for s in api.get(url).json()["results"]]
    api.force_authenticate(UserFactory(role=Role.EDITOR))
    others = api.get(url).json()["results"]
    detail = api.get(reverse("api:exchange-submission-detail", args=[draft.pk]))

    assert mine == [draft.pk]
    assert staffs == [submitted.pk]
    assert others == []
    assert detail.status_code == 404


def test_blind_call_api_hides_identity_from_reviewer(
    api, draft, submitter, reviewer_of
):
    draft.call.is_blind = True
    draft.call.save()
    services.submit_submission(draft, by=submitter)
    reviewer = reviewer_of(UserFactory(role=Role.REVIEWER), draft)
    api.force_authenticate(reviewer)

    response = api.get(reverse("api:exchange-submission-detail", args=[draft.pk]))

    body = response.json()
    assert body["organization"] is None
    assert body["created_by"] is None
    assert draft.organization.name_uk not in response.content.decode()
    assert all(entry["by"] is None for entry in body["provenance"].values())


def test_submitter_creates_updates_and_submits(api, call, submitter):
    api.force_authenticate(submitter)

    created = api.post(
        reverse("api:exchange-submission-list"),
        {"call": call.slug, "title_uk": "Проєкт через API", "asks": ["mentoring"]},
        format="json",
    )
    pk = created.json()["id"]
    failed = api.post(
        reverse("api:exchange-submission-submit", args=[pk]),
        headers={"accept-language": "en"},
    )
    api.patch(
        reverse("api:exchange-submission-detail", args=[pk]),
        {
            "summary_uk": "Коротко.",
            "problem_uk": "Проблема.",
            "solution_uk": "Рішення.",
            "team_uk": "Команда.",
            "stage": "idea",
        },
        format="json",
    )
    done = api.post(reverse("api:exchange-submission-submit", args=[pk]))

    assert created.status_code == 201
    assert failed.status_code == 400
    assert failed.json()["errors"]["non_field_errors"] == [
        "A summary in Ukrainian or English.",
        "The problem the project solves.",
        "The solution.",
        "The team.",
        "The stage of the project.",
    ]
    assert done.status_code == 200
    assert done.json()["status"] == "submitted"
    assert done.json()["version"] == 1


def test_outsider_cannot_patch(api, draft):
    api.force_authenticate(UserFactory(role=Role.EDITOR))

    response = api.patch(
        reverse("api:exchange-submission-detail", args=[draft.pk]),
        {"title_uk": "Hijack"},
        format="json",
    )

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 4])
def test_submissions_list_query_count(
    api, call, startup, submitter, count, django_assert_max_num_queries
):
    SubmissionFactory.create_batch(count, call=call, organization=startup)
    api.force_authenticate(submitter)

    with django_assert_max_num_queries(6):
        response = api.get(reverse("api:exchange-submission-list"))

    assert response.json()["count"] == count
