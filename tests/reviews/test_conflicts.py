"""Conflict-of-interest detection: each reason, public mail domains, declared
conflicts kept, and a query count that does not grow with the call."""

import pytest
from django.utils import timezone

from accounts.models import Role
from exchange.models import Submission
from reviews.conflicts import (
    detect_conflicts,
    email_domain,
    find_conflicts,
    website_domain,
)
from reviews.models import CallReviewer, ConflictOfInterest
from tests.exchange.factories import CallFactory, SubmissionFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

Reason = ConflictOfInterest.Reason


def make_reviewer(call, email=None, *, languages=("uk", "en"), max_load=10, **kw):
    """An active reviewer of `call`."""
    user = UserFactory(role=Role.REVIEWER, **({"email": email} if email else {}))
    return CallReviewer.objects.create(
        call=call, user=user, languages=list(languages), max_load=max_load, **kw
    )


def submitted(call, organization=None, **kw):
    """A submitted submission (Ukrainian only unless English fields are given)."""
    kw.setdefault("organization", organization or OrganizationFactory(kind="startup"))
    return SubmissionFactory(
        call=call,
        status=Submission.Status.SUBMITTED,
        submitted_at=timezone.now(),
        **kw,
    )


@pytest.fixture
def call(db):
    return CallFactory()


@pytest.fixture
def startup(db):
    return OrganizationFactory(
        kind="startup",
        name_uk="Датчики",
        name_en="Sensors",
        website="https://www.sensors.com.ua/about",
        email="hello@sensors.com.ua",
    )


def test_member_of_the_submitting_organization_is_conflicted(call, startup):
    reviewer = make_reviewer(call)
    MembershipFactory(user=reviewer.user, organization=startup)
    submission = submitted(call, startup)

    found = find_conflicts(call)

    assert found == {
        (submission.pk, reviewer.pk): {Reason.SAME_ORGANIZATION: "Датчики / Sensors"}
    }


def test_same_email_domain_as_the_creator_is_conflicted(call):
    reviewer = make_reviewer(call, "anna@acme.kharkiv.ua")
    creator = UserFactory(email="boss@acme.kharkiv.ua")
    submission = submitted(call, created_by=creator)

    found = find_conflicts(call)

    assert found[(submission.pk, reviewer.pk)] == {
        Reason.EMAIL_DOMAIN: "@acme.kharkiv.ua"
    }


def test_same_domain_as_a_member_website_or_contact_email(call, startup):
    by_site = make_reviewer(call, "x@sensors.com.ua")
    by_member = make_reviewer(call, "y@labs.kharkiv.ua")
    MembershipFactory(
        user=UserFactory(email="cto@labs.kharkiv.ua"), organization=startup
    )
    submission = submitted(call, startup)

    found = find_conflicts(call)

    assert found[(submission.pk, by_site.pk)] == {
        Reason.EMAIL_DOMAIN: "@sensors.com.ua"
    }
    assert found[(submission.pk, by_member.pk)] == {
        Reason.EMAIL_DOMAIN: "@labs.kharkiv.ua"
    }


def test_public_mail_domains_never_conflict(call):
    make_reviewer(call, "reviewer@gmail.com")
    make_reviewer(call, "reviewer@ukr.net")
    submitted(call, created_by=UserFactory(email="founder@gmail.com"))
    submitted(call, created_by=UserFactory(email="founder@ukr.net"))

    assert find_conflicts(call) == {}


def test_declared_tie_is_a_conflict(call, startup):
    reviewer = make_reviewer(call)
    reviewer.ties.add(startup)
    submission = submitted(call, startup)

    found = find_conflicts(call)

    assert found == {
        (submission.pk, reviewer.pk): {Reason.DECLARED_TIE: "Датчики / Sensors"}
    }


def test_past_co_submission_through_a_colleague_is_a_conflict(call, startup):
    # A colleague from the reviewer's company once submitted for the startup.
    company = OrganizationFactory(name_uk="Компанія", name_en="Company")
    reviewer = make_reviewer(call)
    MembershipFactory(user=reviewer.user, organization=company)
    colleague = UserFactory()
    MembershipFactory(user=colleague, organization=company)
    SubmissionFactory(
        call=CallFactory(), organization=startup, created_by=colleague,
        status=Submission.Status.SUBMITTED,
    )  # fmt: skip
    submission = submitted(call, startup)

    found = find_conflicts(call)

    assert found == {
        (submission.pk, reviewer.pk): {
            Reason.CO_SUBMISSION: "Датчики / Sensors ↔ Компанія / Company"
        }
    }


def test_reviewer_who_submitted_for_the_organization_is_conflicted(call, startup):
    reviewer = make_reviewer(call)
    SubmissionFactory(
        call=CallFactory(), organization=startup, created_by=reviewer.user
    )
    submission = submitted(call, startup)

    found = find_conflicts(call)

    assert found == {
        (submission.pk, reviewer.pk): {Reason.CO_SUBMISSION: "Датчики / Sensors"}
    }


def test_unrelated_reviewer_has_no_conflict(call, startup):
    make_reviewer(call, "someone@abq-committee.org")
    MembershipFactory(organization=startup)
    submitted(call, startup, created_by=UserFactory(email="a@sensors.com.ua"))

    assert find_conflicts(call) == {}


def test_drafts_and_inactive_reviewers_are_left_out(call, startup):
    reviewer = make_reviewer(call, is_active=False)
    MembershipFactory(user=reviewer.user, organization=startup)
    active = make_reviewer(call)
    MembershipFactory(user=active.user, organization=startup)
    SubmissionFactory(call=call, organization=startup)  # a draft

    assert find_conflicts(call) == {}


def test_detect_conflicts_stores_rows_and_keeps_declared_ones(call, startup):
    reviewer = make_reviewer(call)
    other = make_reviewer(call)
    reviewer.ties.add(startup)
    submission = submitted(call, startup)
    stale = ConflictOfInterest.objects.create(
        call_reviewer=other, submission=submission, reason=Reason.EMAIL_DOMAIN
    )
    ConflictOfInterest.objects.create(
        call_reviewer=other,
        submission=submission,
        reason=Reason.DECLARED_BY_REVIEWER,
        detail="Former employer",
    )

    found = detect_conflicts(call)

    assert not ConflictOfInterest.objects.filter(pk=stale.pk).exists()
    assert set(
        ConflictOfInterest.objects.values_list("call_reviewer_id", "reason", "detail")
    ) == {
        (reviewer.pk, Reason.DECLARED_TIE, "Датчики / Sensors"),
        (other.pk, Reason.DECLARED_BY_REVIEWER, "Former employer"),
    }
    assert found == {
        (submission.pk, reviewer.pk): {Reason.DECLARED_TIE: "Датчики / Sensors"},
        (submission.pk, other.pk): {Reason.DECLARED_BY_REVIEWER: "Former employer"},
    }


def test_several_reasons_for_one_pair_are_all_recorded(call, startup):
    reviewer = make_reviewer(call, "me@sensors.com.ua")
    MembershipFactory(user=reviewer.user, organization=startup)
    reviewer.ties.add(startup)
    submitted(call, startup)

    detect_conflicts(call)

    assert set(ConflictOfInterest.objects.values_list("reason", flat=True)) == {
        Reason.SAME_ORGANIZATION,
        Reason.EMAIL_DOMAIN,
        Reason.DECLARED_TIE,
    }


@pytest.mark.parametrize(
    ("address", "domain"),
    [
        ("a@Acme.UA", "acme.ua"),
        ("a@gmail.com", ""),
        ("a@i.ua", ""),
        ("a@meta.ua", ""),
        ("a@example.org", ""),
        ("", ""),
        ("not-an-address", ""),
    ],
)
def test_email_domain(address, domain):
    assert email_domain(address) == domain


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.acme.ua/en/", "acme.ua"),
        ("acme.ua", "acme.ua"),
        ("http://lab.acme.ua:8080", "lab.acme.ua"),
        ("", ""),
    ],
)
def test_website_domain(url, domain):
    assert website_domain(url) == domain


def _populate(call, size):
    orgs = [OrganizationFactory(kind="startup") for _ in range(size)]
    for index, org in enumerate(orgs):
        reviewer = make_reviewer(call, f"r{index}@org{index}.kharkiv.ua")
        MembershipFactory(user=reviewer.user, organization=org)
        reviewer.ties.add(orgs[(index + 1) % size])
        submitted(call, org, created_by=UserFactory(email=f"s{index}@org{index}.ua"))


@pytest.mark.parametrize("size", [1, 4])
def test_detect_conflicts_query_count_does_not_grow(
    call, size, django_assert_max_num_queries
):
    _populate(call, size)

    with django_assert_max_num_queries(14):
        found = detect_conflicts(call)

    assert len(found) == (1 if size == 1 else 2 * size)
