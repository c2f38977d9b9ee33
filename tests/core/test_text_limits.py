"""Every free text people write has a length limit, which forms and the API enforce."""

from django.apps import apps
from django.db import models

# Texts the platform writes itself, never a person through a form or the API.
WRITTEN_BY_THE_PLATFORM = {
    "directory.ImportBatch.error_message_uk",
    "directory.ImportBatch.error_message_en",
    "matching.MatchDocument.terms",
}
OUR_APPS = (
    "accounts",
    "core",
    "directory",
    "events",
    "exchange",
    "investments",
    "matching",
    "meetings",
    "reviews",
)


def test_every_text_people_write_has_a_max_length():
    unlimited = []
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                name = f"{model._meta.label}.{getattr(field, 'name', '')}"
                if (
                    isinstance(field, models.TextField)
                    and field.editable
                    and not field.max_length
                    and name not in WRITTEN_BY_THE_PLATFORM
                ):
                    unlimited.append(name)

    assert unlimited == []
