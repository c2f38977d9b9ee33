"""Automatic and manual assignment with the database: end to end on a small call,
kept assignments, reasons for gaps, manual override rules, permissions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts.models import Role
from core.models import AuditEntry
from reviews.assignment import services
from reviews.models import Assignment, ConflictOfInterest, Review
from tests.exchange.factories import CallFactory
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    SectorFactory,
    TagFactory,
    UserFactory,
)
from tests.reviews.test_conflicts import make_reviewer, submitted


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, whatever the catalogues hold."""
    with translation.override("en"):
        yield


@pytest.fixture
def call(db):
    return CallFactory(reviews_per_submission=2)


@pytest.fixture
def staff(db):
    return UserFactory(role=Role.STAFF, email="staff@mist.test")


@pytest.fixture
def organizer_editor(call):
    user = UserFactory(role=Role.EDITOR, email="organizer@abq.test")
    MembershipFactory(user=user, organization=call.organizer)
    return user


@pytest.fixture
def tags(db):
    return {name: TagFactory(slug=name) for name in ("ai", "energy", "health")}


def pairs(call):
    return set(
        Assignment.objects.filter(submission__call=call).values_list(
            "submission_id", "call_reviewer_id"
        )
    )


def test_assign_automatically_end_to_end(call, staff, tags):
    startup = OrganizationFactory(kind="startup")
    ai = submitted(call, title_en="AI", summary_en="AI for the city.")
    ai.tags.add(tags["ai"])
    energy = submitted(call, startup, title_en="Grid", summary_en="Smart grid.")
    energy.tags.add(tags["energy"])
    grid = SectorFactory()
    energy.sectors.add(grid)
    ukrainian_only = submitted(call)
    ukrainian_only.tags.add(tags["health"])
    ai_expert = make_reviewer(call, languages=["en"])
    ai_expert.expertise.add(tags["ai"])
    energy_expert = make_reviewer(call, languages=["en"])
    energy_expert.expertise.add(tags["energy"])
    conflicted = make_reviewer(call, languages=["uk", "en"])
    conflicted.expertise.add(tags["energy"], tags["ai"])
    MembershipFactory(user=conflicted.user, organization=startup)
    generalist = make_reviewer(call, languages=["uk", "en"])
    generalist.expertise.add(tags["health"])
    generalist.expertise_sectors.add(grid)

    report = services.assign_automatically(call, actor=staff)

    assert pairs(call) == {
        (ai.pk, ai_expert.pk),
        (ai.pk, conflicted.pk),
        (energy.pk, energy_expert.pk),
        (energy.pk, generalist.pk),
        (ukrainian_only.pk, conflicted.pk),
        (ukrainian_only.pk, generalist.pk),
    }
    assert set(Assignment.objects.values_list("source", flat=True)) == {
        Assignment.Source.AUTO
    }
    assert report.is_complete
    assert (report.created, report.removed, report.kept) == (6, 0, 0)
    assert report.conflicts == 1
    assert ConflictOfInterest.objects.get().call_reviewer == conflicted
    entry = AuditEntry.objects.get(action="reviews.assigned_automatically")
    assert entry.actor == staff
    assert entry.details["created"] == 6


def test_assign_automatically_prefers_expertise(call, staff, tags):
    call.reviews_per_submission = 1
    call.save()
    ai = submitted(call)
    ai.tags.add(tags["ai"])
    health = submitted(call)
    health.tags.add(tags["health"])
    ai_expert = make_reviewer(call, max_load=1)
    ai_expert.expertise.add(tags["ai"])
    health_expert = make_reviewer(call, max_load=1)
    health_expert.expertise.add(tags["health"])

    report = services.assign_automatically(call, actor=staff)

    assert pairs(call) == {(ai.pk, ai_expert.pk), (health.pk, health_expert.pk)}
    # one shared tag each, plus the bonus for reading the original language
    expected = 2 * (services.TAG_WEIGHT + services.LANGUAGE_BONUS)
    assert report.total_affinity == expected


def test_rerun_keeps_manual_pinned_and_started_assignments(call, staff):
    first, second = submitted(call), submitted(call)
    reviewers = [make_reviewer(call) for _ in range(4)]
    manual = Assignment.objects.create(
        submission=first, call_reviewer=reviewers[0], source=Assignment.Source.MANUAL
    )
    pinned = Assignment.objects.create(
        submission=first,
        call_reviewer=reviewers[1],
        source=Assignment.Source.AUTO,
        is_pinned=True,
    )
    started = Assignment.objects.create(
        submission=second, call_reviewer=reviewers[2], source=Assignment.Source.AUTO
    )
    Review.objects.create(assignment=started)
    loose = Assignment.objects.create(
        submission=second, call_reviewer=reviewers[3], source=Assignment.Source.AUTO
    )

    report = services.assign_automatically(call, actor=staff)

    assert report.is_complete
    assert set(Assignment.objects.values_list("pk", flat=True)) >= {
        manual.pk,
        pinned.pk,
        started.pk,
    }
    assert Assignment.objects.filter(submission=first).count() == 2
    assert Assignment.objects.filter(submission=second).count() == 2
    # the loose automatic one is either kept as it was or replaced
    assert report.created + report.kept == 4
    assert report.removed == (0 if Assignment.objects.filter(pk=loose.pk) else 1)


def test_rerun_is_stable(call, staff):
    for _ in range(3):
        submitted(call)
    for _ in range(3):
        make_reviewer(call)
    services.assign_automatically(call, actor=staff)
    before = pairs(call)

    report = services.assign_automatically(call, actor=staff)

    assert pairs(call) == before
    assert (report.created, report.removed, report.kept) == (0, 0, 6)


def test_assign_automatically_explains_gaps(call, staff):
    startup = OrganizationFactory(kind="startup")
    submission = submitted(call, startup)  # Ukrainian only
    english_only = make_reviewer(call, languages=["en"])
    member = make_reviewer(call)
    MembershipFactory(user=member.user, organization=startup)
    make_reviewer(call, max_load=0)
    able = make_reviewer(call)

    report = services.assign_automatically(call, actor=staff)

    assert pairs(call) == {(submission.pk, able.pk)}
    assert not report.is_complete
    (gap,) = report.unfilled
    assert (gap.submission_id, gap.need, gap.assigned) == (submission.pk, 2, 1)
    assert gap.reason == (
        "1 of 2 reviewers missing: only 1 eligible reviewer "
        "(1 has a conflict of interest, 1 doesn't read Ukrainian, "
        "1 has no load left)"
    )
    assert english_only.pk not in {r for _, r in pairs(call)}


def test_assign_automatically_counts_kept_load(call, staff):
    call.reviews_per_submission = 1
    call.save()
    first, second = submitted(call), submitted(call)
    reviewer = make_reviewer(call, max_load=1)
    Assignment.objects.create(
        submission=first, call_reviewer=reviewer, source=Assignment.Source.MANUAL
    )

    report = services.assign_automatically(call, actor=staff)

    assert pairs(call) == {(first.pk, reviewer.pk)}
    (gap,) = report.unfilled
    assert gap.submission_id == second.pk
    assert "no eligible reviewer" in gap.reason


def test_assign_automatically_warns_about_conflicted_kept_assignments(call, staff):
    startup = OrganizationFactory(kind="startup")
    submission = submitted(call, startup)
    reviewer = make_reviewer(call)
    MembershipFactory(user=reviewer.user, organization=startup)
    Assignment.objects.create(
        submission=submission, call_reviewer=reviewer, source=Assignment.Source.MANUAL
    )

    report = services.assign_automatically(call, actor=staff)

    assert report.warnings == ["1 kept assignment has a conflict of interest."]


@pytest.mark.parametrize("role", ["editor-elsewhere", Role.REVIEWER, Role.INVESTOR])
def test_assign_automatically_needs_a_manager(call, role):
    user = UserFactory(role=Role.EDITOR if role == "editor-elsewhere" else role)
    if role == "editor-elsewhere":
        MembershipFactory(user=user)
    submitted(call)
    make_reviewer(call)

    with pytest.raises(PermissionDenied):
        services.assign_automatically(call, actor=user)

    assert not Assignment.objects.exists()


def test_organizer_editor_may_assign_automatically(call, organizer_editor):
    submitted(call)
    make_reviewer(call)

    report = services.assign_automatically(call, actor=organizer_editor)

    assert report.created == 1


# Manual


def test_assign_manually_creates_a_manual_assignment(call, organizer_editor):
    submission = submitted(call)
    reviewer = make_reviewer(call)

    assignment = services.assign_manually(submission, reviewer, actor=organizer_editor)

    assert assignment.source == Assignment.Source.MANUAL
    entry = AuditEntry.objects.get(action="reviews.assigned_manually")
    assert entry.details == {"reviewer": reviewer.pk, "submission": submission.pk}


def test_assign_manually_refuses_a_conflicted_reviewer(call, staff):
    startup = OrganizationFactory(kind="startup", name_uk="Дрон", name_en="Drone")
    submission = submitted(call, startup)
    reviewer = make_reviewer(call)
    reviewer.ties.add(startup)

    with pytest.raises(ValidationError) as error:
        services.assign_manually(submission, reviewer, actor=staff)

    assert error.value.messages == [
        "This reviewer cannot be assigned: Declared tie: Дрон / Drone."
    ]
    assert not Assignment.objects.exists()


def test_assign_manually_refuses_an_unreadable_submission(call, staff):
    submission = submitted(call)
    reviewer = make_reviewer(call, languages=["en"])

    with pytest.raises(ValidationError, match="doesn't read Ukrainian"):
        services.assign_manually(submission, reviewer, actor=staff)


def test_translation_makes_a_submission_readable(call, staff):
    submission = submitted(call, title_en="Parking", summary_en="Parking sensors.")
    reviewer = make_reviewer(call, languages=["en"])

    assignment = services.assign_manually(submission, reviewer, actor=staff)

    assert assignment.pk


def test_staff_may_override_with_a_reason(call, staff):
    startup = OrganizationFactory(kind="startup")
    submission = submitted(call, startup)
    reviewer = make_reviewer(call, languages=["en"])
    MembershipFactory(user=reviewer.user, organization=startup)

    assignment = services.assign_manually(
        submission, reviewer, actor=staff, override_reason="Only expert available"
    )

    assert assignment.source == Assignment.Source.MANUAL
    entry = AuditEntry.objects.get(action="reviews.assigned_manually")
    assert entry.details["override"] == "Only expert available"
    assert entry.details["conflicts"] == [ConflictOfInterest.Reason.SAME_ORGANIZATION]
    assert entry.details["unreadable"] is True


def test_organizer_editor_may_not_override(call, organizer_editor):
    startup = OrganizationFactory(kind="startup")
    submission = submitted(call, startup)
    reviewer = make_reviewer(call)
    reviewer.ties.add(startup)

    with pytest.raises(PermissionDenied):
        services.assign_manually(
            submission, reviewer, actor=organizer_editor, override_reason="Please"
        )

    assert not Assignment.objects.exists()


def test_assign_manually_refuses_a_full_reviewer(call, staff):
    reviewer = make_reviewer(call, max_load=1)
    services.assign_manually(submitted(call), reviewer, actor=staff)

    with pytest.raises(ValidationError, match="maximum load"):
        services.assign_manually(submitted(call), reviewer, actor=staff)


def test_assign_manually_refuses_duplicates_and_other_calls(call, staff):
    submission = submitted(call)
    reviewer = make_reviewer(call)
    services.assign_manually(submission, reviewer, actor=staff)
    stranger = make_reviewer(CallFactory())

    with pytest.raises(ValidationError, match="already assigned"):
        services.assign_manually(submission, reviewer, actor=staff)
    with pytest.raises(ValidationError, match="does not review for this call"):
        services.assign_manually(submission, stranger, actor=staff)


def test_unassign_removes_and_audits(call, staff):
    assignment = services.assign_manually(
        submitted(call), make_reviewer(call), actor=staff
    )

    services.unassign(assignment, actor=staff)

    assert not Assignment.objects.exists()
    assert AuditEntry.objects.filter(action="reviews.unassigned").count() == 1


def test_unassign_refuses_a_submitted_review(call, staff):
    assignment = services.assign_manually(
        submitted(call), make_reviewer(call), actor=staff
    )
    Review.objects.create(assignment=assignment, status=Review.Status.SUBMITTED)

    with pytest.raises(ValidationError):
        services.unassign(assignment, actor=staff)

    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_pin_and_unpin(call, staff):
    assignment = Assignment.objects.create(
        submission=submitted(call),
        call_reviewer=make_reviewer(call),
        source=Assignment.Source.AUTO,
    )

    services.pin(assignment, actor=staff)
    pinned = Assignment.objects.get().is_pinned
    services.pin(assignment, actor=staff, pinned=False)

    assert pinned is True
    assert Assignment.objects.get().is_pinned is False
    assert AuditEntry.objects.filter(action="reviews.assignment_pinned").count() == 2


def test_pin_needs_a_manager(call):
    assignment = Assignment.objects.create(
        submission=submitted(call), call_reviewer=make_reviewer(call)
    )

    with pytest.raises(PermissionDenied):
        services.pin(assignment, actor=UserFactory(role=Role.REVIEWER))


def test_score_pairs_matches_the_pairwise_rules():
    import random

    rng = random.Random(3)

    def row(pk, languages):
        return {
            "pk": pk,
            "tags": set(rng.sample(range(8), rng.randint(0, 4))),
            "sectors": set(rng.sample(range(5), rng.randint(0, 2))),
            "languages": languages,
        }

    subs = []
    for pk in range(1, 30):
        sub = row(pk, set(rng.choice([["uk"], ["en"], ["uk", "en"]])))
        sub["originals"] = set(rng.sample(sorted(sub["languages"]), 1))
        subs.append(sub)
    revs = [
        row(100 + pk, set(rng.choice([[], ["uk"], ["en"], ["uk", "en"]])))
        for pk in range(12)
    ]

    affinity, unreadable = services.score_pairs(subs, revs)

    for sub in subs:
        for rev in revs:
            pair = (sub["pk"], rev["pk"])
            assert affinity.get(pair, 0) == services.affinity_of(rev, sub)
            assert (pair in unreadable) == (
                not services.reads_submission(rev["languages"], sub["languages"])
            )
