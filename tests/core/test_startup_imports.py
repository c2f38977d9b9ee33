"""Starting Django (settings, apps, URL configuration, the WSGI application) does not
import the heavy libraries that only some pages and tasks use: WeasyPrint alone costs
about a second per process, paid by every web worker at start and at every restart."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Imported only where they are used (a PDF, a spreadsheet, a calendar, the solver).
DEFERRED = [
    "weasyprint",
    "pypdf",
    "openpyxl",
    "segno",
    "icalendar",
    "ortools",
    "numpy",
]

PROBE = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
import config.wsgi
from config.celery import app
app.loader.import_default_modules()
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in {names})))
"""


def test_starting_django_does_not_import_heavy_libraries():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "startup-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONWARNINGS": "ignore",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(names=set(DEFERRED))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    imported = json.loads(result.stdout.strip().splitlines()[-1])

    assert imported == []
