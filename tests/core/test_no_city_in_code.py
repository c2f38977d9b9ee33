"""The deployment's place comes from settings (the "place" block of config/settings.py):
code names no time zone of its own. Tests, migrations, benchmarks and data files may."""

import ast
import os
from pathlib import Path

import pytest
from django.conf import settings

ZONE = "Europe/Kyiv"
SKIPPED = {"tests", "migrations", "bench", "node_modules", "var", "__pycache__"}


def python_files():
    base = Path(settings.BASE_DIR)
    for folder, dirs, files in os.walk(base):
        dirs[:] = [d for d in dirs if d not in SKIPPED and not d.startswith(".")]
        for name in files:
            path = Path(folder) / name
            if name.endswith(".py") and path != base / "config" / "settings.py":
                yield base, path


def test_no_time_zone_literal_outside_settings():
    found = [
        f"{path.relative_to(base)}:{node.lineno}"
        for base, path in python_files()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value == ZONE
    ]

    assert found == [], f"use settings.TIME_ZONE instead of {ZONE!r}: {found}"


def test_the_check_sees_the_code():
    names = {str(path.relative_to(base)) for base, path in python_files()}

    assert "meetings/timewindows.py" in names
    assert "config/settings.py" not in names
    assert not any(name.startswith(("tests/", "bench/")) for name in names)


@pytest.mark.django_db
def test_the_footer_names_the_place_from_settings(client, settings):
    settings.MIST_TAGLINE = "Mist joins Albuquerque's partners to the world."

    response = client.get("/en/")

    assert b"Mist joins Albuquerque&#x27;s partners to the world." in response.content
    assert b"Kharkiv&#x27;s IT ecosystem to its partners abroad" not in response.content


@pytest.mark.django_db
def test_the_default_footer_is_translated(client):
    response = client.get("/uk/")

    assert "IT-екосистему Харкова".encode() in response.content
    assert b"Mist joins Kharkiv" not in response.content
