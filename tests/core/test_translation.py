from django.utils import translation

from core.translation import translated
from tests.factories import OrganizationFactory


def test_translated_falls_back_to_other_language_with_mark(db):
    org = OrganizationFactory.build(description_uk="Опис", description_en="")

    with translation.override("en"):
        text = translated(org, "description")
        note = str(text.fallback_note)

    assert (text.text, text.language, text.is_fallback) == ("Опис", "uk", True)
    assert note == "original in Ukrainian"


def test_english_name_defaults_to_official_transliteration(db):
    org = OrganizationFactory.build(name_uk="Харківський політехнічний", name_en="")

    with translation.override("en"):
        name = org.name

    assert (str(name), name.is_fallback) == ("Kharkivskyi politekhnichnyi", False)
