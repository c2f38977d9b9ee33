"""The public journey pages: only accepted initiatives of public calls, reviewers and
meeting participants never named, the project only while it is public (issue 13)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from exchange.models import Call
from insights.journey import queries
from meetings.models import Meeting, MeetingRequest
from reviews.models import Decision
from tests.factories import UserFactory, accepted_submission
from tests.investments.factories import FundingSourceFactory, ProjectFactory
from tests.meetings.factories import MeetingFactory, MeetingRequestFactory
from tests.reviews.factories import DecisionFactory, ReviewFactory


def _held(**request_fields):
    start = timezone.now() - dt.timedelta(days=2)
    return MeetingFactory(
        request=MeetingRequestFactory(
            status=MeetingRequest.Status.ACCEPTED, **request_fields
        ),
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
    )


def test_initiatives_are_the_released_acceptances_of_public_calls(db):
    accepted = accepted_submission()
    DecisionFactory(status=Decision.Status.PENDING)
    DecisionFactory(status=Decision.Status.RELEASED, outcome=Decision.Outcome.DECLINE)
    accepted_submission(call__phase=Call.Phase.DRAFT)

    assert list(queries.initiatives()) == [accepted]


def test_initiatives_count_meetings_held_about_it_and_its_public_project(db):
    submission = accepted_submission()
    project = ProjectFactory(source_submission=submission)
    draft = ProjectFactory(source_submission=submission, status="draft")
    _held(submission=submission)
    _held(investment_project=project)
    _held(investment_project=draft)  # not public: not counted
    MeetingFactory(request__submission=submission)  # in the future: not held
    cancelled = _held(submission=submission)
    cancelled.status = Meeting.Status.CANCELLED
    cancelled.save()

    item = queries.initiatives().get()

    assert item.meetings_held == 2
    assert item.became_project is True


def test_journey_page_names_no_reviewer_and_no_meeting_participant(client, db):
    submission = accepted_submission(title_en="Smart parking")
    reviewer = UserFactory(full_name="Rebecca Reviewer", email="rebecca@example.com")
    ReviewFactory(
        assignment__submission=submission,
        assignment__call_reviewer__user=reviewer,
        comments_to_submitters="Great work",
    )
    met = UserFactory(full_name="Marta Meetingperson", email="marta@example.org")
    _held(submission=submission, requester=met)
    project = ProjectFactory(source_submission=submission, title_en="Parking sensors")
    FundingSourceFactory(
        project=project, source_name="City budget", amount=Decimal("75000")
    )

    with translation.override("en"):
        response = client.get(
            reverse("insights:journey-detail", kwargs={"pk": submission.pk})
        )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Smart parking" in content
    assert "A strong team and a clear pilot." in content
    assert "Reviewed by 1 reviewer, not named here." in content
    assert "1 meeting held about it." in content
    assert "Parking sensors" in content
    assert "City budget" in content
    for private in (
        "Rebecca",
        "rebecca@example.com",
        "Great work",
        "Secret: the budget looks padded.",
        "Marta",
        "marta@example.org",
    ):
        assert private not in content


def test_journey_page_hides_a_project_that_is_not_public(client, db):
    submission = accepted_submission()
    ProjectFactory(
        source_submission=submission, title_en="Secret draft", status="draft"
    )

    with translation.override("en"):
        response = client.get(
            reverse("insights:journey-detail", kwargs={"pk": submission.pk})
        )

    assert "Secret draft" not in response.content.decode()
    assert response.context["journey"].projects == []


@pytest.mark.parametrize(
    "decision",
    [
        {"status": Decision.Status.PENDING},
        {"status": Decision.Status.RELEASED, "outcome": Decision.Outcome.DECLINE},
    ],
)
def test_journey_page_of_a_submission_not_accepted_is_404(client, db, decision):
    submission = DecisionFactory(**decision).submission

    response = client.get(
        reverse("insights:journey-detail", kwargs={"pk": submission.pk})
    )

    assert response.status_code == 404


def test_journey_page_offers_the_officer_to_adopt_it(client, db):
    submission = accepted_submission()
    client.force_login(UserFactory(role="city_officer"))

    response = client.get(
        reverse("insights:journey-detail", kwargs={"pk": submission.pk})
    )

    assert response.context["can_adopt"] is True
    create = reverse("investments:project-create")
    assert f"{create}?submission={submission.pk}" in response.content.decode()


def test_journey_list_searches_titles(client, db):
    accepted_submission(title_en="Smart parking")
    accepted_submission(title_en="Flood sensors", title_uk="Датчики паводків")

    response = client.get(
        reverse("insights:journey-list"), {"q": "паводк"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert [s.title_en for s in response.context["initiatives"]] == ["Flood sensors"]


def test_journey_list_empty_state(client, db):
    with translation.override("en"):
        response = client.get(reverse("insights:journey-list"))

    assert "No journey to show yet" in response.content.decode()
