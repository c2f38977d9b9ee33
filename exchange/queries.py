"""Reads and visibility rules of the exchange, shared by pages and the API."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import (
    Count,
    F,
    FilteredRelation,
    Min,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.permissions import is_cluster_staff, is_signed_in
from accounts.queries import edited_organization_ids
from core.diff import diff_words, render_diff
from core.timezones import zone_city
from core.translation import machine_text
from directory.models import Organization, Tag
from exchange import access
from exchange.models import (
    TEXT_FIELDS,
    TEXT_LABELS,
    Attachment,
    Call,
    CallPhase,
    Criterion,
    Message,
    Submission,
)


def calls_visible_to(user) -> QuerySet[Call]:
    """Calls past their draft for everyone; drafts for staff and the organizer."""
    calls = Call.objects.select_related("organizer")
    if is_cluster_staff(user):
        return calls
    public = ~Q(phase=Call.Phase.DRAFT)
    if user and user.is_authenticated:
        return calls.filter(public | Q(organizer_id__in=edited_organization_ids(user)))
    return calls.filter(public)


def call_for_page(user, slug: str) -> Call | None:
    """One call with its rubric and phase switches loaded."""
    return (
        calls_visible_to(user)
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("position", "pk")),
            "phases",
        )
        .filter(slug=slug)
        .first()
    )


def submissions_visible_to(user) -> QuerySet[Submission]:
    """Members see their organizations' submissions (drafts too); staff and the
    organizer's editors see every submitted or withdrawn one of their calls;
    reviewers see the ones assigned to them (through the access hooks)."""
    if not is_signed_in(user):
        return Submission.objects.none()
    edited = edited_organization_ids(user)
    mine = Q(organization_id__in=edited) | Q(created_by=user)
    not_draft = ~Q(status=Submission.Status.DRAFT)
    if is_cluster_staff(user):
        condition = mine | not_draft
    else:
        condition = mine | (not_draft & Q(call__organizer_id__in=edited))
        reviewed = access.reviewer_submission_ids(user)
        if reviewed:
            condition |= not_draft & Q(pk__in=reviewed)
    return Submission.objects.filter(condition).select_related("call", "organization")


def submissions_of(user) -> QuerySet[Submission]:
    """The submissions of the organizations `user` edits ("My submissions")."""
    if not (user and user.is_authenticated):
        return Submission.objects.none()
    return (
        Submission.objects.filter(
            Q(organization_id__in=edited_organization_ids(user)) | Q(created_by=user)
        )
        .select_related("call", "organization")
        .order_by("-updated_at")
    )


def submissions_of_call(user, call: Call) -> QuerySet[Submission]:
    """What `user` sees of one call's submissions."""
    return (
        submissions_visible_to(user)
        .filter(call=call)
        .annotate(attachment_count=Count("attachments"))
    )


def submission_for_page(user, pk: int) -> Submission | None:
    """One submission with its call, the call's active phase switches, its
    organization and its creator's name, in one query. Whether `user` may see it is
    the caller's check (permissions.can_view_submission), so the reviewers' hook
    runs for this one row only, not for every row they review."""
    if not is_signed_in(user):
        return None
    # A join on the one phase row that is active, not a subquery per switch:
    # cheaper for PostgreSQL to plan and for the ORM to compile.
    active_phase = FilteredRelation(
        "call__phases", condition=Q(call__phases__phase=F("call__phase"))
    )
    found = list(
        Submission.objects.annotate(
            active_phase=active_phase,
            # The creator's name only: not another person's whole account row.
            creator_name=F("created_by__full_name"),
            creator_email=F("created_by__email"),
        )
        .select_related("call", "organization", "active_phase")
        .filter(pk=pk)
        .order_by()[:1]  # one row by its key: no sort needed
    )
    if not found:
        return None
    submission = found[0]
    call = submission.call
    call.set_active_settings(
        submission.active_phase or CallPhase.default_for(call, call.phase)
    )
    return submission


def attachments_of(submission: Submission) -> list[Attachment]:
    """The documents in upload order, with what their list shows."""
    return list(
        Attachment.objects.filter(submission=submission)
        .only("id", "submission_id", "original_name", "size", "created_at")
        .order_by("created_at", "pk")
    )


def tags_of(submission: Submission) -> list[Tag]:
    """The submission's technologies, as its page lists them."""
    return list(submission.tags.all())


def messages_of(
    submission: Submission, *, with_names: bool, latest: int | None = None
) -> tuple[list[dict], bool]:
    """The thread in order, each message as a dict with what the pages show (the
    authors' names only when the viewer may see them), and whether older messages
    were left out: with `latest`, only that many of the newest are read."""
    fields = ["author_id", "body", "is_from_reviewer", "created_at"]
    names = (
        {"author_name": F("author__full_name"), "author_email": F("author__email")}
        if with_names
        else {}
    )
    messages = Message.objects.filter(submission=submission).values(*fields, **names)
    if latest is None:
        return list(messages.order_by("created_at", "pk")), False
    newest = list(messages.order_by("-created_at", "-pk")[: latest + 1])
    has_earlier = len(newest) > latest
    return newest[:latest][::-1], has_earlier


def reviewer_numbers(submission: Submission) -> dict[int | None, int]:
    """ "Reviewer 1", "Reviewer 2"… in the order they first wrote in the thread, the
    same on every page whatever part of the thread it shows."""
    first_messages = (
        Message.objects.filter(submission=submission, is_from_reviewer=True)
        .values("author_id")
        .annotate(first_at=Min("created_at"), first_pk=Min("pk"))
        .order_by("first_at", "first_pk")
    )
    return {row["author_id"]: n for n, row in enumerate(first_messages, start=1)}


def eligible_organizations_for(user, call: Call) -> list[Organization]:
    """The organizations `user` edits that may submit to `call`."""
    from exchange.permissions import is_eligible_organization

    if not (user and user.is_authenticated):
        return []
    orgs = Organization.objects.filter(
        pk__in=edited_organization_ids(user), deleted_at__isnull=True
    ).order_by("name_uk")
    return [org for org in orgs if is_eligible_organization(org, call)]


# Deadlines in two time zones.


@dataclass(frozen=True)
class Deadline:
    """A moment in the call's zone and in the viewer's, for one sentence."""

    in_call_zone: datetime.datetime
    call_zone: str
    in_viewer_zone: datetime.datetime
    viewer_zone: str

    @property
    def same_zone(self) -> bool:
        return self.in_call_zone.utcoffset() == self.in_viewer_zone.utcoffset()

    def __str__(self) -> str:
        when = date_format(self.in_call_zone, "j E Y, H:i")
        place = zone_city(self.call_zone)
        if self.same_zone:
            return _("%(when)s %(place)s time") % {"when": when, "place": place}
        return _(
            "%(when)s %(place)s time (%(local)s in %(viewer_place)s, your time)"
        ) % {
            "when": when,
            "place": place,
            "local": date_format(
                self.in_viewer_zone,
                "H:i"
                if self.in_viewer_zone.date() == self.in_call_zone.date()
                else "j E, H:i",
            ),
            "viewer_place": zone_city(self.viewer_zone),
        }


def deadline(moment: datetime.datetime, call: Call) -> Deadline:
    """`moment` in the call's zone and in the viewer's active zone."""
    viewer = timezone.get_current_timezone()
    return Deadline(
        in_call_zone=moment.astimezone(ZoneInfo(call.time_zone)),
        call_zone=call.time_zone,
        in_viewer_zone=moment.astimezone(viewer),
        viewer_zone=getattr(viewer, "key", str(viewer)),
    )


# Versions and their differences.


@dataclass(frozen=True)
class VersionChange:
    field: str
    label: str
    old: str
    new: str

    @property
    def merged(self) -> SafeString:
        return render_diff(diff_words(self.old, self.new))


def field_label(name: str) -> str:
    return str(Submission._meta.get_field(name).verbose_name)


def version_changes(old: dict, new: dict) -> list[VersionChange]:
    """The fields that differ between two version snapshots."""
    changes = []
    for name in new.keys() | old.keys():
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        changes.append(
            VersionChange(name, field_label(name), _text(before), _text(after))
        )
    order = list(new.keys())
    changes.sort(key=lambda c: order.index(c.field) if c.field in order else 99)
    return changes


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


# Provenance of each language.


@dataclass(frozen=True)
class FieldPair:
    """One text field in both languages, with who wrote each."""

    field: str
    label: str
    uk: str
    en: str
    uk_note: str
    en_note: str


def provenance_note(submission: Submission, name: str, *, show_names: bool) -> str:
    entry = submission.provenance.get(name)
    if not entry or not getattr(submission, name):
        return ""
    if entry.get("origin") == "submitter":
        return _("Written by the submitter")
    if entry.get("origin") == "approved_machine":
        return _("Machine translation approved by the submitters on %(date)s") % {
            "date": entry.get("at", "")[:10]
        }
    when = entry.get("at", "")[:10]
    who = entry.get("by_name") if show_names else ""
    if who:
        return _("Added later by %(name)s on %(date)s") % {"name": who, "date": when}
    return _("Added later on %(date)s") % {"date": when}


def field_pairs(submission: Submission, *, show_names: bool) -> list[FieldPair]:
    """The text fields side by side, as the submission page shows them."""
    pairs = []
    for field in TEXT_FIELDS:
        texts = {}
        for language in ("uk", "en"):
            # A machine translation fills an empty language, marked as such.
            machine = machine_text(submission, field, language)
            if machine is not None:
                texts[language] = (machine.text, machine_note(machine))
            else:
                texts[language] = (
                    getattr(submission, f"{field}_{language}"),
                    provenance_note(
                        submission, f"{field}_{language}", show_names=show_names
                    ),
                )
        pairs.append(
            FieldPair(
                field=field,
                label=str(TEXT_LABELS[field]),
                uk=texts["uk"][0],
                en=texts["en"][0],
                uk_note=texts["uk"][1],
                en_note=texts["en"][1],
            )
        )
    return pairs


def machine_note(machine) -> str:
    """ "Machine translation — original in Ukrainian (DeepL, 2026-12-04)"."""
    from translations.engines import LABELS

    engine = LABELS.get(machine.engine, machine.engine)
    return f"{capfirst(machine.fallback_note)} ({engine}, {machine.translated_at[:10]})"


# The landing page (settings.MIST_HOME_FIGURES and MIST_HOME_HIGHLIGHTS).


def open_calls(now: datetime.datetime | None = None) -> QuerySet[Call]:
    """Public calls taking submissions now, the one closing soonest first."""
    now = now or timezone.now()
    return (
        calls_visible_to(None)
        .filter(phase=Call.Phase.SUBMISSION, opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at", "pk")
    )


def exchange_figures() -> dict[str, int]:
    """For the landing page: how many calls take submissions now."""
    return {"open_calls": open_calls().count()}


def home_open_call() -> dict:
    """For the landing page: the open call that closes soonest (or None)."""
    return {"open_call": open_calls().first()}
