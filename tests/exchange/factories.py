"""Factories of the exchange's models."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from exchange.models import (
    PHASE_ORDER,
    Call,
    CallPhase,
    Criterion,
    Submission,
)
from tests.factories import OrganizationFactory


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        skip_postgeneration_save = True

    organizer = factory.SubFactory(
        OrganizationFactory, kind="foreign_partner", country="US"
    )
    title_uk = factory.Sequence(lambda n: f"Конкурс {n}")
    title_en = factory.Sequence(lambda n: f"Call {n}")
    description_uk = "Опис конкурсу."
    description_en = "About the call."
    eligibility_uk = "Верифіковані організації Харкова."
    eligibility_en = "Verified Kharkiv organizations."
    slug = factory.Sequence(lambda n: f"call-{n}")
    time_zone = "America/Denver"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=30)
    )
    phase = Call.Phase.SUBMISSION

    @factory.post_generation
    def with_phases(obj, create, extracted, **kwargs):
        if create:
            CallPhase.objects.bulk_create(
                [CallPhase.default_for(obj, phase) for phase in PHASE_ORDER]
            )


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    name_uk = factory.Sequence(lambda n: f"Критерій {n}")
    name_en = factory.Sequence(lambda n: f"Criterion {n}")
    position = factory.Sequence(lambda n: n)


COMPLETE = {
    "title_uk": "Розумне паркування",
    "summary_uk": "Датчики паркування для центру Харкова.",
    "problem_uk": "Водії шукають місце по 20 хвилин.",
    "solution_uk": "Датчики і застосунок.",
    "team_uk": "П'ять інженерів.",
    "stage": Submission.Stage.PROTOTYPE,
    "asks": ["funding", "pilot"],
    "funding_amount": Decimal("50000.00"),
    "funding_currency": "USD",
}


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    call = factory.SubFactory(CallFactory)
    organization = factory.SubFactory(OrganizationFactory, kind="startup")
    title_uk = COMPLETE["title_uk"]
    summary_uk = COMPLETE["summary_uk"]
    problem_uk = COMPLETE["problem_uk"]
    solution_uk = COMPLETE["solution_uk"]
    team_uk = COMPLETE["team_uk"]
    stage = COMPLETE["stage"]
    asks = factory.LazyFunction(lambda: list(COMPLETE["asks"]))
    funding_amount = COMPLETE["funding_amount"]
    funding_currency = "USD"
    status = Submission.Status.DRAFT
