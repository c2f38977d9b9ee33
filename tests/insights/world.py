"""An ecosystem with known numbers, for the insights tests (and the browser test).

Dates sit on both sides of a quarter boundary in the deployment's zone
(settings.TIME_ZONE): 30 June 23:30 local is the second quarter, 1 July 00:30 local
the third, though both fall on 30 June in UTC.
"""

import datetime
import zoneinfo
from decimal import Decimal

from django.conf import settings

from directory.models import Organization, Sector
from events.models import Registration
from exchange.models import Submission
from investments.models import Interest
from meetings.models import Meeting, MeetingRequest
from reviews.models import Decision, Review
from tests.events.factories import EventFactory, RegistrationFactory
from tests.exchange.factories import CallFactory
from tests.factories import OrganizationFactory, UserFactory
from tests.investments.factories import (
    FundingSourceFactory,
    InterestFactory,
    ProjectFactory,
    RateFactory,
)
from tests.meetings.factories import MeetingFactory, MeetingRequestFactory
from tests.reviews.factories import (
    AssignmentFactory,
    DecisionFactory,
    ReviewFactory,
    SubmittedSubmissionFactory,
)


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


END_OF_Q2 = (2026, 6, 30, 23, 30)
START_OF_Q3 = (2026, 7, 1, 0, 30)


def build_ecosystem() -> dict:
    """Organizations of several kinds, sizes and countries; submissions on both sides
    of the Q2/Q3 boundary with reviews and decisions; projects with interests at
    several stages; held events with registrations; meetings with outcomes; and the
    journey links between them."""
    software = Sector.objects.get(code="62")  # a division of section J
    farming = Sector.objects.get(code="A")
    it = [
        OrganizationFactory(kind=Organization.Kind.IT_COMPANY, size="10-49")
        for _ in range(7)
    ]
    for org in it:
        org.sectors.add(software)
    for org in it[:5]:
        org.cluster_status = Organization.ClusterStatus.MEMBER
        org.cluster_member_since = datetime.date(2026, 7, 1)
        org.save()
    startups = OrganizationFactory.create_batch(3, kind=Organization.Kind.STARTUP)
    startups[0].sectors.add(farming)
    partners = OrganizationFactory.create_batch(
        6, kind=Organization.Kind.FOREIGN_PARTNER, country="US"
    )
    OrganizationFactory(kind=Organization.Kind.FOREIGN_PARTNER, country="DE")
    # Never counted: members-only, unverified, deleted.
    OrganizationFactory(
        kind=Organization.Kind.NGO, visibility=Organization.Visibility.MEMBERS
    )
    OrganizationFactory(
        kind=Organization.Kind.NGO, verification=Organization.Verification.PENDING
    )
    OrganizationFactory(kind=Organization.Kind.NGO, deleted_at=local(2026, 1, 1))

    call = CallFactory(opens_at=local(2026, 6, 1), organizer=partners[0])
    q2 = [
        SubmittedSubmissionFactory(call=call, submitted_at=local(*END_OF_Q2))
        for _ in range(2)
    ]
    q3 = [
        SubmittedSubmissionFactory(
            call=call, organization=it[i], submitted_at=local(*START_OF_Q3)
        )
        for i in range(6)
    ]
    for submission in q3:
        submission.sectors.add(software)
    SubmittedSubmissionFactory(call=call, status=Submission.Status.DRAFT)
    for submission in q3[:5]:
        ReviewFactory(
            assignment=AssignmentFactory(submission=submission),
            offers_mentoring=True,
        )
    ReviewFactory(
        assignment=AssignmentFactory(submission=q3[5]), status=Review.Status.DRAFT
    )
    for submission in q3[:5]:
        DecisionFactory(
            submission=submission,
            outcome=Decision.Outcome.ACCEPT,
            status=Decision.Status.RELEASED,
        )
    DecisionFactory(submission=q2[0], outcome=Decision.Outcome.REVISE)  # not released

    RateFactory(currency="USD", rate_date=datetime.date(2026, 11, 27))
    RateFactory(currency="EUR", rate_date=datetime.date(2026, 11, 27), uah_per_unit=45)
    projects = [
        ProjectFactory(published_at=local(2026, 8, 1), source_submission=q3[i])
        for i in range(6)
    ]
    for project in projects:
        project.sectors.add(software)
    ProjectFactory(status="draft", published_at=None)
    stages = [
        Interest.Stage.NEW,
        Interest.Stage.MEETING,
        Interest.Stage.DUE_DILIGENCE,
        Interest.Stage.LETTER_OF_INTENT,
        Interest.Stage.FUNDED,
        Interest.Stage.DECLINED,
    ]
    interests = [
        InterestFactory(
            project=project,
            stage=stage,
            organization=partners[i % 5],
            amount=Decimal("1000"),
            currency="EUR" if i % 2 else "USD",
        )
        for i, (project, stage) in enumerate(zip(projects, stages, strict=True))
    ]
    FundingSourceFactory(project=projects[4], interest=interests[4])

    for i in range(6):
        event = EventFactory(
            starts_at=local(2026, 9, 10 + i, 10), ends_at=local(2026, 9, 10 + i, 18)
        )
        RegistrationFactory.create_batch(i + 1, event=event)
        RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
    EventFactory(is_public=False, starts_at=local(2026, 9, 1, 10))

    for i in range(7):
        request = MeetingRequestFactory(
            status=MeetingRequest.Status.ACCEPTED,
            requester_organization=partners[i % 6],
            recipient_organization=it[i % 7],
            submission=q3[i % 6],
        )
        MeetingFactory(
            request=request,
            starts_at=local(2026, 10, 5 + i, 10),
            ends_at=local(2026, 10, 5 + i, 11),
            outcome=Meeting.Outcome.FOLLOW_UP if i < 5 else Meeting.Outcome.NOTHING,
            interest=interests[0] if i == 0 else None,
        )
    MeetingFactory(status=Meeting.Status.CANCELLED, starts_at=local(2026, 10, 1, 9))
    return {
        "submissions": [*q2, *q3],
        "projects": projects,
        "interests": interests,
        "user": UserFactory(),
    }
