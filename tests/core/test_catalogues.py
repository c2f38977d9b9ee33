"""Every UI string exists in both languages: the committed catalogues are complete,
free of fuzzy entries, compiled, and cover every string the code marks for
translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("uk", "en")
SOURCE_DIRS = (
    "config",
    "core",
    "accounts",
    "directory",
    "exchange",
    "reviews",
    "investments",
    "events",
    "matching",
    "meetings",
    "visits",
    "talent",
    "insights",
    "notifications",
    "translations",
    "api",
    "templates",
)


def catalogue(language: str, root: Path = ROOT) -> polib.POFile:
    return polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_missing_or_fuzzy_entries(language):
    po = catalogue(language)

    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags and not e.obsolete]

    assert (missing, fuzzy) == ([], [])


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_source(language):
    po = catalogue(language)
    mo = polib.mofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"))

    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    expected = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
        for e in po
        if e.translated() and not e.obsolete
    }

    assert compiled == expected


def test_every_marked_string_is_in_the_catalogues(tmp_path):
    """Extract the strings afresh from a copy of the sources and compare."""
    for name in [*SOURCE_DIRS, "manage.py", "locale"]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, tmp_path / name, ignore=shutil.ignore_patterns("*.mo")
            )
        else:
            shutil.copy(source, tmp_path / name)

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "uk", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin:/bin"},
    )

    fresh = {(e.msgctxt, e.msgid) for e in catalogue("uk", tmp_path)}
    committed = {(e.msgctxt, e.msgid) for e in catalogue("uk") if not e.obsolete}
    assert fresh - committed == set()
