"""Demo data of the joined journey, loaded by `manage.py seed_demo` (MIST_DEMO_SEEDERS,
after every app it joins).

One initiative end to end: a call whose results are published, a submission it
accepted (two reviews, a released decision), the investment project the city adopted
from it, a meeting about the submission and one about the project (outcomes from
both sides), the investor's expression of interest that followed, funded, and the
funding source it brought. Idempotent: keyed by the call's address.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.queries import edited_organization_ids
from core import demo

DATA = demo.load(__file__)
# The project's texts, copied from the submission it came from: field → source.
PROJECT_TEXTS = {
    "title": "title",
    "summary": "summary",
    "description": "solution",
    "problem": "problem",
}


def _organization_of(user):
    """The first organization `user` edits (the one source of who acts for what)."""
    from directory.models import Organization

    return (
        Organization.objects.filter(pk__in=edited_organization_ids(user))
        .order_by("pk")
        .first()
    )


def _people() -> dict:
    """The demo users and organizations the journey refers to ("@key" in the data)."""
    from directory.models import Organization

    Kind = Organization.Kind
    editor = demo.user("editor@mist.local", Role.EDITOR)
    investor = demo.user("investor@mist.local", Role.INVESTOR)
    by_kind = Organization.objects.order_by("pk")
    return {
        "editor": editor,
        "investor": investor,
        "officer": demo.user("officer@mist.local", Role.CITY_OFFICER),
        "staff": demo.user("staff@mist.local", Role.STAFF),
        "submitter": _organization_of(editor) if editor else None,
        "investor_organization": _organization_of(investor) if investor else None,
        "organizer": by_kind.filter(kind=Kind.FOREIGN_PARTNER).first(),
        "owner": by_kind.filter(
            kind__in=[Kind.CITY_BODY, Kind.COMMUNAL_ENTERPRISE]
        ).first(),
    }


def _reviews(refs: dict, now) -> None:
    """Two reviewers of the call, each with a submitted review of the submission."""
    from reviews.models import Assignment, CallReviewer, Review

    reviewers = User.objects.filter(role=Role.REVIEWER).order_by("pk")[:2]
    for reviewer, comments in zip(reviewers, DATA["review_comments"], strict=False):
        call_reviewer = CallReviewer.objects.create(
            call=refs["call"],
            user=reviewer,
            invited_by=refs["staff"],
            accepted_at=now,
            languages=["uk", "en"],
        )
        assignment = Assignment.objects.create(
            submission=refs["submission"],
            call_reviewer=call_reviewer,
            source=Assignment.Source.MANUAL,
            no_conflict_confirmed_at=now,
        )
        demo.create(
            Review,
            DATA["review"],
            now=now,
            assignment=assignment,
            comments_to_submitters=comments,
        )


def _meeting(spec: dict, refs: dict):
    """An accepted request and its meeting, both sides' outcomes given a day later."""
    from meetings.models import Meeting, MeetingRequest

    fields = demo.values(Meeting, spec["meeting"], refs)
    start, outcome = fields["starts_at"], fields["outcome"]
    request = demo.create(
        MeetingRequest,
        spec["request"],
        refs,
        message=DATA["meeting_note"],
        status=MeetingRequest.Status.ACCEPTED,
        responded_at=start - dt.timedelta(days=3),
    )
    after = start + dt.timedelta(days=1)
    return Meeting.objects.create(
        **fields,
        request=request,
        ends_at=start + dt.timedelta(minutes=45),
        requester_outcome=outcome,
        recipient_outcome=outcome,
        requester_outcome_at=after,
        recipient_outcome_at=after,
        outcome_reminded_at=after,
        outcome_note=DATA["meeting_note"],
    )


@transaction.atomic
def seed_demo() -> str:
    """Create the demo journey once; return a one-line summary for the console."""
    from exchange.models import PHASE_ORDER, Call, CallPhase, Submission
    from investments.models import FundingSource, Interest, InvestmentProject
    from reviews.models import Decision

    if Call.objects.filter(slug=DATA["call"]["slug"]).exists():
        return "journey: already there"
    refs = _people()
    needed = ("editor", "investor", "officer", "submitter", "organizer", "owner")
    if any(refs[key] is None for key in needed):
        return "journey: demo users or organizations missing; nothing made"
    now = timezone.now()
    refs["call"] = call = demo.create(Call, DATA["call"], refs, now)
    CallPhase.objects.bulk_create(
        [CallPhase.default_for(call, phase) for phase in PHASE_ORDER]
    )
    text = DATA["submission"]
    refs["submission"] = demo.create(Submission, text, refs, now)
    _reviews(refs, now)
    demo.create(Decision, DATA["decision"], refs, now)
    copied = {
        f"{field}_{lang}": text[f"{source}_{lang}"]
        for field, source in PROJECT_TEXTS.items()
        for lang in ("uk", "en")
    }
    refs["project"] = project = demo.create(
        InvestmentProject, DATA["project"], refs, now, **copied
    )
    refs["interest"] = interest = demo.create(Interest, DATA["interest"], refs, now)
    source_name = str(interest.organization or DATA["private_investor"])
    demo.create(FundingSource, DATA["funding_source"], refs, source_name=source_name)
    for spec in DATA["meetings"]:
        _meeting(spec, refs)
    return f"journey: «{call.title_en}» → {project.code}, 2 meetings, funded"
