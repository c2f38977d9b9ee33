"""Demo data of this app, loaded by `manage.py seed_demo` (MIST_DEMO_SEEDERS).

An open call of the Albuquerque sister-city committee with a five-criterion rubric,
and eight submissions of demo Kharkiv organizations (some in Ukrainian only, some
in both languages; six submitted, two drafts). Idempotent: a second run changes
nothing.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.queries import edited_organization_ids
from core.demo_data import load_demo_data
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
DATA = load_demo_data(__file__)
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


@transaction.atomic
def seed_demo() -> str:
    """Create the app's demo data once; return a one-line summary for the console."""
    if Call.objects.filter(slug=CALL_SLUG).exists():
        return "exchange: demo call already present"
    staff = User.objects.filter(role=Role.STAFF).order_by("pk").first()
    now = timezone.now()
    call = Call.objects.create(
        organizer=_committee(),
        **DATA["call"],
        opens_at=now - datetime.timedelta(days=10),
        closes_at=(now + datetime.timedelta(days=30)).replace(
            minute=0, second=0, microsecond=0
        ),
        reviews_per_submission=2,
        is_blind=True,
        phase=Call.Phase.SUBMISSION,
        created_by=staff,
    )
    CallPhase.objects.bulk_create(
        [CallPhase.default_for(call, phase) for phase in PHASE_ORDER]
    )
    CallPhase.objects.filter(call=call, phase=Call.Phase.REVIEW).update(
        starts_at=call.closes_at
    )
    Criterion.objects.bulk_create(
        Criterion(
            call=call,
            **criterion | {"weight": Decimal(criterion["weight"])},
            position=position,
        )
        for position, criterion in enumerate(DATA["criteria"])
    )
    submissions = DATA["submissions"]
    texts = DATA["submission_texts"]
    organizations = _local_organizations(len(submissions))
    editor = User.objects.filter(email="editor@mist.local").first()
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
        amount = spec["funding_amount"]
        is_draft = index >= 6
        if is_draft and editor_orgs and index == 7:
            organization = Organization.objects.get(pk=editor_orgs[0])
        both = bool(spec["title_en"])
        submission = Submission(
            call=call,
            organization=organization,
            created_by=editor if organization.pk in editor_orgs else None,
            title_uk=spec["title_uk"],
            title_en=spec["title_en"],
            summary_uk=spec["summary_uk"],
            summary_en=spec["summary_en"],
            problem_uk=texts["problem_uk"],
            problem_en=texts["problem_en"] if both else "",
            solution_uk=texts["solution_uk"],
            solution_en=texts["solution_en"] if both else "",
            team_uk=texts["team_uk"],
            team_en=texts["team_en"] if both else "",
            stage=spec["stage"],
            asks=spec["asks"],
            funding_amount=Decimal(amount) if amount else None,
            funding_currency="USD" if amount else "",
            links=[f"https://{organization.slug}.example"],
            status=Submission.Status.DRAFT if is_draft else Submission.Status.SUBMITTED,
            submitted_at=None if is_draft else now - datetime.timedelta(days=8 - index),
            english_needed=not both and not is_draft and index == 2,
            version=0 if is_draft else 1,
        )
        origin = {
            "origin": "submitter",
            "by": None,
            "by_name": "",
            "at": now.isoformat(),
        }
        languages = ("uk", "en") if both else ("uk",)
        submission.provenance = dict.fromkeys(
            (f"{field}_{lang}" for field in TEXT_FIELDS for lang in languages), origin
        )
        submission.save()
        if not is_draft:
            SubmissionVersion.objects.create(
                submission=submission, number=1, content=submission.snapshot()
            )
        made += 1
    criteria = len(DATA["criteria"])
    return f"exchange: 1 call, {criteria} criteria, {made} submissions"
