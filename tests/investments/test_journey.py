"""The journey's investment steps: a project adopted from an accepted submission and
the funding an expression of interest brought (issue 13)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from investments import permissions, services
from investments.models import FundingSource, Interest, InvestmentProject
from reviews.models import Decision
from tests.factories import UserFactory, accepted_submission
from tests.investments.factories import InterestFactory, ProjectFactory
from tests.reviews.factories import DecisionFactory


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        ({"status": "released", "outcome": "accept"}, True),
        ({"status": "pending", "outcome": "accept"}, False),
        ({"status": "released", "outcome": "decline"}, False),
        ({"status": "released", "outcome": "revise"}, False),
    ],
)
def test_can_create_project_from_only_a_released_acceptance(
    officer, decision, expected
):
    submission = DecisionFactory(**decision).submission

    assert permissions.can_create_project_from(officer, submission) is expected


@pytest.mark.parametrize("role", ["editor", "investor", "reviewer"])
def test_only_the_city_side_adopts_a_submission(db, role):
    submission = accepted_submission()

    assert (
        permissions.can_create_project_from(UserFactory(role=role), submission) is False
    )


def test_project_form_is_prefilled_from_the_submission(client, officer):
    submission = accepted_submission(
        title_en="Smart parking", summary_en="Sensors.", solution_en="An app."
    )
    client.force_login(officer)

    response = client.get(
        reverse("investments:project-create"), {"submission": submission.pk}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["title_uk"] == submission.title_uk
    assert form.initial["title_en"] == "Smart parking"
    assert form.initial["description_en"] == "An app."
    assert form.initial["financing_sought"] == submission.funding_amount
    assert "Smart parking" in response.content.decode()


def test_project_form_for_a_submission_not_accepted_is_404(client, officer):
    pending = DecisionFactory(status=Decision.Status.PENDING).submission
    client.force_login(officer)

    response = client.get(
        reverse("investments:project-create"), {"submission": pending.pk}
    )

    assert response.status_code == 404


def test_create_project_records_the_source_submission(officer):
    submission = accepted_submission()
    template = ProjectFactory.build()
    fields = {
        name: getattr(template, name)
        for name in services.PROJECT_FIELDS
        if name not in ("owner", "place")
    }
    fields["code"] = "KH-JOURNEY-1"
    fields["owner"] = ProjectFactory().owner

    project = services.create_project(
        by=officer, fields=fields, source_submission=submission
    )

    project.refresh_from_db()
    assert project.source_submission == submission
    assert list(submission.investment_projects.all()) == [project]
    assert project.status == InvestmentProject.Status.DRAFT


def test_create_project_from_a_declined_submission_is_refused(officer):
    declined = DecisionFactory(
        status=Decision.Status.RELEASED, outcome=Decision.Outcome.DECLINE
    ).submission

    with pytest.raises(PermissionDenied):
        services.create_project(
            by=officer, fields={"code": "X"}, source_submission=declined
        )

    assert not InvestmentProject.objects.filter(code="X").exists()


def test_funded_stage_records_the_funding_source_linked_to_the_interest(officer):
    interest = InterestFactory(stage=Interest.Stage.LETTER_OF_INTENT)

    services.move_interest(
        interest,
        Interest.Stage.FUNDED,
        by=officer,
        funding={
            "amount": Decimal("250000"),
            "currency": "EUR",
            "secured_on": datetime.date(2026, 11, 30),
        },
    )

    source = FundingSource.objects.get(interest=interest)
    assert source.project == interest.project
    assert (source.amount, source.currency) == (Decimal("250000.00"), "EUR")
    assert source.secured_on == datetime.date(2026, 11, 30)
    assert source.instrument == interest.instrument
    interest.refresh_from_db()
    assert interest.stage == Interest.Stage.FUNDED


def test_funding_at_another_stage_is_refused_and_nothing_moves(officer):
    interest = InterestFactory(stage=Interest.Stage.NEW)

    with pytest.raises(ValidationError) as error:
        services.move_interest(
            interest,
            Interest.Stage.MEETING,
            by=officer,
            funding={"amount": Decimal("1"), "currency": "USD"},
        )

    assert "amount" in error.value.message_dict
    assert not FundingSource.objects.exists()


def test_pipeline_form_records_funding_at_the_final_stage(client, officer):
    interest = InterestFactory(stage=Interest.Stage.LETTER_OF_INTENT)
    client.force_login(officer)

    response = client.post(
        reverse("investments:interest-move", kwargs={"pk": interest.pk}),
        {
            "stage": "funded",
            "amount": "120000",
            "currency": "USD",
            "secured_on": "2026-11-20",
        },
    )

    assert response.status_code == 302
    assert interest.funding_sources.get().amount == Decimal("120000.00")


def test_pipeline_form_refuses_a_future_date_and_saves_nothing(client, officer):
    interest = InterestFactory(stage=Interest.Stage.LETTER_OF_INTENT)
    client.force_login(officer)

    response = client.post(
        reverse("investments:interest-move", kwargs={"pk": interest.pk}),
        {
            "stage": "funded",
            "amount": "1000",
            "currency": "USD",
            "secured_on": "2099-01-01",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["secured_on"]
    interest.refresh_from_db()
    assert interest.stage == Interest.Stage.LETTER_OF_INTENT
    assert not FundingSource.objects.exists()


def test_editing_the_project_keeps_the_funding_link(officer):
    interest = InterestFactory()
    source = services.record_funding(
        interest, by=officer, amount=Decimal("1000"), currency="USD"
    )
    project = interest.project
    row = {
        "source_name": source.source_name,
        "instrument": source.instrument,
        "amount": Decimal("1000.00"),
        "currency": "USD",
        "secured_on": None,
    }

    services._replace_parts(project, "funding_sources", [row])

    assert FundingSource.objects.get(project=project).interest == interest


def test_funding_from_a_private_investor_does_not_publish_their_name(officer):
    interest = InterestFactory(organization=None)
    interest.investor.full_name = "David Private"
    interest.investor.save()

    with translation.override("en"):
        source = services.record_funding(
            interest, by=officer, amount=Decimal("5000"), currency="USD"
        )

    assert source.source_name == "Private investor"


def test_api_move_to_funded_records_the_funding(client, officer):
    interest = InterestFactory(stage=Interest.Stage.LETTER_OF_INTENT)
    client.force_login(officer)

    response = client.post(
        reverse("api:investment-interest-move", kwargs={"pk": interest.pk}),
        {
            "stage": "funded",
            "funding": {"amount": "300000", "currency": "EUR", "secured_on": None},
        },
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["stage"] == "funded"
    source = interest.funding_sources.get()
    assert (source.amount, source.currency) == (Decimal("300000.00"), "EUR")


def test_api_funding_at_another_stage_is_a_400(client, officer):
    interest = InterestFactory()
    client.force_login(officer)

    response = client.post(
        reverse("api:investment-interest-move", kwargs={"pk": interest.pk}),
        {"stage": "meeting", "funding": {"amount": "1", "currency": "USD"}},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "amount" in response.json()["errors"]
    assert not FundingSource.objects.exists()
