"""The small-number rule on every aggregate cell: pages, CSV and API agree with the
exact counts, and every count under 5 shows as "fewer than 5" / "<5"."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import Role as AccountRole
from talent import aggregates
from talent.models import SpecialistProfile
from tests.factories import UserFactory
from tests.talent.factories import (
    InvitationFactory,
    RoleFactory,
    SpecialistProfileFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def layer(company):
    """Seven people returning within six months (one invited), two working
    remotely, a survey answer."""
    SpecialistProfileFactory.create_batch(
        6, visibility=SpecialistProfile.Visibility.AGGREGATE
    )
    SpecialistProfileFactory.create_batch(
        2, intent="remote", timeframe="3m", country_now="DE", conditions=["salary"]
    )
    SpecialistProfile.objects.create(
        intent="return", timeframe="safe", survey_key="row-1", country_now="PL"
    )
    RoleFactory(organization=company)
    InvitationFactory(organization=company, status="accepted")


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("staff", [False, True])
def test_every_cell_follows_the_small_number_rule(client, layer, staff):
    exact = aggregates.raw_counts()
    if staff:
        client.force_login(UserFactory(role=AccountRole.STAFF))
    page_url = reverse("talent:figures-staff" if staff else "talent:figures")
    csv_url = reverse("talent:figures-csv") + ("?staff=1" if staff else "")

    tables = client.get(page_url).context["tables"]
    rows = _csv(client.get(csv_url))[1:]
    api = client.get(reverse("api:talent-aggregates")).json()

    cells = [(table, cell) for table in tables for cell in table.cells]
    assert len(rows) == len(cells)
    for (table, cell), row in zip(cells, rows, strict=True):
        value = cell.count.value
        if value is None:
            assert str(cell.count) == "менше ніж 5"
            assert row[2] == "<5"
        else:
            assert value >= 5
            assert row[2] == str(value)
        assert row[1] == cell.label
        if not staff:
            assert {"label": cell.label, "count": cell.count.as_data()} in api[
                table.key
            ]
    assert exact["total"] == 10
    assert exact["intent"]["return"] == 8
    by_key = {table.key: table for table in tables}
    intents = {cell.label: cell.count for cell in by_key["intent"].cells}
    assert intents["Повернутися до міста"].value == 8
    assert intents["Працювати віддалено на місцеву організацію"].value is None
    assert by_key["total"].cells[0].count.value == 10


def test_public_page_shows_fewer_than_5(client, layer):
    body = client.get(reverse("talent:figures").replace("/uk/", "/en/", 1))

    assert "fewer than 5" in body.content.decode()


def test_aggregates_change_at_once_when_a_profile_is_deleted(
    client, layer, django_capture_on_commit_callbacks
):
    from talent import services

    before = client.get(reverse("api:talent-aggregates")).json()["total"]
    profile = SpecialistProfile.objects.filter(user__isnull=False).first()

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_profile(profile, by=profile.user)
    after = client.get(reverse("api:talent-aggregates")).json()["total"]

    assert before == [{"label": "Усі", "count": 10}]
    assert after == [{"label": "Усі", "count": 9}]
