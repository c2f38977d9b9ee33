"""What Mist holds about a person, and what happens to it when they leave.

`RULES` (the data in rules.json, one list of rules an app) is the one place that
decides, for every model referring to a person, whether its rows are listed in
"download my data" and what deletion does to them:

- KEEP: the row stays and still points at the person, who is now anonymised (reviews,
  audit entries, messages: counts, scores and history stay whole);
- DELETE: the rows go (memberships, tokens, personal profiles);
- UPDATE: the row stays with some fields set (e.g. a reviewer made inactive);
- REPLACE_EMAIL: a column holding the person's e-mail as text gets the anonymised
  address (invitations, sent decision mail).

A test walks `apps.get_models()` and fails when a model refers to the user model and
no rule here covers that reference, so a new model cannot be forgotten.

Accounts sits low in the app order, so the models of other apps are named by label and
looked up at run time, never imported. An app whose records need its own domain flow
on deletion (a freed event place moves the waiting list up) has a `personal_data`
module with `before_anonymising(person)`, found the way Django finds admin modules.
"""

import datetime
import decimal
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from core.mail import absolute_url

KEEP = "keep"
DELETE = "delete"
UPDATE = "update"
REPLACE_EMAIL = "replace_email"

FORMAT = "mist-personal-data/1"


@dataclass(frozen=True)
class Rule:
    """The decision for one model's references to a person."""

    model: str
    # Lookups that lead to the person (any of them matches); with `by_email`, text
    # columns compared with their e-mail address instead.
    via: tuple[str, ...]
    erase: str
    why: str
    # Fields listed in the download ("url": a link to the row's permission-checked
    # page or file); empty: not listed (someone else's record or a secret).
    export: tuple[str, ...] = ()
    values: dict = field(default_factory=dict)
    by_email: bool = False

    def __post_init__(self):
        if self.erase not in (KEEP, DELETE, UPDATE, REPLACE_EMAIL):
            raise ValueError(f"{self.model}: unknown erase {self.erase!r}")


def _load_rules() -> tuple[Rule, ...]:
    """rules.json: the rules of each app, under its name, in the order they apply."""
    path = Path(__file__).with_name("rules.json")
    sections = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Rule(**row | {"via": tuple(row["via"]), "export": tuple(row.get("export", ()))})
        for rules in sections.values()
        for row in rules
    )


RULES: tuple[Rule, ...] = _load_rules()

# Two-factor devices (django-otp, when installed): every device model refers to its
# owner through `user` and is removed with the account.
DEVICE_RULE_WHY = "Two-factor devices and recovery codes end with the account."

# Columns where Mist itself copied a person's name or e-mail as text (audit details,
# admin-site history, who wrote a translation): the copies are rewritten to the
# anonymised name or address. Free text people typed about others is not touched.
SCRUBBED: tuple[tuple[str, str], ...] = (
    ("core.AuditEntry", "details"),
    ("admin.LogEntry", "object_repr"),
    ("admin.LogEntry", "change_message"),
    ("exchange.Submission", "provenance"),
    ("reviews.OutboxMessage", "body"),
)


HOOK_MODULE = "personal_data"


def app_hooks() -> list:
    """`before_anonymising(person)` of every app with a `personal_data` module: the
    app's own domain flow on deletion (give up event places, call off meeting
    requests), run before the rules, while the person can still act."""
    hooks = []
    for config in apps.get_app_configs():
        if config.name == "accounts" or not module_has_submodule(
            config.module, HOOK_MODULE
        ):
            continue
        module = import_module(f"{config.name}.{HOOK_MODULE}")
        hook = getattr(module, "before_anonymising", None)
        if hook is not None:
            hooks.append(hook)
    return hooks


def user_model():
    return get_user_model()


def installed(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def device_models() -> list[type[models.Model]]:
    """Two-factor device models of django-otp and its plugins, when installed."""
    if not apps.is_installed("django_otp"):
        return []
    from django_otp.models import Device

    return [
        model
        for model in apps.get_models()
        if issubclass(model, Device) and not model._meta.proxy
    ]


def references_to_user() -> set[tuple[str, str]]:
    """Every (model label, field name) that refers to the user model."""
    user = user_model()
    found = set()
    for model in apps.get_models():
        if model._meta.proxy or model is user:
            continue
        for f in model._meta.get_fields():
            if f.is_relation and f.concrete and f.related_model is user:
                found.add((model._meta.label, f.name))
    return found


def covered_references() -> set[tuple[str, str]]:
    """References to the user model that a rule (or the device rule) decides."""
    covered = {(rule.model, lookup) for rule in RULES for lookup in rule.via}
    for model in device_models():
        covered.add((model._meta.label, "user"))
    return covered


def uncovered_references() -> list[str]:
    """References to the user model that nobody decided about yet."""
    missing = references_to_user() - covered_references()
    return sorted(f"{label}.{name}" for label, name in missing)


def active_rules() -> list[Rule]:
    """The rules whose model is installed in this deployment."""
    return [rule for rule in RULES if installed(rule.model)]


def rows_of(rule: Rule, person) -> models.QuerySet:
    """The rows of `rule.model` that refer to `person`."""
    model = apps.get_model(rule.model)
    condition = Q()
    for lookup in rule.via:
        if rule.by_email:
            condition |= Q(**{f"{lookup}__iexact": person.email})
        else:
            condition |= Q(**{lookup: person})
    return model._base_manager.filter(condition)


# The download.


def _plain(value):
    """A JSON-ready form of a model field's value."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _row(obj, names: tuple[str, ...]) -> dict:
    data = {"id": obj.pk}
    for name in names:
        if name == "url":
            data["url"] = absolute_url(obj.get_absolute_url())
            continue
        f = obj._meta.get_field(name)
        data[name] = _plain(getattr(obj, f.attname))
    return data


def _columns(rule: Rule) -> list[str]:
    model = apps.get_model(rule.model)
    columns = ["pk"]
    for name in rule.export:
        if name == "url":
            # get_absolute_url() reads the row's own columns (ids, file name).
            columns += [
                f.attname
                for f in model._meta.concrete_fields
                if f.is_relation or isinstance(f, models.FileField)
            ]
        else:
            columns.append(model._meta.get_field(name).attname)
    return list(dict.fromkeys(columns))


PROFILE_FIELDS = (
    "email",
    "full_name",
    "role",
    "preferred_language",
    "time_zone",
    "is_active",
    "date_joined",
    "last_login",
)
# Rows read from the database at a time: memory stays flat for any account.
CHUNK = 2000


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def personal_data_chunks(person) -> Iterator[str]:
    """Everything Mist holds about `person`, as the pieces of one JSON document:
    one query per kind of record, read in chunks, so it can be streamed."""
    head = {
        "format": FORMAT,
        "generated_at": timezone.now().isoformat(),
        "site": settings.SITE_URL,
        "person": {
            "id": person.pk,
            **{name: _plain(getattr(person, name)) for name in PROFILE_FIELDS},
        },
    }
    yield _dump(head)[:-1] + ', "records": {'
    first_kind = True
    for rule in active_rules():
        if not rule.export:
            continue
        rows = rows_of(rule, person).only(*_columns(rule)).order_by("pk")
        yield ("" if first_kind else ",") + f"\n{_dump(rule.model)}: ["
        first_kind = False
        separator = "\n"
        for obj in rows.iterator(chunk_size=CHUNK):
            yield separator + _dump(_row(obj, rule.export))
            separator = ",\n"
        yield "]"
    yield "\n}}\n"


def personal_data(person) -> dict:
    """The same document as a dict (for commands and tests)."""
    return json.loads("".join(personal_data_chunks(person)))
