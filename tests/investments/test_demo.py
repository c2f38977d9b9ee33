import pytest

from investments.demo import seed_demo
from investments.models import InvestmentProject, ProjectDocument

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(settings, tmp_path):
    first = seed_demo()
    second = seed_demo()

    assert first.startswith("investments: 12 projects")
    assert second.startswith("investments: 0 projects")
    projects = InvestmentProject.objects.all()
    assert projects.count() == 12
    assert all(p.is_public for p in projects)
    assert all(p.place is not None for p in projects)
    assert ProjectDocument.objects.filter(access="limited").exists()
    breakdown = {w["code"] for p in projects for w in p.quality_warnings}
    assert "breakdown_mismatch" not in breakdown
    assert "document_missing" not in breakdown
