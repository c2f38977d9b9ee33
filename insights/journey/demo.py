"""Demo data of the joined journey, loaded by `manage.py seed_demo` (MIST_DEMO_SEEDERS,
after every app it joins).

One initiative end to end: a call whose results are published, a submission it
accepted (two reviews, a released decision), the investment project the city adopted
from it, a meeting about the submission and one about the project (outcomes from
both sides), the investor's expression of interest that followed, funded, and the
funding source it brought. Idempotent: keyed by the call's address.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.queries import edited_organization_ids
from core.demo_data import load_demo_data

DATA = load_demo_data(__file__)


def _user(email: str, role: str) -> User | None:
    return (
        User.objects.filter(email=email).first()
        or User.objects.filter(role=role).order_by("pk").first()
    )


def _organization_of(user):
    """The first organization `user` edits (the one source of who acts for what)."""
    from directory.models import Organization

    return (
        Organization.objects.filter(pk__in=edited_organization_ids(user))
        .order_by("pk")
        .first()
    )


def _meeting(request_fields: dict, *, days_ago: int, outcome: str, interest=None):
    from meetings.models import Meeting, MeetingRequest

    start = timezone.now() - dt.timedelta(days=days_ago)
    request = MeetingRequest.objects.create(
        **request_fields,
        message=DATA["meeting_note"],
        status=MeetingRequest.Status.ACCEPTED,
        responded_at=start - dt.timedelta(days=3),
    )
    return Meeting.objects.create(
        request=request,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=45),
        requester_outcome=outcome,
        recipient_outcome=outcome,
        outcome=outcome,
        requester_outcome_at=start + dt.timedelta(days=1),
        recipient_outcome_at=start + dt.timedelta(days=1),
        outcome_reminded_at=start + dt.timedelta(days=1),
        outcome_note=DATA["meeting_note"],
        interest=interest,
    )


@transaction.atomic
def seed_demo() -> str:
    """Create the demo journey once; return a one-line summary for the console."""
    from directory.models import Organization
    from exchange.models import PHASE_ORDER, Call, CallPhase, Submission
    from investments.models import FundingSource, Interest, InvestmentProject
    from meetings.models import Meeting
    from reviews.models import Assignment, CallReviewer, Decision, Review

    spec = DATA["call"]
    if Call.objects.filter(slug=spec["slug"]).exists():
        return "journey: already there"
    editor = _user("editor@mist.local", Role.EDITOR)
    investor = _user("investor@mist.local", Role.INVESTOR)
    officer = _user("officer@mist.local", Role.CITY_OFFICER)
    staff = _user("staff@mist.local", Role.STAFF)
    reviewers = list(User.objects.filter(role=Role.REVIEWER).order_by("pk")[:2])
    submitter = _organization_of(editor) if editor else None
    organizer = (
        Organization.objects.filter(kind=Organization.Kind.FOREIGN_PARTNER)
        .order_by("pk")
        .first()
    )
    owner = (
        Organization.objects.filter(
            kind__in=[
                Organization.Kind.CITY_BODY,
                Organization.Kind.COMMUNAL_ENTERPRISE,
            ]
        )
        .order_by("pk")
        .first()
    )
    if None in (editor, investor, officer, submitter, organizer, owner):
        return "journey: demo users or organizations missing; nothing made"
    now = timezone.now()

    call = Call.objects.create(
        **spec,
        organizer=organizer,
        opens_at=now - dt.timedelta(days=120),
        closes_at=now - dt.timedelta(days=90),
        phase=Call.Phase.PUBLISHED,
        created_by=staff,
    )
    CallPhase.objects.bulk_create(
        [CallPhase.default_for(call, phase) for phase in PHASE_ORDER]
    )
    text = dict(DATA["submission"])
    text["funding_amount"] = Decimal(text["funding_amount"])
    submission = Submission.objects.create(
        call=call,
        organization=submitter,
        created_by=editor,
        status=Submission.Status.SUBMITTED,
        stage=Submission.Stage.PROTOTYPE,
        asks=["funding", "pilot"],
        submitted_at=now - dt.timedelta(days=95),
        version=1,
        **text,
    )
    for reviewer, comments in zip(reviewers, DATA["review_comments"], strict=False):
        call_reviewer = CallReviewer.objects.create(
            call=call,
            user=reviewer,
            invited_by=staff,
            accepted_at=now,
            languages=["uk", "en"],
        )
        assignment = Assignment.objects.create(
            submission=submission,
            call_reviewer=call_reviewer,
            source=Assignment.Source.MANUAL,
            no_conflict_confirmed_at=now,
        )
        Review.objects.create(
            assignment=assignment,
            status=Review.Status.SUBMITTED,
            recommendation="accept",
            comments_to_submitters=comments,
            submitted_at=now - dt.timedelta(days=80),
            seen_version=1,
        )
    Decision.objects.create(
        submission=submission,
        outcome=Decision.Outcome.ACCEPT,
        note_uk=DATA["decision_note_uk"],
        note_en=DATA["decision_note_en"],
        status=Decision.Status.RELEASED,
        decided_by=staff,
        released_at=now - dt.timedelta(days=70),
    )

    project_spec = DATA["project"]
    project = InvestmentProject.objects.create(
        code=project_spec["code"],
        slug=project_spec["code"].lower(),
        title_uk=text["title_uk"],
        title_en=text["title_en"],
        summary_uk=text["summary_uk"],
        summary_en=text["summary_en"],
        description_uk=text["solution_uk"],
        description_en=text["solution_en"],
        problem_uk=text["problem_uk"],
        problem_en=text["problem_en"],
        strategy_area=project_spec["strategy_area"],
        sdgs=project_spec["sdgs"],
        project_sector=project_spec["project_sector"],
        project_type=project_spec["project_type"],
        owner=owner,
        readiness=project_spec["readiness"],
        status=InvestmentProject.Status.FUNDED,
        total_cost=Decimal(project_spec["total_cost"]),
        currency=project_spec["currency"],
        financing_sought=Decimal(project_spec["financing_sought"]),
        financing_currency=project_spec["currency"],
        instruments=project_spec["instruments"],
        published_at=now - dt.timedelta(days=60),
        created_by=officer,
        updated_by=officer,
        source_submission=submission,
    )
    interest = Interest.objects.create(
        project=project,
        investor=investor,
        organization=_organization_of(investor),
        instrument="grant",
        amount=Decimal(DATA["interest_amount"]),
        currency="USD",
        message=DATA["meeting_note"],
        stage=Interest.Stage.FUNDED,
        stage_changed_at=now - dt.timedelta(days=10),
        accepted_at=now - dt.timedelta(days=30),
        accepted_by=officer,
    )
    FundingSource.objects.create(
        project=project,
        source_name=str(interest.organization or DATA["private_investor"]),
        instrument="grant",
        amount=Decimal(DATA["funding_amount"]),
        currency="USD",
        secured_on=timezone.localdate() - dt.timedelta(days=10),
        interest=interest,
    )
    _meeting(
        {
            "requester": investor,
            "requester_organization": _organization_of(investor),
            "recipient": editor,
            "recipient_organization": submitter,
            "submission": submission,
        },
        days_ago=55,
        outcome=Meeting.Outcome.FOLLOW_UP,
    )
    _meeting(
        {
            "requester": investor,
            "requester_organization": _organization_of(investor),
            "recipient": officer,
            "recipient_organization": owner,
            "investment_project": project,
        },
        days_ago=40,
        outcome=Meeting.Outcome.INTEREST,
        interest=interest,
    )
    return f"journey: «{call.title_en}» → {project.code}, 2 meetings, funded"
