"""What Mist holds about a person, and what happens to it when they leave.

`RULES` is the one place that decides, for every model referring to a person, whether
its rows are listed in "download my data" and what deletion does to them:

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


RULES: tuple[Rule, ...] = (
    # accounts
    Rule(
        "accounts.Membership",
        ("user",),
        DELETE,
        "The person no longer acts for any organization.",
        export=("organization", "is_editor", "title", "created_at"),
    ),
    Rule(
        "accounts.Invitation",
        ("accepted_by",),
        KEEP,
        "The invitation that created the account; its address is replaced below.",
        export=("role", "organization", "created_at", "accepted_at"),
    ),
    Rule(
        "accounts.Invitation",
        ("invited_by",),
        KEEP,
        "Invitations the person sent belong to the invited people; the audit log "
        "lists the person's act.",
    ),
    Rule(
        "accounts.Invitation",
        ("email",),
        REPLACE_EMAIL,
        "An invitation to the person's address keeps its history, not the address.",
        by_email=True,
    ),
    # Django and libraries
    Rule(
        "admin.LogEntry",
        ("user",),
        KEEP,
        "Admin-site history stays; names in it are rewritten (see SCRUBBED).",
        export=(
            "action_time",
            "content_type",
            "object_id",
            "object_repr",
            "action_flag",
            "change_message",
        ),
    ),
    Rule(
        "authtoken.Token",
        ("user",),
        DELETE,
        "API tokens end; a token is a secret, never listed.",
    ),
    Rule(
        "accounts.RecoveryCode",
        ("user",),
        DELETE,
        "Two-factor recovery codes end with the account; hashes, never listed.",
    ),
    Rule(
        "axes.AccessAttempt",
        ("username",),
        DELETE,
        "Sign-in attempts are kept by e-mail address; they go.",
        by_email=True,
    ),
    Rule(
        "axes.AccessLog",
        ("username",),
        DELETE,
        "Sign-in log by e-mail address.",
        by_email=True,
    ),
    Rule(
        "axes.AccessFailureLog",
        ("username",),
        DELETE,
        "Failed sign-ins by e-mail address.",
        by_email=True,
    ),
    # core
    Rule(
        "core.AuditEntry",
        ("actor",),
        KEEP,
        "The audit log stays whole; the actor is the anonymised person.",
        export=("action", "object_type", "object_id", "details", "created_at"),
    ),
    # directory
    Rule(
        "directory.Organization",
        ("verified_by",),
        KEEP,
        "A staff act on an organization; the audit log lists it.",
    ),
    Rule(
        "directory.ProfileRevision",
        ("proposed_by",),
        KEEP,
        "Changes the person proposed to a profile stay in its history.",
        export=("organization", "changes", "status", "created_at", "decided_at"),
    ),
    Rule(
        "directory.ProfileRevision",
        ("decided_by",),
        KEEP,
        "A staff act; the audit log lists it.",
    ),
    Rule(
        "directory.ImportBatch",
        ("created_by",),
        KEEP,
        "An import changed the directory; its file and report stay for staff.",
        export=("original_name", "status", "created_at", "applied_at", "url"),
    ),
    # exchange
    Rule("exchange.Call", ("created_by",), KEEP, "A staff act; calls are public."),
    Rule(
        "exchange.Submission",
        ("created_by",),
        KEEP,
        "Submissions belong to their organization (drafts too: its other editors "
        "finish them); only the creator link points at the anonymised person.",
        export=(
            "call",
            "organization",
            "status",
            "title_uk",
            "title_en",
            "summary_uk",
            "summary_en",
            "problem_uk",
            "problem_en",
            "solution_uk",
            "solution_en",
            "team_uk",
            "team_en",
            "stage",
            "asks",
            "funding_amount",
            "funding_currency",
            "links",
            "created_at",
            "submitted_at",
            "withdrawn_at",
            "url",
        ),
    ),
    Rule(
        "exchange.SubmissionVersion",
        ("created_by",),
        KEEP,
        "Versions are the submission's history.",
        export=("submission", "number", "created_at"),
    ),
    Rule(
        "exchange.Attachment",
        ("uploaded_by",),
        KEEP,
        "Files belong to the submission.",
        export=("submission", "original_name", "size", "created_at", "url"),
    ),
    Rule(
        "exchange.Message",
        ("author",),
        KEEP,
        "A thread is a conversation with others; its messages stay, signed by the "
        "anonymised name.",
        export=("submission", "body", "is_from_reviewer", "created_at"),
    ),
    # reviews
    Rule(
        "reviews.CallReviewer",
        ("user",),
        UPDATE,
        "Reviews hang on it, so it stays; inactive, it gets no new assignments.",
        export=("call", "accepted_at", "max_load", "languages", "is_active"),
        values={"is_active": False},
    ),
    Rule("reviews.CallReviewer", ("invited_by",), KEEP, "A staff act."),
    Rule(
        "reviews.ReviewerInvitation",
        ("user",),
        KEEP,
        "The invitation's history; its address is replaced below.",
        export=("call", "status", "message", "created_at", "responded_at"),
    ),
    Rule("reviews.ReviewerInvitation", ("invited_by",), KEEP, "A staff act."),
    Rule(
        "reviews.ReviewerInvitation",
        ("email",),
        REPLACE_EMAIL,
        "An invitation to the person's address keeps its history, not the address.",
        by_email=True,
    ),
    Rule(
        "reviews.Review",
        ("assignment__call_reviewer__user",),
        KEEP,
        "Reviews stay with their scores: counts and totals do not change.",
        export=(
            "assignment",
            "status",
            "recommendation",
            "comments_to_submitters",
            "confidential_notes",
            "offers_mentoring",
            "submitted_at",
        ),
    ),
    Rule(
        "reviews.Score",
        ("review__assignment__call_reviewer__user",),
        KEEP,
        "Scores of the person's reviews.",
        export=("review", "criterion", "value"),
    ),
    Rule("reviews.Decision", ("decided_by",), KEEP, "A staff act."),
    Rule(
        "reviews.OutboxMessage",
        ("to",),
        REPLACE_EMAIL,
        "Decision mail sent to the person stays as the record of the decision.",
        export=("subject", "body", "status", "sent_at"),
        by_email=True,
    ),
    # investments
    Rule("investments.InvestmentProject", ("created_by", "updated_by"), KEEP, "Staff."),
    Rule(
        "investments.ProjectDocument",
        ("uploaded_by",),
        KEEP,
        "Documents belong to the project.",
        export=("project", "title_uk", "title_en", "original_name", "size", "url"),
    ),
    Rule("investments.ProjectChange", ("changed_by",), KEEP, "Project history."),
    Rule(
        "investments.InvestorVerification",
        ("user",),
        KEEP,
        "Pipeline figures count verified investors; the staff note is not listed.",
        export=("status", "organization", "created_at", "decided_at"),
    ),
    Rule("investments.InvestorVerification", ("decided_by",), KEEP, "A staff act."),
    Rule(
        "investments.Interest",
        ("investor",),
        KEEP,
        "The city's pipeline and its figures stay; officers' internal notes are "
        "not listed.",
        export=(
            "project",
            "organization",
            "instrument",
            "amount",
            "currency",
            "message",
            "stage",
            "created_at",
            "accepted_at",
        ),
    ),
    Rule("investments.Interest", ("accepted_by",), KEEP, "A staff act."),
    # events
    Rule("events.Event", ("created_by",), KEEP, "A staff act; events are public."),
    Rule(
        "events.Registration",
        ("user",),
        KEEP,
        "Attendance figures stay.",
        export=("event", "organization", "status", "created_at", "cancelled_at"),
    ),
    Rule(
        "events.CalendarToken",
        ("user",),
        DELETE,
        "The calendar feed's secret; the feed stops working.",
    ),
    # matching
    Rule(
        "matching.NeedOffer",
        ("created_by",),
        KEEP,
        "Needs and offers belong to the organization.",
        export=(
            "organization",
            "kind",
            "category",
            "title_uk",
            "title_en",
            "description_uk",
            "description_en",
            "status",
            "valid_until",
            "created_at",
        ),
    ),
    Rule("matching.NeedOffer", ("decided_by",), KEEP, "A staff act."),
    Rule(
        "matching.MatchProfile",
        ("user",),
        DELETE,
        "What the person looks for is about them alone.",
        export=(
            "organization",
            "intents",
            "ticket_min",
            "ticket_max",
            "ticket_currency",
            "countries",
            "about_uk",
            "about_en",
        ),
    ),
    # talent
    Rule(
        "talent.SpecialistProfile",
        ("user",),
        DELETE,
        "The specialist profile is about the person alone; its invitations and "
        "return-plan progress go with it and the aggregates are recomputed.",
        export=(
            "free_skills",
            "seniority",
            "years_experience",
            "languages",
            "city_now",
            "place_before",
            "intent",
            "timeframe",
            "conditions",
            "conditions_note",
            "phone",
            "visibility",
            "consent_at",
            "consent_version",
            "digest_enabled",
            "created_at",
        ),
    ),
    Rule(
        "talent.Role",
        ("created_by",),
        KEEP,
        "Roles belong to the organization.",
        export=("organization", "title_uk", "title_en", "status", "created_at"),
    ),
    Rule("talent.Role", ("decided_by",), KEEP, "A staff act."),
    Rule(
        "talent.Invitation",
        ("invited_by",),
        KEEP,
        "Invitations the person sent for an organization stay with it.",
        export=("organization", "profile", "status", "created_at"),
    ),
    # meetings
    Rule(
        "meetings.WorkingHours",
        ("user",),
        DELETE,
        "The person's own availability.",
        export=("weekday", "start", "end"),
    ),
    Rule(
        "meetings.MeetingRequest",
        ("requester", "recipient"),
        KEEP,
        "The other side keeps the request and its meetings; outcome figures stay.",
        export=(
            "requester",
            "recipient",
            "requester_organization",
            "recipient_organization",
            "event",
            "message",
            "status",
            "created_at",
            "responded_at",
        ),
    ),
    Rule(
        "meetings.Meeting",
        ("request__requester", "request__recipient"),
        KEEP,
        "Meetings of the person's requests.",
        export=("request", "starts_at", "ends_at", "status", "outcome", "outcome_note"),
    ),
    Rule(
        "meetings.ProposedTime",
        ("proposed_by",),
        KEEP,
        "Part of the request's history.",
        export=("request", "starts_at", "ends_at", "status"),
    ),
    Rule("meetings.B2BSession", ("created_by",), KEEP, "A staff act."),
    Rule(
        "meetings.SessionParticipant",
        ("user",),
        KEEP,
        "The session's schedule and figures stay.",
        export=("session", "organization", "group"),
    ),
    # visits
    Rule(
        "visits.Visit",
        ("host",),
        KEEP,
        "A staff act: the visit and its programme belong to the delegation.",
    ),
    Rule(
        "visits.VisitMember",
        ("user",),
        KEEP,
        "The delegation's list and report stay whole; the person is anonymised.",
        export=("visit", "created_at"),
    ),
    Rule(
        "visits.VisitInvitation",
        ("invited_by", "answered_by"),
        KEEP,
        "Invitations belong to the visit and the invited organization.",
        export=("visit", "organization", "status", "answered_at"),
    ),
    Rule(
        "visits.ItemOutcome",
        ("recorded_by",),
        KEEP,
        "The visit report's outcomes stay.",
        export=("item", "side", "outcome", "agreed", "created_at"),
    ),
    Rule(
        "visits.FollowUp",
        ("owner",),
        KEEP,
        "What the visit agreed stays with the visit.",
        export=("visit", "text", "due_on", "is_done"),
    ),
    # translations
    Rule(
        "translations.TranslationFlag",
        ("created_by",),
        KEEP,
        "A reviewer's note on a submission: the submitters keep seeing it, unsigned.",
    ),
    # notifications
    Rule(
        "notifications.Notification",
        ("user",),
        DELETE,
        "The person's own notification centre.",
        export=("kind", "title", "link", "created_at", "read_at"),
    ),
    Rule(
        "notifications.Preference",
        ("user",),
        DELETE,
        "How the person wanted to hear about things.",
        export=("kind", "channel"),
    ),
    Rule(
        "notifications.DigestRun",
        ("user",),
        DELETE,
        "Only the day of the person's last digest.",
    ),
)

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
