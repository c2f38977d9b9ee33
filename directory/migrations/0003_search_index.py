"""The directory's search index: FTS5 tables and triggers on SQLite; a generated
tsvector column, GIN indexes, pg_trgm and mist_word_score() on PostgreSQL.
The SQL lives in directory.search, beside the queries that rely on it."""

from django.db import migrations


def refresh_search_fields(apps, schema_editor):
    """Recompute the search columns of existing rows with the current analyzer."""
    from directory.search import build_search_fields

    Organization = apps.get_model("directory", "Organization")
    batch = []
    for organization in Organization.objects.using(
        schema_editor.connection.alias
    ).iterator():
        organization.search_document, organization.search_names = build_search_fields(
            organization
        )
        batch.append(organization)
        if len(batch) >= 1000:
            Organization.objects.using(schema_editor.connection.alias).bulk_update(
                batch, ["search_document", "search_names"]
            )
            batch = []
    if batch:
        Organization.objects.using(schema_editor.connection.alias).bulk_update(
            batch, ["search_document", "search_names"]
        )


def create_index(apps, schema_editor):
    from directory.search import create_index

    create_index(schema_editor)


def drop_index(apps, schema_editor):
    from directory.search import drop_index

    drop_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_import_batch"),
    ]

    operations = [
        migrations.RunPython(refresh_search_fields, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
