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

from accounts.models import Membership, Role, User
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

CALL_SLUG = "albuquerque-kharkiv-2027"
PROBLEM = (
    "Місто втратило частину інфраструктури; мешканцям бракує даних і послуг.",
    "The city lost part of its infrastructure; residents lack data and services.",
)
COMMITTEE_EN = "Albuquerque–Kharkiv Sister City Committee"

CRITERIA = (
    ("Суспільна користь", "Public benefit", "2.00", True, True),
    ("Технічна здійсненність", "Technical feasibility", "1.50", True, True),
    ("Команда", "Team", "1.00", True, True),
    (
        "Потенціал співпраці з Альбукерке",
        "Potential for Albuquerque ties",
        "1.00",
        False,
        True,
    ),
    ("Якість презентації", "Quality of the presentation", "0.00", False, False),
)

# (title uk, title en or "", summary uk, summary en or "", stage, asks, amount)
PROJECTS = (
    (
        "Розумні зупинки",
        "Smart bus stops",
        "Табло з реальним часом прибуття для 300 зупинок Харкова.",
        "Real-time arrival boards for 300 Kharkiv bus stops.",
        "prototype",
        ["funding", "pilot"],
        "120000",
    ),
    (
        "Телемедицина для прифронтових громад",
        "Telemedicine for frontline communities",
        "Відеоконсультації лікарів для сіл Харківщини.",
        "Video consultations with doctors for villages of the Kharkiv region.",
        "mvp",
        ["partners", "funding"],
        "80000",
    ),
    (
        "Карта укриттів",
        "",
        "Відкрита карта укриттів з відгуками мешканців.",
        "",
        "growth",
        ["market_access"],
        None,
    ),
    (
        "Цифрова школа програмування",
        "Digital coding school",
        "Безкоштовні курси програмування для підлітків-переселенців.",
        "Free coding courses for displaced teenagers.",
        "growth",
        ["mentoring", "partners"],
        None,
    ),
    (
        "Моніторинг якості повітря",
        "",
        "Мережа недорогих датчиків якості повітря у кожному районі.",
        "",
        "prototype",
        ["funding"],
        "45000",
    ),
    (
        "Енергоаудит шкіл",
        "School energy audits",
        "Датчики і звіти, що зменшують витрати шкіл на опалення.",
        "Sensors and reports that cut schools' heating costs.",
        "idea",
        ["pilot", "mentoring"],
        None,
    ),
    (
        "Платформа волонтерів",
        "",
        "Застосунок, що зводить волонтерів і запити громад.",
        "",
        "mvp",
        ["partners"],
        None,
    ),
    (
        "Відбудова: облік пошкоджень",
        "Damage registry for reconstruction",
        "Облік пошкоджених будівель з фото та оцінкою вартості.",
        "A registry of damaged buildings with photos and cost estimates.",
        "prototype",
        ["funding", "market_access"],
        "150000",
    ),
)


def _committee() -> Organization:
    committee = Organization.objects.filter(name_en=COMMITTEE_EN).first()
    if committee:
        return committee
    return Organization.objects.create(
        name_uk="Комітет міст-побратимів Альбукерке — Харків",
        name_en=COMMITTEE_EN,
        slug="albuquerque-kharkiv-sister-city-committee",
        kind=Organization.Kind.FOREIGN_PARTNER,
        country="US",
        locality="Albuquerque, New Mexico",
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
        slug=CALL_SLUG,
        title_uk="Харків — Альбукерке 2027: проєкти для міст-побратимів",
        title_en="Kharkiv–Albuquerque 2027: projects for sister cities",
        description_uk=(
            "Комітет міст-побратимів шукає проєкти харківських команд, які "
            "допоможуть місту відбудуватися і яким потрібні партнери у США: "
            "менторство, пілоти, фінансування."
        ),
        description_en=(
            "The sister-city committee looks for projects of Kharkiv teams that help "
            "the city rebuild and need partners in the US: mentoring, pilots, funding."
        ),
        eligibility_uk="Верифіковані організації Харкова та області.",
        eligibility_en="Verified organizations of Kharkiv and its region.",
        time_zone="America/Denver",
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
            name_uk=uk,
            name_en=en,
            weight=Decimal(weight),
            is_required=required,
            counts_toward_total=counts,
            position=position,
        )
        for position, (uk, en, weight, required, counts) in enumerate(CRITERIA)
    )
    organizations = _local_organizations(len(PROJECTS))
    editor = User.objects.filter(email="editor@mist.local").first()
    editor_orgs = (
        list(
            Membership.objects.filter(user=editor, is_editor=True).values_list(
                "organization_id", flat=True
            )
        )
        if editor
        else []
    )
    made = 0
    for index, (project, organization) in enumerate(
        zip(PROJECTS, organizations, strict=False)
    ):
        title_uk, title_en, summary_uk, summary_en, stage, asks, amount = project
        is_draft = index >= 6
        if is_draft and editor_orgs and index == 7:
            organization = Organization.objects.get(pk=editor_orgs[0])
        both = bool(title_en)
        submission = Submission(
            call=call,
            organization=organization,
            created_by=editor if organization.pk in editor_orgs else None,
            title_uk=title_uk,
            title_en=title_en,
            summary_uk=summary_uk,
            summary_en=summary_en,
            problem_uk=PROBLEM[0],
            problem_en=PROBLEM[1] if both else "",
            solution_uk="Відкрите рішення, яке команда вже перевірила з мешканцями.",
            solution_en="An open solution the team already tested with residents."
            if both
            else "",
            team_uk="Команда з п'яти інженерів і менеджера проєкту.",
            team_en="A team of five engineers and a project manager." if both else "",
            stage=stage,
            asks=asks,
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
    return f"exchange: 1 call, {len(CRITERIA)} criteria, {made} submissions"
