import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.concurrency import StaleVersionError
from core.models import AuditEntry
from investments import services
from investments.models import Interest, InvestmentProject, ProjectChange
from tests.factories import OrganizationFactory
from tests.investments.factories import InterestFactory, ProjectFactory

pytestmark = pytest.mark.django_db
Status = InvestmentProject.Status


def _fields(**overrides):
    owner = OrganizationFactory(kind="city_body")
    fields = {
        "code": "KH-NEW-1",
        "title_uk": "Розумні зупинки",
        "title_en": "Smart bus stops",
        "summary_uk": "Зупинки з табло.",
        "summary_en": "Stops with arrival displays.",
        "strategy_area": "smart_mobility",
        "sdgs": [11],
        "project_sector": ["transport.urban"],
        "project_type": "construction",
        "owner": owner,
        "readiness": "concept",
        "total_cost": Decimal("500000"),
        "currency": "USD",
        "financing_sought": Decimal("400000"),
        "financing_currency": "USD",
        "instruments": ["grant"],
    }
    fields.update(overrides)
    return fields


def test_create_project_records_history_and_quality(officer):
    project = services.create_project(by=officer, fields=_fields())

    assert project.status == Status.DRAFT
    assert project.slug.startswith("kh-new-1-smart-bus-stops")
    assert project.changes.get().kind == ProjectChange.Kind.CREATED
    codes = {w["code"] for w in project.quality_warnings}
    assert {"breakdown_missing", "no_location", "no_indicators"} <= codes


def test_create_project_refused_for_investor(investor):
    with pytest.raises(PermissionDenied):
        services.create_project(by=investor, fields=_fields())


def test_update_project_records_field_diffs(officer):
    project = services.create_project(by=officer, fields=_fields())

    updated = services.update_project(
        project,
        by=officer,
        fields={"title_en": "Smart stops", "total_cost": Decimal("600000")},
        expected_version=1,
    )

    change = updated.changes.filter(kind=ProjectChange.Kind.EDITED).get()
    assert change.changes == {
        "title_en": ["Smart bus stops", "Smart stops"],
        "total_cost": ["500000", "600000"],
    }
    assert updated.version == 2
    assert change.changed_by == officer


def test_update_project_detects_concurrent_edit(officer):
    project = services.create_project(by=officer, fields=_fields())
    services.update_project(
        project, by=officer, fields={"title_en": "A"}, expected_version=1
    )

    with pytest.raises(StaleVersionError):
        services.update_project(
            project, by=officer, fields={"title_en": "B"}, expected_version=1
        )

    project.refresh_from_db()
    assert project.title_en == "A"


def test_update_project_replaces_budget_lines(officer):
    project = services.create_project(by=officer, fields=_fields())
    lines = [
        {
            "category": "design",
            "kind": "capex",
            "amount": Decimal("100000"),
            "currency": "USD",
        },
        {
            "category": "equipment",
            "kind": "capex",
            "amount": Decimal("400000"),
            "currency": "USD",
        },
    ]

    services.update_project(
        project, by=officer, fields={}, parts={"budget_lines": lines}
    )

    assert project.budget_lines.count() == 2
    project.refresh_from_db()
    assert "breakdown_missing" not in {w["code"] for w in project.quality_warnings}
    assert "breakdown_mismatch" not in {w["code"] for w in project.quality_warnings}


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ([Status.INTERNAL_REVIEW, Status.PUBLISHED], True),
        ([Status.PUBLISHED], False),
        (
            [
                Status.INTERNAL_REVIEW,
                Status.PUBLISHED,
                Status.FUNDED,
                Status.IN_IMPLEMENTATION,
                Status.COMPLETED,
            ],
            True,
        ),
        ([Status.COMPLETED], False),
        ([Status.WITHDRAWN, Status.DRAFT], True),
    ],
)
def test_set_status_follows_workflow(officer, path, allowed):
    project = services.create_project(by=officer, fields=_fields())

    if allowed:
        for status in path:
            services.set_status(project, status, by=officer)
        project.refresh_from_db()
        assert project.status == path[-1]
    else:
        for status in path[:-1]:
            services.set_status(project, status, by=officer)
        with pytest.raises(services.TransitionError) as error:
            services.set_status(project, path[-1], by=officer)
        assert error.value.messages
        project.refresh_from_db()
        assert project.status == Status.DRAFT


def test_publishing_sets_published_at_and_history(officer):
    project = services.create_project(by=officer, fields=_fields())
    services.set_status(project, Status.INTERNAL_REVIEW, by=officer)

    services.set_status(project, Status.PUBLISHED, by=officer, note="Approved")

    project.refresh_from_db()
    assert project.published_at is not None
    last = project.changes.first()
    assert (last.from_status, last.to_status, last.note) == (
        Status.INTERNAL_REVIEW,
        Status.PUBLISHED,
        "Approved",
    )


def test_express_interest_requires_verified_investor(unverified_investor):
    project = ProjectFactory()

    with pytest.raises(PermissionDenied):
        services.express_interest(
            project,
            investor=unverified_investor,
            instrument="loan",
            amount=Decimal(1),
            currency="USD",
        )


def test_express_interest_refused_on_draft(investor):
    project = ProjectFactory(status=Status.DRAFT)

    with pytest.raises(PermissionDenied):
        services.express_interest(
            project,
            investor=investor,
            instrument="loan",
            amount=Decimal(1),
            currency="USD",
        )


def test_express_interest_mails_officer_once(
    investor, officer, django_capture_on_commit_callbacks
):
    project = ProjectFactory(created_by=officer)

    with django_capture_on_commit_callbacks(execute=True):
        interest = services.express_interest(
            project,
            investor=investor,
            instrument="loan",
            amount=Decimal(10),
            currency="USD",
        )

    assert interest.stage == Interest.Stage.NEW
    assert [m.to for m in mail.outbox] == [[officer.email]]
    with pytest.raises(ValidationError):
        services.express_interest(
            project,
            investor=investor,
            instrument="loan",
            amount=Decimal(1),
            currency="USD",
        )


def test_move_interest_mails_investor_and_requires_reason_to_decline(
    officer, django_capture_on_commit_callbacks
):
    interest = InterestFactory()

    with django_capture_on_commit_callbacks(execute=True):
        services.move_interest(interest, Interest.Stage.MEETING, by=officer)

    assert interest.stage == Interest.Stage.MEETING
    assert mail.outbox[-1].to == [interest.investor.email]
    with pytest.raises(ValidationError):
        services.move_interest(interest, Interest.Stage.DECLINED, by=officer)
    services.move_interest(
        interest, Interest.Stage.DECLINED, by=officer, reason="Too small"
    )
    interest.refresh_from_db()
    assert interest.decline_reason == "Too small"


def test_move_interest_refused_for_investor(investor):
    interest = InterestFactory(investor=investor)

    with pytest.raises(PermissionDenied):
        services.move_interest(interest, Interest.Stage.FUNDED, by=investor)


def test_remind_stale_interests_mails_officer_once(officer, settings):
    settings.MIST_INTEREST_REMINDER_DAYS = 7
    old = timezone.now() - datetime.timedelta(days=8)
    stale = InterestFactory(
        project=ProjectFactory(created_by=officer), stage_changed_at=old
    )
    InterestFactory(project=stale.project)  # fresh
    InterestFactory(stage=Interest.Stage.DECLINED, stage_changed_at=old)  # closed

    assert services.remind_stale_interests() == 1
    assert services.remind_stale_interests() == 0

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [officer.email]
    assert stale.project.code in mail.outbox[0].body


def test_confirm_terms_only_by_the_investor(investor, officer):
    interest = InterestFactory(investor=investor)

    with pytest.raises(PermissionDenied):
        services.confirm_terms(interest, by=officer)
    services.confirm_terms(interest, by=investor)

    assert interest.terms_confirmed_at is not None
    assert AuditEntry.objects.filter(action="investments.interest.terms").count() == 1


def test_remind_command_prints_summary(officer, settings):
    import io

    from django.core.management import call_command

    old = timezone.now() - datetime.timedelta(days=30)
    InterestFactory(project=ProjectFactory(created_by=officer), stage_changed_at=old)
    out = io.StringIO()

    call_command("remind_stale_interests", stdout=out)

    assert out.getvalue().strip() == "Reminded about 1 expression(s) of interest."
    assert mail.outbox[0].to == [officer.email]
