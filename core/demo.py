"""Demo content is data: JSON files in each app's fixtures/demo/ folder, read here.

An app's demo.py keeps only the walk over its data and the calls to its services.
`values()` turns one entry of the data into model field values, resolving what JSON
cannot hold:
- a moment relative to now: {"days": -120} or {"days": 2, "hours": 3} is now plus that,
  or today plus that for a date field;
- a reference between objects: "@key" is refs["key"] (objects the seeder found or
  made before);
- decimals and ISO dates written as strings, converted by the model field.
"""

import datetime as dt
import json
import zoneinfo
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils import timezone

# The password of every demo login (printed by `manage.py seed_demo`).
PASSWORD = "mist-demo-2026"
OFFSET_KEYS = {"weeks", "days", "hours", "minutes"}


def load(module_file: str, name: str = "content"):
    """`fixtures/demo/<name>.json` of the app that holds `module_file`."""
    path = Path(module_file).resolve().parent / "fixtures" / "demo" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def is_offset(value) -> bool:
    return isinstance(value, dict) and bool(value) and value.keys() <= OFFSET_KEYS


def moment(offset: dict, now: dt.datetime | None = None) -> dt.datetime:
    """Now (or `now`) plus the offset {"days": ..., "hours": ...}."""
    return (now or timezone.now()) + dt.timedelta(**offset)


def day(offset: dict) -> dt.date:
    """Today (in the site's time zone) plus the offset."""
    return timezone.localdate() + dt.timedelta(**offset)


def at(on: dt.date, clock: str, zone: str | None = None) -> dt.datetime:
    """The local time `clock` ("09:30") of the day `on` in `zone` (the site's)."""
    tz = zoneinfo.ZoneInfo(zone or settings.TIME_ZONE)
    return dt.datetime.combine(on, dt.time.fromisoformat(clock), tzinfo=tz)


def values(model, spec: dict, refs: dict | None = None, now=None, **extra) -> dict:
    """The field values of `model` that `spec` (and `extra`) describe, resolved."""
    now = now or timezone.now()
    resolved = {}
    for key, value in (spec | extra).items():
        if isinstance(value, str) and value.startswith("@"):
            value = refs[value[1:]]
        field = model._meta.get_field(key)
        if is_offset(value):
            is_date = not isinstance(field, models.DateTimeField)
            value = day(value) if is_date else moment(value, now)
        elif isinstance(value, str) and isinstance(
            field, (models.DecimalField, models.DateField)
        ):
            value = field.to_python(value)
        resolved[key] = value
    return resolved


def create(model, spec: dict, refs: dict | None = None, now=None, **extra):
    """A saved `model` made from `spec` (see values())."""
    return model.objects.create(**values(model, spec, refs, now, **extra))


def user(email: str, role: str | None = None):
    """The demo login `email`, else the first user with `role` (when given)."""
    users = get_user_model().objects
    found = users.filter(email=email).first()
    if found is None and role:
        found = users.filter(role=role).order_by("pk").first()
    return found


def account(email: str, **fields):
    """The demo login `email`, made with the demo password when missing."""
    found, _ = get_user_model().objects.get_or_create(
        email=email, defaults=fields | {"password": make_password(PASSWORD)}
    )
    return found
