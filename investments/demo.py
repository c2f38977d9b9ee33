"""Demo data of this app, loaded by `manage.py seed_demo` (MIST_DEMO_SEEDERS).

Twelve Kharkiv Smart City and reconstruction projects, published, with budget lines,
funding, indicators and documents; the demo investor verified, with two interests.
Idempotent: projects are keyed by code and left alone when they exist.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from core import demo
from directory.models import Organization, Place
from investments.models import (
    BudgetLine,
    ExchangeRate,
    FundingSource,
    Indicator,
    Interest,
    InvestmentProject,
    InvestorVerification,
    ProjectChange,
    ProjectDocument,
)

D = Decimal
# Projects (with their district, indicators), budget split, documents per readiness,
# exchange rates and interests.
DATA = demo.load(__file__)
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids"
    b"[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
    b">>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _owner(name_en: str) -> Organization:
    owner = Organization.objects.filter(name_en=name_en).first()
    if owner is None:
        owner = Organization.objects.filter(
            kind__in=[
                Organization.Kind.CITY_BODY,
                Organization.Kind.COMMUNAL_ENTERPRISE,
            ]
        ).first()
    if owner is None:
        fallback = DATA["fallback_owner"]
        owner, _ = Organization.objects.get_or_create(
            slug=fallback["slug"],
            defaults={
                "name_uk": fallback["name_uk"],
                "name_en": fallback["name_en"],
                "kind": Organization.Kind.CITY_BODY,
                "verification": Organization.Verification.VERIFIED,
                "is_demo": True,
            },
        )
    return owner


def _rates() -> None:
    today = timezone.localdate()
    for rate in DATA["exchange_rates"]:
        if not ExchangeRate.objects.filter(currency=rate["currency"]).exists():
            demo.create(ExchangeRate, rate, rate_date=today)


def _project(index: int, row: dict, now, officer) -> InvestmentProject:
    """The project of `row` (the index-th), published, with a unique slug."""
    from investments import services

    district = DATA["districts"][row["district"]]
    fields = {
        k: v for k, v in row.items() if k not in ("owner", "district", "indicators")
    }
    ready = row["readiness"] in ("ready_for_procurement", "implementation")
    project = InvestmentProject(
        **demo.values(
            InvestmentProject,
            DATA["project"] | fields,
            now=now,
            description_uk=row["summary_uk"] + " " + row["problem_uk"],
            description_en=row["summary_en"] + " " + row["problem_en"],
            owner=_owner(row["owner"]),
            place=Place.objects.filter(code=district["place"]).first(),
            latitude=district["latitude"],
            longitude=district["longitude"],
            financing_currency=row["currency"],
            ends_on=DATA["ends_on"][index % 2],
            dream_ids=[f"DREAM-KH-{2026_0000 + index + 1}"],
            prozorro_ids=[f"UA-2026-0{index % 9 + 1}-15-00{index + 1:04d}-a"]
            if ready
            else [],
            published_at=now - datetime.timedelta(days=30 - index),
            created_by=officer,
            updated_by=officer,
        )
    )
    project.slug = services._unique_slug(project)
    project.save()
    return project


def _details(project: InvestmentProject, row: dict, officer) -> None:
    """The project's budget lines, other funding, indicators, documents and history."""
    from investments import services

    total, currency = project.total_cost, project.currency
    BudgetLine.objects.bulk_create(
        BudgetLine(
            project=project,
            category=line["category"],
            kind=line["kind"],
            amount=(total * D(line["share"])).quantize(D("1")),
            currency=currency,
        )
        for line in DATA["budget_split"]
    )
    if total > project.financing_sought:
        amount = total - project.financing_sought
        demo.create(
            FundingSource,
            DATA["funding_source"],
            project=project,
            amount=amount,
            currency=currency,
        )
    Indicator.objects.bulk_create(
        Indicator(**demo.values(Indicator, indicator, project=project))
        for indicator in row["indicators"]
    )
    for spec in DATA["documents"].get(project.readiness, []):
        name = f"{project.code}-{spec['document_type']}.pdf"
        document = ProjectDocument(
            project=project,
            **spec,
            original_name=name,
            size=len(TINY_PDF),
            uploaded_by=officer,
        )
        document.file.save(name, ContentFile(TINY_PDF), save=True)
    ProjectChange.objects.create(
        project=project, kind=ProjectChange.Kind.CREATED, changed_by=officer, version=1
    )
    services.refresh_quality(project)


def _interests(investor, now) -> int:
    """The demo investor, verified, and their expressions of interest."""
    InvestorVerification.objects.get_or_create(
        user=investor,
        defaults={
            "status": InvestorVerification.Status.VERIFIED,
            "decided_at": now,
            "note": DATA["investor_note"],
        },
    )
    made = 0
    for spec in DATA["interests"]:
        project = InvestmentProject.objects.filter(code=spec["project"]).first()
        if project is None:
            continue
        accepted = now if spec["accepted"] else None
        defaults = demo.values(
            Interest,
            DATA["interest"],
            now=now,
            instrument=spec["instrument"],
            amount=spec["amount"],
            stage=spec["stage"],
            accepted_at=accepted,
            terms_confirmed_at=accepted,
        )
        _interest, created = Interest.objects.get_or_create(
            project=project, investor=investor, defaults=defaults
        )
        made += int(created)
    return made


@transaction.atomic
def seed_demo() -> str:
    """Create the app's demo data once; return a one-line summary for the console."""
    _rates()
    officer = demo.user("officer@mist.local")
    investor = demo.user("investor@mist.local")
    now = timezone.now()
    created = 0
    for index, row in enumerate(DATA["projects"]):
        if not InvestmentProject.objects.filter(code=row["code"]).exists():
            _details(_project(index, row, now, officer), row, officer)
            created += 1
    interests = 0
    if investor is not None and investor.role == Role.INVESTOR:
        interests = _interests(investor, now)
    return f"investments: {created} projects, {interests} interests"
