"""Demo data of this app, loaded by `manage.py seed_demo` (MIST_DEMO_SEEDERS).

An open call of the Albuquerque sister-city committee with a five-criterion rubric,
and eight submissions of demo Kharkiv organizations (some in Ukrainian only, some
in both languages; six submitted, two drafts). Idempotent: a second run changes
nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.queries import edited_organization_ids
from core import demo
from directory.models import Organization
from exchange.models import (
    PHASE_ORDER,
    TEXT_FIELDS,
    Call,
    CallPhase,
    Criterion,
    Submission,
    SubmissionVersion,
)

# The committee, its call, the call's criteria and the submissions (an empty
# title_en: a submission in Ukrainian only).
DATA = demo.load(__file__)
CALL_SLUG = DATA["call"]["slug"]


def _committee() -> Organization:
    spec = DATA["committee"]
    committee = Organization.objects.filter(name_en=spec["name_en"]).first()
    if committee:
        return committee
    return Organization.objects.create(
        **spec,
        kind=Organization.Kind.FOREIGN_PARTNER,
        verification=Organization.Verification.VERIFIED,
        verified_at=timezone.now(),
        is_demo=True,
    )


def _local_organizations(count: int) -> list[Organization]:
    """Demo Kharkiv organizations that may submit: startups first."""
    base = Organization.objects.alive().filter(
        is_demo=True, country="UA", verification=Organization.Verification.VERIFIED
    )
    found = list(base.filter(kind=Organization.Kind.STARTUP).order_by("slug")[:count])
    if len(found) < count:
        more = base.exclude(pk__in=[o.pk for o in found]).order_by("slug")
        found += list(more[: count - len(found)])
    return found


def _call(now, staff) -> Call:
    """The open call with its phases (review starts when it closes) and criteria."""
    closes = (now + datetime.timedelta(days=30)).replace(
        minute=0, second=0, microsecond=0
    )
    call = demo.create(
        Call,
        DATA["call"],
        now=now,
        organizer=_committee(),
        closes_at=closes,
        created_by=staff,
    )
    CallPhase.objects.bulk_create(
        [CallPhase.default_for(call, phase) for phase in PHASE_ORDER]
    )
    CallPhase.objects.filter(call=call, phase=Call.Phase.REVIEW).update(
        starts_at=call.closes_at
    )
    Criterion.objects.bulk_create(
        Criterion(**demo.values(Criterion, criterion), call=call, position=position)
        for position, criterion in enumerate(DATA["criteria"])
    )
    return call


def _submission(call, index: int, spec: dict, organization, created_by, now) -> None:
    """The index-th submission: the first six submitted, the last two drafts; one
    with an empty title_en is in Ukrainian only."""
    is_draft = index >= 6
    both = bool(spec["title_en"])
    languages = ("uk", "en") if both else ("uk",)
    texts = {
        f"{field}_{lang}": DATA["submission_texts"][f"{field}_{lang}"]
        if lang in languages
        else ""
        for field in ("problem", "solution", "team")
        for lang in ("uk", "en")
    }
    amount = spec["funding_amount"]
    submission = Submission(
        **demo.values(Submission, spec | texts, funding_amount=amount or None),
        call=call,
        organization=organization,
        created_by=created_by,
        funding_currency="USD" if amount else "",
        links=[f"https://{organization.slug}.example"],
        status=Submission.Status.DRAFT if is_draft else Submission.Status.SUBMITTED,
        submitted_at=None if is_draft else now - datetime.timedelta(days=8 - index),
        english_needed=not both and not is_draft and index == 2,
        version=0 if is_draft else 1,
    )
    origin = {"origin": "submitter", "by": None, "by_name": "", "at": now.isoformat()}
    submission.provenance = dict.fromkeys(
        (f"{field}_{lang}" for field in TEXT_FIELDS for lang in languages), origin
    )
    submission.save()
    if not is_draft:
        SubmissionVersion.objects.create(
            submission=submission, number=1, content=submission.snapshot()
        )


@transaction.atomic
def seed_demo() -> str:
    """Create the app's demo data once; return a one-line summary for the console."""
    if Call.objects.filter(slug=CALL_SLUG).exists():
        return "exchange: demo call already present"
    staff = User.objects.filter(role=Role.STAFF).order_by("pk").first()
    now = timezone.now()
    call = _call(now, staff)
    submissions = DATA["submissions"]
    organizations = _local_organizations(len(submissions))
    editor = demo.user("editor@mist.local")
    # The organizations the demo editor was given, in the order given (by slug).
    editor_orgs = list(
        Organization.objects.filter(pk__in=edited_organization_ids(editor))
        .order_by("slug")
        .values_list("pk", flat=True)
    )
    made = 0
    for index, (spec, organization) in enumerate(
        zip(submissions, organizations, strict=False)
    ):
        # The last draft is the demo editor's own.
        if index == 7 and editor_orgs:
            organization = Organization.objects.get(pk=editor_orgs[0])
        created_by = editor if organization.pk in editor_orgs else None
        _submission(call, index, spec, organization, created_by, now)
        made += 1
    criteria = len(DATA["criteria"])
    return f"exchange: 1 call, {criteria} criteria, {made} submissions"
