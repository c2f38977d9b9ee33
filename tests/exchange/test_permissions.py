import pytest

from accounts.models import Role
from exchange import permissions, queries
from exchange.models import Call, CallPhase, Submission
from tests.exchange.factories import SubmissionFactory
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(call, startup, submitter, organizer_editor, reviewer_of):
    """One person of each kind around a submitted and a draft submission."""
    submitted = SubmissionFactory(
        call=call, organization=startup, status=Submission.Status.SUBMITTED
    )
    draft = SubmissionFactory(call=call, organization=startup)
    reviewer = reviewer_of(UserFactory(role=Role.REVIEWER), submitted)
    reviewer_of(reviewer, draft)  # a grant on a draft gives nothing
    other_reviewer = UserFactory(role=Role.REVIEWER)
    outsider = UserFactory(role=Role.EDITOR)
    MembershipFactory(user=outsider)
    return {
        "submitted": submitted,
        "draft": draft,
        "anonymous": None,
        "submitter": submitter,
        "staff": UserFactory(role=Role.STAFF),
        "organizer": organizer_editor,
        "reviewer": reviewer,
        "other_reviewer": other_reviewer,
        "outsider": outsider,
        "investor": UserFactory(role=Role.INVESTOR),
    }


@pytest.mark.parametrize(
    ("who", "sees_submitted", "sees_draft"),
    [
        ("anonymous", False, False),
        ("submitter", True, True),
        ("staff", True, False),
        ("organizer", True, False),
        ("reviewer", True, False),
        ("other_reviewer", False, False),
        ("outsider", False, False),
        ("investor", False, False),
    ],
)
def test_can_view_submission_and_query_agree(people, who, sees_submitted, sees_draft):
    user = people[who]

    visible = set(queries.submissions_visible_to(user).values_list("pk", flat=True))

    assert permissions.can_view_submission(user, people["submitted"]) is sees_submitted
    assert permissions.can_view_submission(user, people["draft"]) is sees_draft
    assert (people["submitted"].pk in visible) is sees_submitted
    assert (people["draft"].pk in visible) is sees_draft


@pytest.mark.parametrize(
    ("who", "blind", "names_switch", "expected"),
    [
        ("reviewer", False, False, True),
        ("reviewer", True, False, False),
        ("reviewer", True, True, True),
        ("submitter", True, False, True),
        ("staff", True, False, True),
        ("organizer", True, False, True),
    ],
)
def test_sees_identity(people, call, who, blind, names_switch, expected):
    call.is_blind = blind
    call.save()
    CallPhase.objects.filter(call=call, phase=call.phase).update(
        reviewers_see_names=names_switch
    )
    submission = Submission.objects.select_related("call").get(
        pk=people["submitted"].pk
    )

    assert permissions.sees_identity(people[who], submission) is expected


@pytest.mark.parametrize(
    ("who", "can_manage"),
    [("staff", True), ("organizer", True), ("submitter", False), ("anonymous", False)],
)
def test_can_manage_call(people, call, who, can_manage):
    assert permissions.can_manage_call(people[who], call) is can_manage


def test_draft_calls_hidden_from_public(call, organizer_editor):
    call.phase = Call.Phase.DRAFT
    call.save()

    assert permissions.can_view_call(None, call) is False
    assert permissions.can_view_call(organizer_editor, call) is True
    assert list(queries.calls_visible_to(None)) == []
    assert list(queries.calls_visible_to(organizer_editor)) == [call]


def test_missing_hook_grants_nothing(settings, call, startup):
    settings.MIST_SUBMISSION_ACCESS_HOOKS = ["no_such_app.access.reviewer_can_view"]
    submission = SubmissionFactory(
        call=call, organization=startup, status=Submission.Status.SUBMITTED
    )
    reviewer = UserFactory(role=Role.REVIEWER)

    assert permissions.can_view_submission(reviewer, submission) is False
    assert list(queries.submissions_visible_to(reviewer)) == []
