# Loads the committed reference data (KVED-2010 sectors, KATOTTG places, tags).

from django.db import migrations


def load(apps, schema_editor):
    from directory.reference import load_reference_data

    load_reference_data(apps)


def unload(apps, schema_editor):
    from directory.reference import unload_reference_data

    unload_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_search_index"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
