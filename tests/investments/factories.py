import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role
from investments.models import (
    BudgetLine,
    ExchangeRate,
    FundingSource,
    Indicator,
    Interest,
    InvestmentProject,
    InvestorVerification,
    ProjectDocument,
)
from tests.factories import OrganizationFactory, UserFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvestmentProject

    code = factory.Sequence(lambda n: f"KH-SC-{n:04d}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    title_uk = factory.Sequence(lambda n: f"Розумне освітлення вулиць {n}")
    title_en = factory.Sequence(lambda n: f"Smart street lighting {n}")
    summary_uk = "Заміна ліхтарів на світлодіодні з дистанційним керуванням."
    summary_en = "Replacing street lights with remotely managed LED lamps."
    description_uk = "Опис."
    description_en = "Description."
    problem_uk = "Високі витрати на електроенергію."
    problem_en = "High electricity costs."
    strategy_area = InvestmentProject.StrategyArea.ENERGY_EFFICIENCY
    sdgs = factory.LazyFunction(lambda: [7, 11])
    project_sector = factory.LazyFunction(lambda: ["energy"])
    project_type = InvestmentProject.ProjectType.REPLACEMENT
    owner = factory.SubFactory(
        OrganizationFactory,
        kind="city_body",
        name_uk=factory.Sequence(lambda n: f"Департамент {n}"),
    )
    readiness = InvestmentProject.Readiness.CONCEPT
    status = InvestmentProject.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    total_cost = Decimal("1000000.00")
    currency = "USD"
    financing_sought = Decimal("800000.00")
    financing_currency = "USD"
    instruments = factory.LazyFunction(lambda: ["loan", "grant"])
    latitude = Decimal("49.993500")
    longitude = Decimal("36.230400")
    starts_on = datetime.date(2027, 1, 1)
    ends_on = datetime.date(2028, 6, 30)


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    project = factory.SubFactory(ProjectFactory)
    category = BudgetLine.Category.EQUIPMENT
    kind = BudgetLine.Kind.CAPEX
    amount = Decimal("1000000.00")
    currency = "USD"


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource

    project = factory.SubFactory(ProjectFactory)
    source_name = "City budget"
    instrument = "grant"
    amount = Decimal("200000.00")
    currency = "USD"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    project = factory.SubFactory(ProjectFactory)
    name_uk = "Економія електроенергії"
    name_en = "Electricity saved"
    unit = "MWh/yr"
    target = Decimal("1200")
    target_year = 2028


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectDocument

    project = factory.SubFactory(ProjectFactory)
    title_uk = factory.Sequence(lambda n: f"Документ {n}")
    title_en = factory.Sequence(lambda n: f"Document {n}")
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 test", name="doc.pdf"))
    original_name = "doc.pdf"
    document_type = "feasibilityStudy"
    access = ProjectDocument.Access.OPEN


class RateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate
        django_get_or_create = ("currency", "rate_date")

    currency = "USD"
    rate_date = datetime.date(2026, 11, 27)
    uah_per_unit = Decimal("41.500000")
    source = "NBU"


def investor_user(verified: bool = True, **kwargs):
    user = UserFactory(role=Role.INVESTOR, **kwargs)
    InvestorVerification.objects.create(
        user=user,
        status=InvestorVerification.Status.VERIFIED
        if verified
        else InvestorVerification.Status.PENDING,
    )
    return user


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest

    project = factory.SubFactory(ProjectFactory)
    investor = factory.LazyFunction(investor_user)
    instrument = "loan"
    amount = Decimal("500000")
    currency = "USD"
    message = "We would like to discuss a loan."
    stage = Interest.Stage.NEW
    stage_changed_at = factory.LazyFunction(timezone.now)
