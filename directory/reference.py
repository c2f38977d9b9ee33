"""Reference data: KVED-2010 sectors, KATOTTG places and technology tags.

The data lives in committed JSON files under directory/fixtures/. A data migration
loads it; `load_reference_data()` loads it again (idempotently) for tests and tools.
Loading works on the real models or on a migration's historical models.
"""

import json
from functools import cache
from pathlib import Path

from django.apps import apps as global_apps
from django.db import transaction

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
SECTORS_FILE = FIXTURES_DIR / "sectors_kved2010.json"
PLACES_FILE = FIXTURES_DIR / "places_katottg.json"
TAGS_FILE = FIXTURES_DIR / "tags.json"

# KATOTTG codes the rest of the code refers to.
KHARKIV_OBLAST = "UA63000000000041885"
KHARKIV_CITY = "UA63120270010096107"


@cache
def _read(path: Path, key: str) -> tuple[dict, ...]:
    with path.open(encoding="utf-8") as handle:
        return tuple(json.load(handle)[key])


def sector_rows() -> tuple[dict, ...]:
    """KVED-2010 sections and divisions, each section before its divisions."""
    return _read(SECTORS_FILE, "sectors")


def place_rows() -> tuple[dict, ...]:
    """KATOTTG places, each parent before its children."""
    return _read(PLACES_FILE, "places")


def tag_rows() -> tuple[dict, ...]:
    """The technology tag vocabulary."""
    return _read(TAGS_FILE, "tags")


def load_reference_data(apps=global_apps) -> dict[str, int]:
    """Create or update every sector, place and tag; returns the row counts."""
    with transaction.atomic():
        return {
            "sectors": load_sectors(apps),
            "places": load_places(apps),
            "tags": load_tags(apps),
        }


def load_sectors(apps=global_apps) -> int:
    """Create or update the KVED sectors by code."""
    return _load_tree(apps.get_model("directory", "Sector"), sector_rows(), "level")


def load_places(apps=global_apps) -> int:
    """Create or update the KATOTTG places by code."""
    return _load_tree(apps.get_model("directory", "Place"), place_rows(), "category")


def _load_tree(model, rows, field: str) -> int:
    """Create or update `rows` of a tree of codes (sectors, places) by code, with
    their `field`; a parent comes before its children and is looked up by code."""
    by_code = {}
    for row in rows:
        by_code[row["code"]], _ = model.objects.update_or_create(
            code=row["code"],
            defaults={
                field: row[field],
                "parent": by_code[row["parent"]] if row["parent"] else None,
                "name_uk": row["name_uk"],
                "name_en": row["name_en"],
            },
        )
    return len(by_code)


def load_tags(apps=global_apps) -> int:
    """Create or update the technology tags by slug."""
    tag_model = apps.get_model("directory", "Tag")
    for row in tag_rows():
        tag_model.objects.update_or_create(
            slug=row["slug"],
            defaults={"name_uk": row["name_uk"], "name_en": row["name_en"]},
        )
    return len(tag_rows())


def unload_reference_data(apps=global_apps) -> None:
    """Remove the reference rows again, unlinking the organizations that used them."""
    organization_model = apps.get_model("directory", "Organization")
    sector_model = apps.get_model("directory", "Sector")
    place_model = apps.get_model("directory", "Place")
    tag_model = apps.get_model("directory", "Tag")
    place_codes = [row["code"] for row in place_rows()]
    with transaction.atomic():
        organization_model.objects.filter(place__code__in=place_codes).update(
            place=None
        )
        # Children first: parents are protected while children point at them.
        for row in reversed(place_rows()):
            place_model.objects.filter(code=row["code"]).delete()
        for row in reversed(sector_rows()):
            sector_model.objects.filter(code=row["code"]).delete()
        tag_model.objects.filter(slug__in=[row["slug"] for row in tag_rows()]).delete()
