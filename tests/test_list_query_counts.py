"""N+1 guard for the list pages and list endpoints that their own app's tests do
not measure: each is read with one row and with three, and must cost the same
number of queries. Pages are named by URL name, so moving views keeps the table."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from events.models import CalendarToken
from exchange.models import Call, Message
from reviews.models import OutboxMessage
from tests.events.factories import EventFactory, RegistrationFactory
from tests.exchange.factories import CallFactory
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    TagFactory,
    UserFactory,
)
from tests.investments.factories import DocumentFactory, ProjectFactory
from tests.meetings.factories import (
    B2BSessionFactory,
    MeetingRequestFactory,
    SessionParticipantFactory,
    SlotFactory,
)
from tests.notifications.factories import NotificationFactory
from tests.reviews.factories import (
    CallReviewerFactory,
    DecisionFactory,
    ReviewFactory,
    SubmittedSubmissionFactory,
)


@dataclass(frozen=True)
class ListCase:
    """One list page or endpoint, the role that reads it, and how to add a row."""

    url_name: str
    role: str | None  # None: anonymous
    add: Callable[[Any, Any], Any]  # (parent, user) -> one more listed row
    rows: Callable[[Any], int]  # response -> rows shown
    parent: Callable[[Any], Any] = lambda user: None
    kwargs: Callable[[Any], dict] = lambda parent: {}


def _context(key):
    return lambda response: len(response.context[key])


def _results(response):
    return len(response.json()["results"])


def _csv_rows(response):
    text = response.getvalue().decode("utf-8-sig")
    return len(list(csv.reader(io.StringIO(text)))) - 1  # without the header


def _vevents(response):
    return response.getvalue().count(b"BEGIN:VEVENT")


def _slug(parent):
    return {"slug": parent.slug}


def _pk(parent):
    return {"pk": parent.pk}


def _outbox_message(call, user):
    decision = DecisionFactory(submission__call=call)
    return OutboxMessage.objects.create(
        decision=decision, to="team@example.org", subject="Decision", body="Body."
    )


def _message(submission, user):
    return Message.objects.create(
        submission=submission, author=UserFactory(), body="A question."
    )


def _editor_with_tagged_organization(user):
    organization = OrganizationFactory()
    MembershipFactory(user=user, organization=organization)
    tag = TagFactory(slug="iot")
    organization.tags.add(tag)
    return tag


def _tagged_organization(tag, user):
    other = OrganizationFactory(description_uk="Інше.", description_en="Other.")
    other.tags.add(tag)


def _own_review(call_reviewer, user):
    return ReviewFactory(
        assignment__call_reviewer=call_reviewer,
        assignment__submission__call=call_reviewer.call,
    )


def _figure(parent, user):
    """One more public figure in the "organizations by kind" chart."""
    from django.utils import timezone

    from insights.models import Figure

    n = Figure.objects.count()
    return Figure.objects.create(
        period_kind="all",
        measure="organizations",
        dimension="kind",
        key=f"kind-{n}",
        label_uk=f"Вид {n}",
        label_en=f"Kind {n}",
        value=10 + n,
        computed_at=timezone.now(),
    )


def _chart_rows(slug):
    def rows(response):
        if response.get("Content-Type", "").startswith("application/json"):
            return len(response.json()["rows"])
        tables = {table.chart.slug: table for table in response.context["tables"]}
        return len(tables[slug].rows)

    return rows


def _past_event(parent, user):
    import datetime

    from django.utils import timezone

    return EventFactory(starts_at=timezone.now() - datetime.timedelta(days=3))


def _submitted_to(call, user):
    """A submitted submission, the call's review stamp renewed as
    submit_submission renews it (the dashboard's ranking is cached under it)."""
    submission = SubmittedSubmissionFactory(call=call)
    Call.reviews_changed(call.pk)
    return submission


CASES = [
    ListCase(
        "reviews:call-list",
        Role.STAFF,
        add=lambda parent, user: CallFactory(),
        rows=_context("calls"),
    ),
    ListCase(
        "reviews:reviewer-list",
        Role.STAFF,
        parent=lambda user: CallFactory(),
        kwargs=_slug,
        add=lambda call, user: CallReviewerFactory(call=call),
        rows=_context("reviewers"),
    ),
    ListCase(
        "reviews:outbox",
        Role.STAFF,
        parent=lambda user: CallFactory(),
        kwargs=_slug,
        add=_outbox_message,
        rows=_context("messages_list"),
    ),
    ListCase(
        "reviews:submission-reviews",
        Role.STAFF,
        parent=lambda user: SubmittedSubmissionFactory(),
        kwargs=_pk,
        add=lambda submission, user: ReviewFactory(assignment__submission=submission),
        rows=_context("reviews"),
    ),
    ListCase(
        "exchange:submission-messages",
        Role.STAFF,
        parent=lambda user: SubmittedSubmissionFactory(),
        kwargs=_pk,
        add=_message,
        rows=_context("thread"),
    ),
    ListCase(
        "meetings:session-list",
        Role.STAFF,
        add=lambda parent, user: B2BSessionFactory(),
        rows=_context("sessions"),
    ),
    ListCase(
        "meetings:session-availability",
        Role.EDITOR,
        parent=lambda user: SessionParticipantFactory(user=user).session,
        kwargs=_pk,
        add=lambda session, user: SlotFactory(session=session),
        rows=_context("rows"),
    ),
    ListCase(
        "investments:catalogue-map",
        None,
        add=lambda parent, user: ProjectFactory(),
        rows=lambda response: len(response.json()["points"]),
    ),
    ListCase(
        "events:feed",
        None,
        add=lambda parent, user: EventFactory(),
        rows=_vevents,
    ),
    ListCase(
        "events:personal-feed",
        Role.EDITOR,
        parent=lambda user: CalendarToken.objects.create(user=user),
        kwargs=lambda calendar: {"token": calendar.token},
        add=lambda calendar, user: RegistrationFactory(user=user),
        rows=_vevents,
    ),
    ListCase(
        "events:event-participants-csv",
        Role.STAFF,
        parent=lambda user: EventFactory(),
        kwargs=_slug,
        add=lambda event, user: RegistrationFactory(event=event),
        rows=_csv_rows,
    ),
    ListCase(
        "directory:organization-export",
        Role.STAFF,
        kwargs=lambda parent: {"fmt": "csv"},
        add=lambda parent, user: OrganizationFactory(),
        rows=_csv_rows,
    ),
    ListCase(
        "investments:portfolio-export",
        None,
        kwargs=lambda parent: {"fmt": "csv"},
        add=lambda parent, user: ProjectFactory(),
        rows=_csv_rows,
    ),
    ListCase(
        "investments:project-files",
        Role.CITY_OFFICER,
        parent=lambda user: ProjectFactory(),
        kwargs=_slug,
        add=lambda project, user: DocumentFactory(project=project),
        rows=_context("documents"),
    ),
    ListCase(
        "reviews:dashboard-export",
        Role.STAFF,
        parent=lambda user: CallFactory(),
        kwargs=lambda call: {"slug": call.slug, "fmt": "csv"},
        add=_submitted_to,
        rows=_csv_rows,
    ),
    ListCase(
        "api:review-list",
        Role.REVIEWER,
        parent=lambda user: CallReviewerFactory(user=user),
        add=_own_review,
        rows=_results,
    ),
    ListCase(
        "api:review-decision-list",
        Role.STAFF,
        add=lambda parent, user: DecisionFactory(),
        rows=_results,
    ),
    ListCase(
        "api:review-dashboard",
        Role.STAFF,
        parent=lambda user: CallFactory(),
        kwargs=_slug,
        add=_submitted_to,
        rows=_results,
    ),
    ListCase(
        "api:review-submission-reviews",
        Role.STAFF,
        parent=lambda user: SubmittedSubmissionFactory(),
        kwargs=_pk,
        add=lambda submission, user: ReviewFactory(assignment__submission=submission),
        rows=_results,
    ),
    ListCase(
        "api:matching-recommendations",
        Role.EDITOR,
        parent=_editor_with_tagged_organization,
        add=_tagged_organization,
        rows=lambda response: response.json()["count"],
    ),
    ListCase(
        "api:meeting-request-list",
        Role.EDITOR,
        add=lambda parent, user: MeetingRequestFactory(recipient=user),
        rows=_results,
    ),
    ListCase(
        "api:investments-oc4ids",
        None,
        add=lambda parent, user: ProjectFactory(),
        rows=lambda response: len(response.json()["projects"]),
    ),
    ListCase(
        "insights:page",
        None,
        add=_figure,
        rows=_chart_rows("organizations-kind"),
    ),
    ListCase(
        "api:insight-detail",
        None,
        add=_figure,
        rows=_chart_rows("organizations-kind"),
        kwargs=lambda parent: {"slug": "organizations-kind"},
    ),
    ListCase(
        "insights:dataset-download",
        None,
        add=_past_event,
        rows=_csv_rows,
        kwargs=lambda parent: {"slug": "events", "fmt": "csv"},
    ),
    ListCase(
        "insights:journey-list",
        None,
        add=lambda parent, user: _journey_initiative(),
        rows=_context("initiatives"),
    ),
    ListCase(
        "notifications:notification-list",
        Role.EDITOR,
        add=lambda parent, user: NotificationFactory(user=user),
        rows=_context("notifications"),
    ),
]


def _journey_initiative():
    """An accepted initiative with a meeting about it and a public project."""
    from tests.factories import accepted_submission

    submission = accepted_submission()
    ProjectFactory(source_submission=submission)
    MeetingRequestFactory(submission=submission)
    return submission


# talent


def _talent_editor_organization(user):
    from tests.factories import MembershipFactory, OrganizationFactory

    organization = OrganizationFactory()
    MembershipFactory(user=user, organization=organization)
    return organization


def _talent_profile(user):
    from tests.talent.factories import SpecialistProfileFactory

    return SpecialistProfileFactory(user=user, skills=[TagFactory(slug="cloud")])


def _talent_role_of_editor(user):
    from tests.talent.factories import RoleFactory

    organization = _talent_editor_organization(user)
    return RoleFactory(organization=organization, skills=[TagFactory(slug="cloud")])


def _talent_role(parent, user):
    from tests.talent.factories import RoleFactory

    return RoleFactory(skills=[TagFactory(slug="cloud")])


def _talent_role_of(organization, user):
    from tests.talent.factories import RoleFactory

    return RoleFactory(organization=organization, status="draft")


def _talent_specialist(role, user):
    from tests.talent.factories import SpecialistProfileFactory

    return SpecialistProfileFactory(skills=[TagFactory(slug="cloud")])


def _talent_invitation(profile, user):
    from tests.talent.factories import InvitationFactory

    return InvitationFactory(profile=profile)


def _talent_pending_role(parent, user):
    from tests.talent.factories import RoleFactory

    return RoleFactory(status="pending", submitted_at=None)


CASES += [
    ListCase("talent:role-list", None, add=_talent_role, rows=_context("roles")),
    ListCase(
        "talent:role-mine",
        Role.EDITOR,
        parent=_talent_editor_organization,
        add=_talent_role_of,
        rows=_context("roles"),
    ),
    ListCase(
        "talent:moderation-queue",
        Role.STAFF,
        add=_talent_pending_role,
        rows=_context("roles"),
    ),
    ListCase(
        "talent:invitation-list",
        Role.EDITOR,
        parent=_talent_profile,
        add=_talent_invitation,
        rows=_context("received"),
    ),
    ListCase(
        "talent:matches",
        Role.EDITOR,
        parent=_talent_profile,
        add=_talent_role,
        rows=_context("matches"),
    ),
    ListCase(
        "talent:role-specialists",
        Role.EDITOR,
        parent=_talent_role_of_editor,
        kwargs=_pk,
        add=_talent_specialist,
        rows=_context("matches"),
    ),
    ListCase("api:talent-role-list", None, add=_talent_role, rows=_results),
    ListCase(
        "api:talent-invitation-list",
        Role.EDITOR,
        parent=_talent_profile,
        add=_talent_invitation,
        rows=_results,
    ),
    ListCase(
        "api:talent-matches",
        Role.EDITOR,
        parent=_talent_profile,
        add=_talent_role,
        rows=lambda response: response.json()["count"],
    ),
]

# Pages whose query count grows with the rows shown, with the reason; empty since
# confidential-note reads are audited in one statement per page.
N_PLUS_ONE: dict[str, str] = {}


def _param(case: ListCase):
    reason = N_PLUS_ONE.get(case.url_name)
    marks = pytest.mark.xfail(strict=True, reason=f"N+1: {reason}") if reason else ()
    return pytest.param(case, id=case.url_name, marks=marks)


def _measure(client, url, expected_rows, case):
    cache.clear()  # cached results (recommendations) would hide the new rows
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        rows = case.rows(response)  # inside: a streamed export queries as it is read
    assert response.status_code == 200
    assert rows == expected_rows
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.django_db
@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_list_query_count_does_not_grow_with_rows(client, case):
    user = UserFactory(role=case.role) if case.role else None
    parent = case.parent(user)
    url = reverse(case.url_name, kwargs=case.kwargs(parent))
    if user:
        client.force_login(user)
    case.add(parent, user)
    client.get(url)  # the first request fills the session and per-process caches

    with_one = _measure(client, url, 1, case)
    case.add(parent, user)
    case.add(parent, user)
    # Caches keyed by the data (the reviews ranking) refill after the new rows:
    # measured warm, like the first.
    client.get(url)
    with_three = _measure(client, url, 3, case)

    assert len(with_three) == len(with_one), "\n".join(with_three)
