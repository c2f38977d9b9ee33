"""core.translation reads machine translations from the row: current ones only,
marked, never over human text, and never by loading a deferred column."""

import pytest
from django.utils import translation

from core.translation import MACHINE, text_hash, translated
from directory.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

SOURCE = "Датчики якості повітря."


@pytest.fixture
def org(settings):
    settings.MIST_TRANSLATION_ENGINE = "deepl"
    org = OrganizationFactory(description_uk=SOURCE, description_en="")
    Organization.objects.filter(pk=org.pk).update(
        machine_translations={
            "description_en": {
                "text": "Air-quality sensors.",
                "source": "uk",
                "hash": text_hash(SOURCE),
                "engine": "deepl",
                "at": "2026-12-04T20:00:00+00:00",
            }
        }
    )
    org.refresh_from_db()
    return org


def test_a_current_machine_translation_is_read_with_its_origin(org):
    with translation.override("en"):
        text = org.description

    assert str(text) == "Air-quality sensors."
    assert (text.language, text.is_fallback, text.origin) == ("en", True, MACHINE)
    assert (text.engine, text.source_language) == ("deepl", "uk")
    with translation.override("en"):
        assert str(text.fallback_note) == "machine translation — original in Ukrainian"


def test_the_readers_own_language_is_never_replaced(org):
    text = translated(org, "description", "uk")

    assert (str(text), text.is_machine, text.is_fallback) == (SOURCE, False, False)


def test_a_translation_of_an_older_original_is_not_shown(org):
    org.description_uk = "Інший текст."

    text = translated(org, "description", "en")

    assert (str(text), text.is_machine) == ("Інший текст.", False)
    with translation.override("en"):
        assert str(text.fallback_note) == "original in Ukrainian"


def test_a_deferred_column_is_not_loaded_to_look(org, django_assert_num_queries):
    deferred = Organization.objects.defer("machine_translations").get(pk=org.pk)

    with django_assert_num_queries(0):
        text = translated(deferred, "description", "en")

    assert (str(text), text.is_machine) == (SOURCE, False)
