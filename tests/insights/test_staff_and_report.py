"""The staff view (exact numbers and what may not be public) and the report PDF."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Role
from core.pdf import pdf_page_images
from directory.models import Organization
from insights import services
from investments.models import Interest
from reviews.models import Assignment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_view_shows_exact_small_numbers_and_private_figures(client, ecosystem):
    services.recompute_all()
    client.force_login(UserFactory(role=Role.STAFF))

    response = client.get(reverse("insights:staff"))

    tables = {table.chart.slug: table for table in response.context["tables"]}
    kinds = {row.key: row.counts[0] for row in tables["organizations-kind"].rows}
    assert kinds["foreign_partner"] == sum(
        1
        for org in Organization.objects.all()
        if org.is_public and org.kind == "foreign_partner"
    )
    abroad = {row.key: row.counts[0] for row in tables["partners-abroad"].rows}
    assert abroad["DE"] == 1  # public pages say "fewer than 5"
    pipeline = tables["pipeline"]
    stages = list(pipeline.chart.series)
    got = {
        (row.key, stage): row.counts[i]
        for row in pipeline.rows
        for i, stage in enumerate(stages)
        if row.counts[i]
    }
    expected = {}
    for interest in Interest.objects.all():
        kind = interest.organization.kind if interest.organization else ""
        expected[(kind, interest.stage)] = expected.get((kind, interest.stage), 0) + 1
    assert got == expected
    load = {row.key: row.counts for row in tables["reviewer-load"].rows}
    assert sum(counts[0] for counts in load.values()) == Assignment.objects.count()
    assert "Навантаження рецензентів" in response.content.decode()


def test_public_page_has_no_staff_figures(client, ecosystem):
    services.recompute_all()

    response = client.get(reverse("insights:page"))

    slugs = {table.chart.slug for table in response.context["tables"]}
    assert not slugs & {"pipeline", "reviewer-load", "decision-days", "stage-wait"}


def test_staff_view_forbidden_to_others(client, db):
    client.force_login(UserFactory(role=Role.INVESTOR))

    assert client.get(reverse("insights:staff")).status_code == 403


@pytest.mark.parametrize(
    ("language", "title"),
    [("uk", "Екосистема в цифрах"), ("en", "Ecosystem in figures")],
)
def test_report_pdf_in_both_languages(client, ecosystem, language, title):
    services.recompute_all()

    response = client.get(f"/{language}/insights/report.pdf", {"period": "2026-Q3"})

    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert pdf_page_images(pdf)  # it renders
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert title in text
    assert "<svg" not in text
