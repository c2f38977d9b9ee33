"""The search index itself: kept in step by the database, repaired after migrations."""

import pytest
from django.db import connection

from directory.models import Organization
from directory.search import repair_sqlite_index, search_organizations
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def found(query):
    return [o.slug for o in search_organizations(Organization.objects.all(), query)]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 triggers")
def test_repair_restores_triggers_a_table_rebuild_dropped():
    OrganizationFactory(slug="before", name_uk="Квантова лабораторія")
    with connection.cursor() as cursor:
        # What a SQLite migration that rebuilds directory_organization leaves behind.
        for name in ("insert", "delete", "update"):
            cursor.execute(f"DROP TRIGGER directory_organization_search_{name}")
    OrganizationFactory(slug="during", name_uk="Квантовий центр")

    repaired = repair_sqlite_index()
    OrganizationFactory(slug="after", name_uk="Квантові обчислення")

    assert repaired is True
    assert sorted(found("квантовий")) == ["after", "before", "during"]
    assert repair_sqlite_index() is False


def test_updating_other_columns_keeps_the_organization_findable():
    organization = OrganizationFactory(slug="lab", name_uk="Квантова лабораторія")

    Organization.objects.filter(pk=organization.pk).update(phone="+380571234567")
    organization.refresh_from_db()
    organization.save()

    assert found("квантової лабораторії") == ["lab"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_postgresql_search_uses_the_indexes():
    OrganizationFactory.create_batch(3)
    queryset = search_organizations(Organization.objects.all(), "Kharkov university")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

    plan = queryset.explain()

    assert "directory_organization_search_vector" in plan
    assert "directory_organization_search_names_trgm" in plan
