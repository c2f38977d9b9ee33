"""The whole API under schemathesis: every operation of /api/v1/schema/, fuzzed
anonymously and with a staff token, answers without a server error and as its
schema documents (status code, content type, body).

Each operation is one test with its own data: a verified organization and its
editor, a call with a submission under review, an investment project with its
budget, an event with a registration, a need, a meeting… Generated path
parameters are swapped for those objects' real identifiers half of the time, so
that the fuzzer reaches the objects and not only 404s. Each generated request runs
in a savepoint rolled back afterwards: every example starts from the same data.

Bounded and deterministic: schemathesis' examples, coverage (boundary and invalid
values, unexpected methods) and fuzzing phases, the last with MAX_EXAMPLES each,
derandomized. In all about 13,000 requests for the 62 operations, under three
minutes on SQLite. FUZZ_STATS=path.json writes the requests per operation and phase.
"""

import copy
import datetime
import json
import os
import pathlib
import time

import hypothesis
import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig

from accounts.models import Role
from reviews.models import CallReviewer
from tests.events.factories import EventFactory, RegistrationFactory
from tests.exchange.factories import CallFactory, CriterionFactory, SubmissionFactory
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PlaceFactory,
    TagFactory,
    UserFactory,
)
from tests.investments.factories import (
    BudgetLineFactory,
    DocumentFactory,
    FundingSourceFactory,
    IndicatorFactory,
    InterestFactory,
    ProjectFactory,
)
from tests.matching.factories import NeedOfferFactory
from tests.meetings.factories import MeetingFactory, MeetingRequestFactory
from tests.reviews.factories import (
    AssignmentFactory,
    DecisionFactory,
    ReviewFactory,
    ScoreFactory,
)

STAFF_TOKEN = "f" * 40
MAX_EXAMPLES = 12

application = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
# Anonymous changes are refused (401) before their bodies are read: the coverage
# phase's thousands of body variants are for the staff token; the token exchange
# is anonymous by nature and keeps them.
anonymous_schema = schemathesis.openapi.from_dict(
    copy.deepcopy(schema.raw_schema),
    config=SchemathesisConfig.from_dict(
        {
            "operations": [
                {
                    "include-method": ["POST", "PUT", "PATCH"],
                    "exclude-path": ["/api/v1/auth-tokens/"],
                    "phases": {"coverage": {"enabled": False}},
                }
            ]
        }
    ),
)
anonymous_schema.app = application

# Path template -> {parameter: value} of the objects the fixture made.
REAL_PARAMETERS: dict[str, dict[str, object]] = {}


def flatmap_path_parameters(context, path_parameters):
    """Half of the generated path parameters become a real object's."""
    real = REAL_PARAMETERS.get(context.operation.path)
    if not real or path_parameters is None:
        return st.just(path_parameters)
    return st.sampled_from([path_parameters, {**path_parameters, **real}])


for _schema in (schema, anonymous_schema):
    _schema.hook(flatmap_path_parameters)


@pytest.fixture
def _connection_kept():
    """As in Django's test client: the requests the fuzzer sends through the WSGI
    application do not close the database connection that holds the test's
    transaction (on PostgreSQL that would end the test's data)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_data(db, _connection_kept):
    """One of everything the API serves, with real identifiers for the fuzzer."""
    staff = UserFactory(role=Role.STAFF, email="fuzz-staff@example.org")
    Token.objects.create(user=staff, key=STAFF_TOKEN)
    organization = OrganizationFactory(slug="fuzz-org")
    MembershipFactory(user=staff, organization=organization)
    place = PlaceFactory()
    tag = TagFactory()
    organization.tags.add(tag)
    organization.place = place
    organization.save()

    call = CallFactory(organizer=organization, slug="fuzz-call")
    criterion = CriterionFactory(call=call)
    submission = SubmissionFactory(
        call=call, status="submitted", version=1, created_by=staff
    )
    draft = SubmissionFactory(call=call, organization=organization, created_by=staff)
    reviewer = CallReviewer.objects.create(call=call, user=staff, languages=["uk"])
    assignment = AssignmentFactory(submission=submission, call_reviewer=reviewer)
    review = ReviewFactory(assignment=assignment)
    ScoreFactory(review=review, criterion=criterion)
    decision = DecisionFactory(submission=submission)

    project = ProjectFactory(slug="fuzz-project")
    BudgetLineFactory(project=project)
    FundingSourceFactory(project=project)
    IndicatorFactory(project=project)
    DocumentFactory(project=project)
    interest = InterestFactory(project=project)

    event = EventFactory(slug="fuzz-event", organizer=organization)
    registration = RegistrationFactory(event=event, user=staff)
    need = NeedOfferFactory(organization=organization)
    meeting_request = MeetingRequestFactory(requester=staff)
    meeting = MeetingFactory(
        request=MeetingRequestFactory(recipient=staff, status="accepted"),
        starts_at=timezone.now() + datetime.timedelta(days=2),
        ends_at=timezone.now() + datetime.timedelta(days=2, minutes=30),
    )

    prefix = "/api/v1"
    REAL_PARAMETERS.clear()
    REAL_PARAMETERS.update(
        {
            f"{prefix}/organizations/{{slug}}/": {"slug": organization.slug},
            f"{prefix}/sectors/{{code}}/": {"code": "J"},
            f"{prefix}/tags/{{slug}}/": {"slug": tag.slug},
            f"{prefix}/places/{{code}}/": {"code": place.code},
            f"{prefix}/calls/{{slug}}/": {"slug": call.slug},
            f"{prefix}/submissions/{{id}}/": {"id": submission.pk},
            f"{prefix}/submissions/{{id}}/submit/": {"id": draft.pk},
            f"{prefix}/submissions/{{id}}/withdraw/": {"id": submission.pk},
            f"{prefix}/review-assignments/{{id}}/": {"id": assignment.pk},
            f"{prefix}/reviews/{{id}}/": {"id": review.pk},
            f"{prefix}/decisions/{{id}}/": {"id": decision.pk},
            f"{prefix}/calls/{{slug}}/review-dashboard/": {"slug": call.slug},
            f"{prefix}/submissions/{{id}}/reviews/": {"id": submission.pk},
            f"{prefix}/investment-projects/{{slug}}/": {"slug": project.slug},
            f"{prefix}/investment-projects/{{slug}}/transition/": {
                "slug": project.slug
            },
            f"{prefix}/investment-interests/{{id}}/": {"id": interest.pk},
            f"{prefix}/investment-interests/{{id}}/move/": {"id": interest.pk},
            f"{prefix}/investment-interests/{{id}}/confirm-terms/": {"id": interest.pk},
            f"{prefix}/events/{{slug}}/": {"slug": event.slug},
            f"{prefix}/events/{{slug}}/publish/": {"slug": event.slug},
            f"{prefix}/events/{{slug}}/cancel/": {"slug": event.slug},
            f"{prefix}/event-registrations/{{id}}/": {"id": registration.pk},
            f"{prefix}/event-registrations/{{id}}/cancel/": {"id": registration.pk},
            f"{prefix}/needs-offers/{{id}}/": {"id": need.pk},
            f"{prefix}/needs-offers/{{id}}/submit/": {"id": need.pk},
            f"{prefix}/meeting-requests/{{id}}/": {"id": meeting_request.pk},
            f"{prefix}/meetings/{{id}}/": {"id": meeting.pk},
        }
    )
    yield
    REAL_PARAMETERS.clear()


CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


# (role, operation, phase) -> [requests, seconds]; written to $FUZZ_STATS if set.
STATS: dict[tuple[str, str, str], list] = {}


@pytest.fixture(scope="module", autouse=True)
def _write_stats():
    yield
    if path := os.environ.get("FUZZ_STATS"):
        rows = [[*key, *value] for key, value in sorted(STATS.items())]
        pathlib.Path(path).write_text(json.dumps(rows, indent=1))


def run_case(case, role, headers):
    """One request in a savepoint rolled back afterwards, throttles reset."""
    cache.clear()
    started = time.perf_counter()
    try:
        with transaction.atomic():
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            finally:
                transaction.set_rollback(True)
    finally:
        phase = case.meta.phase.name.value if case.meta else "explicit"
        row = STATS.setdefault((role, case.operation.label, phase), [0, 0.0])
        row[0] += 1
        row[1] += time.perf_counter() - started


SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # The data fixture is shared by a test's examples on purpose (each example
    # runs in a savepoint), and requests through the whole stack are slow.
    suppress_health_check=[
        hypothesis.HealthCheck.function_scoped_fixture,
        hypothesis.HealthCheck.too_slow,
    ],
)


@SETTINGS
@anonymous_schema.parametrize()
def test_anonymous(case, fuzz_data):
    run_case(case, "anonymous", headers={})


@SETTINGS
@schema.parametrize()
def test_staff(case, fuzz_data):
    run_case(case, "staff", headers={"Authorization": f"Token {STAFF_TOKEN}"})
