"""Assigning reviewers to a call's submissions: automatically and by hand.

`assign_automatically` loads the call's submitted submissions and active
reviewers, detects conflicts, computes affinities, runs the exact solver in
`reviews.assignment.solver` and saves the result in one transaction. Manual and pinned
assignments, and any assignment whose review has started, are kept as they are
(fixed); the other automatic ones are replaced.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext, ngettext

from accounts.models import User
from core import audit
from exchange.models import Call, Submission
from reviews import conflicts as conflict_detection
from reviews import permissions
from reviews.assignment.solver import (
    CONFLICT,
    ELIGIBLE_AT_LOAD,
    LANGUAGE,
    NO_REVIEWERS,
    TOO_FEW_ELIGIBLE,
    AffinityMatrix,
    Pair,
    ReviewerCapacity,
    Shortfall,
    SubmissionNeed,
    solve,
)
from reviews.models import Assignment, CallReviewer, ConflictOfInterest, Review

#: Affinity weights: a shared expertise tag, a shared KVED sector, and reading the
#: language the submitters wrote in (rather than a translation).
TAG_WEIGHT = 10
SECTOR_WEIGHT = 6
LANGUAGE_BONUS = 3


def _unreadable_phrase(count: int, languages: set[str]) -> str:
    """ "2 don't read Ukrainian": whole sentences, so each language declines."""
    if languages == {"uk"}:
        return ngettext(
            "%(count)s doesn't read Ukrainian", "%(count)s don't read Ukrainian", count
        ) % {"count": count}
    if languages == {"en"}:
        return ngettext(
            "%(count)s doesn't read English", "%(count)s don't read English", count
        ) % {"count": count}
    return ngettext(
        "%(count)s doesn't read the submission's language",
        "%(count)s don't read the submission's language",
        count,
    ) % {"count": count}


@dataclass
class UnfilledSubmission:
    """A submission the solver could not fill, with the reason in words."""

    submission_id: int
    title: str
    need: int
    assigned: int
    reason: str


@dataclass
class AssignmentReport:
    """What `assign_automatically` did."""

    created: int = 0
    removed: int = 0
    kept: int = 0
    total_affinity: int = 0
    conflicts: int = 0
    submissions: int = 0
    reviewers: int = 0
    unfilled: list[UnfilledSubmission] = field(default_factory=list)
    #: fixed (manual, pinned, started) assignments that are now conflicted
    warnings: list[str] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return not self.unfilled

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "removed": self.removed,
            "kept": self.kept,
            "total_affinity": self.total_affinity,
            "conflicts": self.conflicts,
            "unfilled": [u.submission_id for u in self.unfilled],
        }


# Reading the call


def original_languages(submission_row: dict) -> set[str]:
    """Languages the submitters wrote in (not added later as a translation)."""
    provenance = submission_row.get("provenance") or {}
    return {
        lang
        for lang in submission_row["languages"]
        if (provenance.get(f"summary_{lang}") or {}).get("origin") != "added"
    }


def _submission_rows(call: Call) -> list[dict]:
    rows = list(
        Submission.objects.filter(call=call, status=Submission.Status.SUBMITTED)
        .order_by("pk")
        .values("pk", "title_uk", "title_en", "summary_uk", "summary_en", "provenance")
    )
    for row in rows:
        row["languages"] = {
            lang
            for lang in ("uk", "en")
            if row[f"title_{lang}"].strip() and row[f"summary_{lang}"].strip()
        }
        row["title"] = row["title_en"] or row["title_uk"]
        row["originals"] = original_languages(row)
        row["tags"], row["sectors"] = set(), set()
        del row["summary_uk"], row["summary_en"]
    by_pk = {row["pk"]: row for row in rows}
    of_call = {
        "submission__call": call,
        "submission__status": Submission.Status.SUBMITTED,
    }
    for sub_id, tag_id in Submission.tags.through.objects.filter(**of_call).values_list(
        "submission_id", "tag_id"
    ):
        by_pk[sub_id]["tags"].add(tag_id)
    for sub_id, sector_id in Submission.sectors.through.objects.filter(
        **of_call
    ).values_list("submission_id", "sector_id"):
        by_pk[sub_id]["sectors"].add(sector_id)
    return rows


def _reviewer_rows(call: Call) -> list[dict]:
    rows = list(
        CallReviewer.objects.filter(call=call, is_active=True)
        .order_by("pk")
        .values("pk", "max_load", "languages")
    )
    by_pk = {row["pk"]: row for row in rows}
    for row in rows:
        row["languages"] = set(row["languages"] or ())
        row["tags"], row["sectors"] = set(), set()
    of_call = {"callreviewer__call": call, "callreviewer__is_active": True}
    for reviewer_id, tag_id in CallReviewer.expertise.through.objects.filter(
        **of_call
    ).values_list("callreviewer_id", "tag_id"):
        by_pk[reviewer_id]["tags"].add(tag_id)
    for reviewer_id, sector_id in CallReviewer.expertise_sectors.through.objects.filter(
        **of_call
    ).values_list("callreviewer_id", "sector_id"):
        by_pk[reviewer_id]["sectors"].add(sector_id)
    return rows


def reads_submission(reviewer_languages: set[str], submission_languages: set[str]):
    """A reviewer can read a submission written (or translated) in a language they
    read. A reviewer who declared no languages is not limited."""
    return not reviewer_languages or bool(reviewer_languages & submission_languages)


def affinity_of(reviewer: dict, submission: dict) -> int:
    """Weighted overlap of expertise with the submission's tags and sectors."""
    score = TAG_WEIGHT * len(reviewer["tags"] & submission["tags"])
    score += SECTOR_WEIGHT * len(reviewer["sectors"] & submission["sectors"])
    if reviewer["languages"] & submission["originals"]:
        score += LANGUAGE_BONUS
    return score


def _incidence(rows: list[dict], key: str, index: dict) -> np.ndarray:
    """A 0/1 matrix: one row per item, one column per tag/sector/language."""
    matrix = np.zeros((len(rows), max(1, len(index))), dtype=np.int32)
    for i, row in enumerate(rows):
        for value in row[key]:
            if value in index:
                matrix[i, index[value]] = 1
    return matrix


def score_pairs(
    subs: list[dict], revs: list[dict]
) -> tuple[Mapping[tuple[int, int], int], set[tuple[int, int]]]:
    """Affinity of every pair (`affinity_of`, as matrices) and the pairs whose
    reviewer cannot read the submission (`reads_submission`)."""
    if not subs or not revs:
        return {}, set()
    scores = np.zeros((len(subs), len(revs)), dtype=np.int64)
    for key, weight in (("tags", TAG_WEIGHT), ("sectors", SECTOR_WEIGHT)):
        values = {v for row in subs for v in row[key]} | {
            v for row in revs for v in row[key]
        }
        index = {value: k for k, value in enumerate(sorted(values))}
        scores += weight * (
            _incidence(subs, key, index) @ _incidence(revs, key, index).T
        )
    languages = {"uk": 0, "en": 1}
    read = _incidence(revs, "languages", languages).T
    undeclared = read.sum(axis=0) == 0
    readable = (_incidence(subs, "languages", languages) @ read > 0) | undeclared
    originals = _incidence(subs, "originals", languages) @ read > 0
    scores += LANGUAGE_BONUS * originals
    sub_ids = [row["pk"] for row in subs]
    rev_ids = [row["pk"] for row in revs]
    affinity = AffinityMatrix(sub_ids, rev_ids, scores)
    rows, cols = np.nonzero(~readable)
    unreadable = {
        (sub_ids[i], rev_ids[j])
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
    }
    return affinity, unreadable


def _kept_assignments(call: Call):
    """Assignments an automatic run never touches: manual, pinned, or reviewed."""
    return Assignment.objects.filter(submission__call=call).filter(
        Q(source=Assignment.Source.MANUAL)
        | Q(is_pinned=True)
        | Exists(Review.objects.filter(assignment=OuterRef("pk")))
    )


# Reasons in words


def shortfall_reason(shortfall: Shortfall, languages: set[str], need: int) -> str:
    """A translated sentence saying why a submission lacks reviewers (`need`: how
    many reviews it needs in all)."""
    parts = []
    conflicted = shortfall.forbidden.get(CONFLICT, 0)
    if conflicted:
        parts.append(
            ngettext(
                "%(count)s has a conflict of interest",
                "%(count)s have a conflict of interest",
                conflicted,
            )
            % {"count": conflicted}
        )
    unreadable = shortfall.forbidden.get(LANGUAGE, 0)
    if unreadable:
        parts.append(_unreadable_phrase(unreadable, languages))
    if shortfall.at_load:
        parts.append(
            ngettext(
                "%(count)s has no load left",
                "%(count)s have no load left",
                shortfall.at_load,
            )
            % {"count": shortfall.at_load}
        )
    if shortfall.code == ELIGIBLE_AT_LOAD:
        head = gettext(
            "the eligible reviewers are all at their load with other submissions"
        )
    elif shortfall.code == NO_REVIEWERS:
        head = gettext("no eligible reviewer")
    else:
        head = ngettext(
            "only %(count)s eligible reviewer",
            "only %(count)s eligible reviewers",
            shortfall.eligible,
        ) % {"count": shortfall.eligible}
    missing = ngettext(
        "%(missing)s of %(need)s reviewer missing",
        "%(missing)s of %(need)s reviewers missing",
        need,
    ) % {"missing": shortfall.missing, "need": need}
    sentence = f"{missing}: {head}"
    if parts:
        sentence += f" ({', '.join(parts)})"
    return sentence


# Use cases


def _check_manager(user: User, call: Call) -> None:
    if not permissions.can_manage_reviews(user, call):
        raise PermissionDenied


def auto_assignments_to_replace(call: Call) -> int:
    """How many automatic assignments a new run may replace (for a confirmation)."""
    kept = _kept_assignments(call).values("pk")
    return (
        Assignment.objects.filter(submission__call=call, source=Assignment.Source.AUTO)
        .exclude(pk__in=kept)
        .count()
    )


def _replace_automatic(
    replaceable: Mapping[Pair, int], new_pairs: set[Pair]
) -> tuple[int, int]:
    """Delete the replaceable assignments the solver did not keep and create its
    new pairs; how many were created and removed."""
    stale = [pk for pair, pk in replaceable.items() if pair not in new_pairs]
    Assignment.objects.filter(pk__in=stale).delete()
    to_create = [pair for pair in new_pairs if pair not in replaceable]
    Assignment.objects.bulk_create(
        [
            Assignment(
                submission_id=sub_id,
                call_reviewer_id=reviewer_id,
                source=Assignment.Source.AUTO,
            )
            for sub_id, reviewer_id in sorted(to_create)
        ],
        batch_size=1000,
    )
    return len(to_create), len(stale)


def _unfilled(
    call: Call, subs: list[dict], shortfalls: Mapping[int, Shortfall]
) -> list[UnfilledSubmission]:
    """The submissions still short of reviewers, each with the reason why."""
    wanted = call.reviews_per_submission
    rows = {row["pk"]: row for row in subs}
    return [
        UnfilledSubmission(
            submission_id=sub_id,
            title=rows[sub_id]["title"],
            need=wanted,
            assigned=wanted - shortfall.need + shortfall.assigned,
            reason=shortfall_reason(shortfall, rows[sub_id]["languages"], wanted),
        )
        for sub_id, shortfall in sorted(shortfalls.items())
    ]


def assign_automatically(call: Call, *, actor: User) -> AssignmentReport:
    """Detect conflicts, solve exactly for maximal coverage then maximal affinity,
    and save the automatic assignments (keeping manual, pinned and started ones)."""
    _check_manager(actor, call)
    with transaction.atomic():
        # One run at a time per call: a second one waits for this one's rows.
        Call.objects.select_for_update().filter(pk=call.pk).first()
        conflicts = conflict_detection.detect_conflicts(call)
        subs = _submission_rows(call)
        revs = _reviewer_rows(call)
        existing = list(
            Assignment.objects.filter(submission__call=call).values_list(
                "pk", "submission_id", "call_reviewer_id"
            )
        )
        kept_ids = set(_kept_assignments(call).values_list("pk", flat=True))
        fixed = {(s, r) for pk, s, r in existing if pk in kept_ids}
        replaceable = {(s, r): pk for pk, s, r in existing if pk not in kept_ids}

        wanted = call.reviews_per_submission
        per_sub = Counter(s for s, _ in fixed)
        per_rev = Counter(r for _, r in fixed)
        needs = [
            SubmissionNeed(row["pk"], max(0, wanted - per_sub[row["pk"]]))
            for row in subs
        ]
        capacities = [
            ReviewerCapacity(row["pk"], row["max_load"] - per_rev[row["pk"]])
            for row in revs
        ]
        affinity, unreadable = score_pairs(subs, revs)
        forbidden = dict.fromkeys(unreadable, LANGUAGE)
        forbidden.update(dict.fromkeys(conflicts, CONFLICT))
        result = solve(needs, capacities, affinity, forbidden, fixed)

        created, removed = _replace_automatic(replaceable, result.new_pairs)
        Call.reviews_changed(call.pk)
        new_per_reviewer = Counter(
            reviewer_id
            for pair in result.new_pairs
            if pair not in replaceable
            for reviewer_id in pair[1:]
        )
        report = AssignmentReport(
            created=created,
            removed=removed,
            kept=len(fixed) + len(result.new_pairs) - created,
            total_affinity=result.total_affinity,
            conflicts=len(conflicts),
            submissions=len(subs),
            reviewers=len(revs),
            unfilled=_unfilled(call, subs, result.unfilled),
        )
        conflicted_fixed = sorted(pair for pair in fixed if pair in conflicts)
        if conflicted_fixed:
            report.warnings.append(
                ngettext(
                    "%(count)s kept assignment has a conflict of interest.",
                    "%(count)s kept assignments have a conflict of interest.",
                    len(conflicted_fixed),
                )
                % {"count": len(conflicted_fixed)}
            )
        audit.record(
            "reviews.assigned_automatically", call, actor=actor, **report.as_dict()
        )
        from reviews.emails import notify_assigned_automatically

        notify_assigned_automatically(call, new_per_reviewer)
    return report


@dataclass
class PairCheck:
    """Why a reviewer may not review a submission (empty lists: they may)."""

    conflicts: dict[str, str]
    unreadable: bool
    over_load: bool

    @property
    def is_blocked(self) -> bool:
        return bool(self.conflicts) or self.unreadable


def check_pair(submission: Submission, call_reviewer: CallReviewer) -> PairCheck:
    """Conflicts, language and load of one reviewer for one submission."""
    found = conflict_detection.find_conflicts(
        submission.call,
        submission_ids={submission.pk},
        call_reviewer_ids={call_reviewer.pk},
    ).get((submission.pk, call_reviewer.pk), {})
    declared = ConflictOfInterest.objects.filter(
        submission=submission,
        call_reviewer=call_reviewer,
        reason=ConflictOfInterest.Reason.DECLARED_BY_REVIEWER,
    ).values_list("reason", "detail")
    found = {**found, **dict(declared)}
    load = Assignment.objects.filter(call_reviewer=call_reviewer).count()
    return PairCheck(
        conflicts=found,
        unreadable=not reads_submission(
            set(call_reviewer.languages or ()), submission.languages()
        ),
        over_load=load >= call_reviewer.max_load,
    )


def _blocked_message(check: PairCheck, submission: Submission) -> str:
    reasons = [
        str(ConflictOfInterest.Reason(reason).label) + (f": {detail}" if detail else "")
        for reason, detail in check.conflicts.items()
    ]
    if check.unreadable:
        languages = submission.languages()
        if languages == {"uk"}:
            reasons.append(gettext("the reviewer doesn't read Ukrainian"))
        elif languages == {"en"}:
            reasons.append(gettext("the reviewer doesn't read English"))
        else:
            reasons.append(
                gettext("the reviewer doesn't read the submission's language")
            )
    if check.over_load:
        reasons.append(gettext("the reviewer is at their maximum load"))
    return "; ".join(reasons)


def assign_manually(
    submission: Submission,
    call_reviewer: CallReviewer,
    *,
    actor: User,
    override_reason: str = "",
) -> Assignment:
    """Assign a reviewer by hand. A conflicted, language-incompatible or fully
    loaded reviewer is refused, unless staff override it with a reason."""
    call = submission.call
    _check_manager(actor, call)
    if call_reviewer.call_id != call.pk:
        raise ValidationError(gettext("This reviewer does not review for this call."))
    if not call_reviewer.is_active:
        raise ValidationError(gettext("This reviewer is no longer active."))
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(gettext("Only submitted submissions can be assigned."))
    if Assignment.objects.filter(
        submission=submission,
        call_reviewer=call_reviewer,
        round=submission.review_round,
    ).exists():
        raise ValidationError(gettext("This reviewer is already assigned."))
    check = check_pair(submission, call_reviewer)
    override_reason = override_reason.strip()
    if check.is_blocked or check.over_load:
        message = _blocked_message(check, submission)
        if not override_reason:
            raise ValidationError(
                gettext("This reviewer cannot be assigned: %(reasons)s.")
                % {"reasons": message}
            )
        if not permissions.can_override_assignment(actor):
            raise PermissionDenied(
                gettext("Only cluster staff may override: %(reasons)s.")
                % {"reasons": message}
            )
    with transaction.atomic():
        assignment = Assignment.objects.create(
            submission=submission,
            call_reviewer=call_reviewer,
            source=Assignment.Source.MANUAL,
            round=submission.review_round,
        )
        Call.reviews_changed(call.pk)
        details = {"reviewer": call_reviewer.pk, "submission": submission.pk}
        if override_reason and (check.is_blocked or check.over_load):
            details.update(
                override=override_reason,
                conflicts=sorted(check.conflicts),
                unreadable=check.unreadable,
                over_load=check.over_load,
            )
        audit.record("reviews.assigned_manually", assignment, actor=actor, **details)
        from reviews.emails import notify_assigned

        notify_assigned([assignment])
    return assignment


def unassign(assignment: Assignment, *, actor: User) -> None:
    """Remove an assignment; one with a submitted review stays (it counts)."""
    _check_manager(actor, assignment.submission.call)
    if Review.objects.filter(
        assignment=assignment, status=Review.Status.SUBMITTED
    ).exists():
        raise ValidationError(
            gettext("The reviewer has submitted their review; it cannot be removed.")
        )
    with transaction.atomic():
        audit.record(
            "reviews.unassigned",
            assignment,
            actor=actor,
            reviewer=assignment.call_reviewer_id,
            submission=assignment.submission_id,
            source=assignment.source,
        )
        assignment.delete()
        Call.reviews_changed(assignment.submission.call_id)


def pin(assignment: Assignment, *, actor: User, pinned: bool = True) -> Assignment:
    """Pin an assignment so automatic runs keep it (or unpin it)."""
    _check_manager(actor, assignment.submission.call)
    if assignment.is_pinned != pinned:
        assignment.is_pinned = pinned
        assignment.save(update_fields=["is_pinned", "updated_at"])
        audit.record(
            "reviews.assignment_pinned", assignment, actor=actor, pinned=pinned
        )
    return assignment


# Reading the result for the page


def assignment_summary(call: Call) -> dict:
    """Counts for the assignment page's header."""
    submissions = Submission.objects.filter(
        call=call, status=Submission.Status.SUBMITTED
    )
    reviewers = CallReviewer.objects.filter(call=call, is_active=True).aggregate(
        count=Count("pk"), capacity=Sum("max_load")
    )
    return {
        "submissions": submissions.count(),
        "under_assigned": under_assigned(submissions, call).count(),
        "reviewers": reviewers["count"],
        "capacity": reviewers["capacity"] or 0,
        "needed": submissions.count() * call.reviews_per_submission,
        "assignments": Assignment.objects.filter(submission__call=call).count(),
        "conflicts": ConflictOfInterest.objects.filter(call_reviewer__call=call)
        .values("call_reviewer_id", "submission_id")
        .distinct()
        .count(),
    }


def under_assigned(submissions, call: Call):
    """The submissions (a queryset) with fewer assignments than the call needs."""
    return submissions.annotate(assigned_count=Count("assignments")).filter(
        assigned_count__lt=call.reviews_per_submission
    )


def attach_assignments(submissions, wanted: int) -> None:
    """Set `assigned` (assignments with reviewer and `has_review`) and `missing` on
    each submission, in one query."""
    by_sub = defaultdict(list)
    for assignment in (
        Assignment.objects.filter(submission__in=[s.pk for s in submissions])
        .select_related("call_reviewer__user")
        .annotate(has_review=Exists(Review.objects.filter(assignment=OuterRef("pk"))))
        .order_by("call_reviewer__user__full_name", "call_reviewer__user__email")
    ):
        by_sub[assignment.submission_id].append(assignment)
    for submission in submissions:
        submission.assigned = by_sub.get(submission.pk, [])
        submission.missing = max(0, wanted - len(submission.assigned))
        submission.language_codes = sorted(submission.languages())


def reviewer_loads(call: Call):
    """The call's reviewers with their current load, active ones first."""
    return (
        CallReviewer.objects.filter(call=call)
        .select_related("user")
        .annotate(load=Count("assignments"))
        .order_by("-is_active", "user__full_name", "user__email")
    )


def diagnose_unfilled(call: Call, submissions: list[Submission]) -> dict[int, str]:
    """Why each of these submissions still lacks reviewers, from the current state:
    stored conflicts, languages and remaining loads. Expects `submission.assigned`
    as set by `attach_assignments`."""
    wanted = call.reviews_per_submission
    short = [s for s in submissions if len(s.assigned) < wanted]
    if not short:
        return {}
    reviewers = list(
        CallReviewer.objects.filter(call=call, is_active=True)
        .annotate(load=Count("assignments"))
        .values_list("pk", "languages", "max_load", "load")
    )
    conflicted = set(
        ConflictOfInterest.objects.filter(
            call_reviewer__call=call, submission__in=short
        ).values_list("submission_id", "call_reviewer_id")
    )
    reasons = {}
    for submission in short:
        assigned = {a.call_reviewer_id for a in submission.assigned}
        languages = submission.languages()
        missing = wanted - len(assigned)
        forbidden: Counter = Counter()
        eligible = at_load = 0
        for pk, reads, max_load, load in reviewers:
            if pk in assigned:
                continue
            if (submission.pk, pk) in conflicted:
                forbidden[CONFLICT] += 1
            elif not reads_submission(set(reads or ()), languages):
                forbidden[LANGUAGE] += 1
            elif load >= max_load:
                at_load += 1
            else:
                eligible += 1
        if eligible >= missing:
            reasons[submission.pk] = ngettext(
                "%(count)s eligible reviewer has load left: run the automatic "
                "assignment or add one by hand.",
                "%(count)s eligible reviewers have load left: run the automatic "
                "assignment or add them by hand.",
                eligible,
            ) % {"count": eligible}
            continue
        shortfall = Shortfall(
            code=NO_REVIEWERS if eligible == 0 else TOO_FEW_ELIGIBLE,
            need=missing,
            assigned=0,
            eligible=eligible,
            forbidden=dict(forbidden),
            at_load=at_load,
        )
        reasons[submission.pk] = shortfall_reason(shortfall, languages, wanted)
    return reasons
