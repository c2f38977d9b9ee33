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

from accounts.models import Role, User
from core.demo_data import load_demo_data
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
DATA = load_demo_data(__file__)
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
            ExchangeRate.objects.create(
                currency=rate["currency"],
                rate_date=today,
                uah_per_unit=D(rate["uah_per_unit"]),
                source=DATA["exchange_rate_source"],
            )


@transaction.atomic
def seed_demo() -> str:
    """Create the app's demo data once; return a one-line summary for the console."""
    from investments import services

    _rates()
    officer = User.objects.filter(email="officer@mist.local").first()
    investor = User.objects.filter(email="investor@mist.local").first()
    created = 0
    now = timezone.now()
    texts = DATA["project_texts"]
    for index, row in enumerate(DATA["projects"]):
        code, currency = row["code"], row["currency"]
        total, sought = D(row["total_cost"]), D(row["financing_sought"])
        if InvestmentProject.objects.filter(code=code).exists():
            continue
        district = DATA["districts"][row["district"]]
        project = InvestmentProject(
            code=code,
            title_uk=row["title_uk"],
            title_en=row["title_en"],
            summary_uk=row["summary_uk"],
            summary_en=row["summary_en"],
            description_uk=row["summary_uk"] + " " + row["problem_uk"],
            description_en=row["summary_en"] + " " + row["problem_en"],
            problem_uk=row["problem_uk"],
            problem_en=row["problem_en"],
            strategy_area=row["strategy_area"],
            sdgs=row["sdgs"],
            project_sector=row["project_sector"],
            project_type=row["project_type"],
            owner=_owner(row["owner"]),
            place=Place.objects.filter(code=district["place"]).first(),
            latitude=D(district["latitude"]),
            longitude=D(district["longitude"]),
            readiness=row["readiness"],
            status=InvestmentProject.Status.PUBLISHED,
            total_cost=total,
            currency=currency,
            financing_sought=sought,
            financing_currency=currency,
            instruments=row["instruments"],
            starts_on=datetime.date(2027, 3, 1),
            ends_on=datetime.date(2029, 12, 31)
            if index % 2
            else datetime.date(2028, 10, 31),
            risks_uk=texts["risks_uk"],
            risks_en=texts["risks_en"],
            dream_ids=[f"DREAM-KH-{2026_0000 + index + 1}"],
            prozorro_ids=[f"UA-2026-0{index % 9 + 1}-15-00{index + 1:04d}-a"]
            if row["readiness"] in ("ready_for_procurement", "implementation")
            else [],
            contact_name=texts["contact_name"],
            contact_email=texts["contact_email"],
            contact_phone=texts["contact_phone"],
            published_at=now - datetime.timedelta(days=30 - index),
            created_by=officer,
            updated_by=officer,
            is_demo=True,
        )
        project.slug = services._unique_slug(project)
        project.save()
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
        if total > sought:
            FundingSource.objects.create(
                project=project,
                source_name=texts["funding_source_name"],
                instrument="grant",
                amount=total - sought,
                currency=currency,
                secured_on=datetime.date(2026, 9, 1),
            )
        Indicator.objects.bulk_create(
            Indicator(
                project=project,
                **indicator
                | {
                    "baseline": D(indicator["baseline"]),
                    "target": D(indicator["target"]),
                },
            )
            for indicator in row["indicators"]
        )
        for spec in DATA["documents"].get(row["readiness"], []):
            document_type = spec["document_type"]
            document = ProjectDocument(
                project=project,
                **spec,
                original_name=f"{code}-{document_type}.pdf",
                size=len(TINY_PDF),
                uploaded_by=officer,
            )
            document.file.save(
                f"{code}-{document_type}.pdf", ContentFile(TINY_PDF), save=True
            )
        ProjectChange.objects.create(
            project=project,
            kind=ProjectChange.Kind.CREATED,
            changed_by=officer,
            version=1,
        )
        services.refresh_quality(project)
        created += 1

    interests = 0
    if investor is not None and investor.role == Role.INVESTOR:
        InvestorVerification.objects.get_or_create(
            user=investor,
            defaults={
                "status": InvestorVerification.Status.VERIFIED,
                "decided_at": now,
                "note": DATA["investor_note"],
            },
        )
        for interest in DATA["interests"]:
            accepted = interest["accepted"]
            project = InvestmentProject.objects.filter(code=interest["project"]).first()
            if project is None:
                continue
            _interest, made = Interest.objects.get_or_create(
                project=project,
                investor=investor,
                defaults={
                    "instrument": interest["instrument"],
                    "amount": D(interest["amount"]),
                    "currency": "USD",
                    "message": DATA["interest_message"],
                    "stage": interest["stage"],
                    "stage_changed_at": now - datetime.timedelta(days=9),
                    "accepted_at": now if accepted else None,
                    "terms_confirmed_at": now if accepted else None,
                },
            )
            interests += int(made)
    return f"investments: {created} projects, {interests} interests"
