"""New projects of a package are written in bulk (importing.create_projects): what
they store is what the one-at-a-time path stores, with their history, audit log,
search words and recommendation documents; a batch that cannot be written is
written again one project at a time."""

import pytest
from django.forms.models import model_to_dict
from django.utils import translation

from core.models import AuditEntry
from investments.models import InvestmentProject, ProjectChange
from investments.oc4ids import export, importing, mapping
from matching.models import MatchDocument
from tests.investments.fixtures import sample_json

PACKAGES = ("highways_gbp.json", "lviv_uah.json", "warsaw_pln_no_language.json")
# Columns that differ between two imports of the same package by nature.
VOLATILE = {"id", "created_at", "published_at"}


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def package(name: str) -> dict:
    return sample_json(f"oc4ids_examples/{name}")


def stored() -> dict[str, dict]:
    """Every project's columns and rows, by code, without what differs by nature."""
    found = {}
    for project in InvestmentProject.objects.order_by("code"):
        values = {
            field.attname: getattr(project, field.attname)
            for field in project._meta.concrete_fields
            if field.attname not in VOLATILE
        }
        for name in ("budget_lines", "indicators", "funding_sources"):
            values[name] = [
                {k: v for k, v in model_to_dict(row).items() if k not in ("id",)}
                | {"project": None}
                for row in getattr(project, name).order_by("pk")
            ]
        for kept in values["oc4ids_original"].values():
            if "updated" not in kept["project"]:
                # No time in the package: the import's own, which differs.
                del values["updated_at"]
                kept["digest"].pop("updated", None)
        values["changes"] = list(
            project.changes.values_list("kind", "note", "version", "to_status")
        )
        found[project.code] = values
    return found


def import_all(officer) -> list:
    return [
        importing.apply_package(package(name), by=officer, publish=True)
        for name in PACKAGES
    ]


@pytest.mark.django_db
def test_bulk_path_stores_what_the_one_at_a_time_path_stores(officer, monkeypatch):
    import_all(officer)
    in_bulk = stored()
    InvestmentProject.objects.all().delete()

    def fail(*args, **kwargs):
        raise RuntimeError("batch refused")

    monkeypatch.setattr(importing, "create_projects", fail)
    reports = import_all(officer)

    assert all(report.rejected == 0 for report in reports)
    one_at_a_time = stored()
    assert set(in_bulk) == set(one_at_a_time)
    assert len(in_bulk) == 6
    for code, values in in_bulk.items():
        assert values == one_at_a_time[code], code


@pytest.mark.django_db
def test_bulk_import_records_history_audit_search_and_recommendation_documents(
    officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = importing.apply_package(
            package("highways_gbp.json"), by=officer, publish=True
        )

    pks = [item.project_pk for item in report.projects]
    assert report.created == 2
    assert None not in pks
    entries = AuditEntry.objects.filter(action=importing.AUDIT_ACTION)
    assert sorted(int(entry.object_id) for entry in entries) == sorted(pks)
    assert {entry.actor for entry in entries} == {officer}
    assert {entry.details["result"] for entry in entries} == {"create"}
    assert {entry.details["language"] for entry in entries} == {"en"}
    assert (
        ProjectChange.objects.filter(
            project__in=pks, kind=ProjectChange.Kind.CREATED
        ).count()
        == 2
    )
    documents = dict(
        MatchDocument.objects.filter(object_id__in=pks).values_list(
            "object_id", "terms"
        )
    )
    assert set(documents) == set(pks)
    assert all(terms for terms in documents.values())
    for project in InvestmentProject.objects.filter(pk__in=pks):
        assert project.search_document.strip()
        assert project.quality_warnings is not None
        assert project.slug
    # Reports carry the notes the one-at-a-time path adds.
    assert all(
        "No Ukrainian title yet: the English one stands in." in item.notes
        for item in report.projects
    )


@pytest.mark.django_db
def test_bulk_import_keeps_the_packages_update_times_and_round_trip(officer):
    original = package("highways_gbp.json")
    importing.apply_package(original, by=officer, publish=True)

    exported = export.build_package("en", base_url="https://mist.example.org")
    mine = {project["id"]: project for project in exported["projects"]}
    for project in original["projects"]:
        assert mine[project["id"]] == mapping.without_personal_numbers(project)
        assert mine[project["id"]]["updated"] == project["updated"]


@pytest.mark.django_db
def test_slugs_stay_unique_across_a_batch_and_the_database(officer, monkeypatch):
    first = package("highways_gbp.json")
    same_titles = package("highways_gbp.json")
    for number, project in enumerate(same_titles["projects"]):
        project["id"] = f"{project['id']}-copy-{number}"
        project["title"] = first["projects"][0]["title"]
    importing.apply_package(first, by=officer, publish=True)
    report = importing.apply_package(same_titles, by=officer, publish=True)

    assert report.created == 2
    slugs = list(InvestmentProject.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 4


@pytest.mark.django_db
def test_batches_follow_the_batch_size(officer, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 1)
    calls = []
    real = importing.create_projects

    def counted(plans, **kwargs):
        calls.append(len(plans))
        return real(plans, **kwargs)

    monkeypatch.setattr(importing, "create_projects", counted)
    report = importing.apply_package(package("lviv_uah.json"), by=officer)

    assert calls == [1, 1]
    assert report.created == 2
    assert InvestmentProject.objects.count() == 2
