"""Fixtures of the reviews tests: a call with a rubric, a submitted submission of a
Kharkiv startup, and a reviewer assigned to it."""

from decimal import Decimal

import pytest

from accounts.models import Role
from exchange.models import Call, Criterion, SubmissionVersion
from reviews import ranking
from tests.exchange.factories import CallFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.reviews.factories import (
    AssignmentFactory,
    CallReviewerFactory,
    SubmittedSubmissionFactory,
)


@pytest.fixture
def fresh_ranking():
    """No ranking carried over from another test: neither in the shared cache
    (the root conftest empties it) nor in this process's latest-ranking memo."""
    ranking._latest.clear()
    yield
    ranking._latest.clear()


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def call(db):
    return CallFactory(phase=Call.Phase.REVIEW, reviews_per_submission=2)


@pytest.fixture
def criteria(call):
    return [
        Criterion.objects.create(
            call=call, name_uk="Проблема", name_en="Problem", position=1
        ),
        Criterion.objects.create(
            call=call,
            name_uk="Команда",
            name_en="Team",
            position=2,
            weight=Decimal("2"),
            scale_max=10,
        ),
        Criterion.objects.create(
            call=call,
            name_uk="Мова",
            name_en="Language",
            position=3,
            is_required=False,
            counts_toward_total=False,
        ),
    ]


@pytest.fixture
def startup(db):
    return OrganizationFactory(
        kind="startup",
        name_uk="Стартап Жовтень",
        name_en="Zhovten Startup",
        edrpou="32855961",
    )


@pytest.fixture
def submitter(startup):
    user = UserFactory(
        role=Role.EDITOR, email="founder@zhovten.ua", full_name="Оксана Засновниця"
    )
    MembershipFactory(user=user, organization=startup)
    return user


@pytest.fixture
def submission(call, criteria, startup, submitter):
    submission = SubmittedSubmissionFactory(
        call=call, organization=startup, created_by=submitter
    )
    SubmissionVersion.objects.create(
        submission=submission, number=1, content=submission.snapshot()
    )
    return submission


@pytest.fixture
def reviewer(db):
    return UserFactory(
        role=Role.REVIEWER,
        email="reviewer@abq.example",
        full_name="Rita Reviewer",
        preferred_language="en",
        time_zone="America/Denver",
    )


@pytest.fixture
def call_reviewer(call, reviewer):
    return CallReviewerFactory(call=call, user=reviewer)


@pytest.fixture
def assignment(submission, call_reviewer):
    return AssignmentFactory(submission=submission, call_reviewer=call_reviewer)
