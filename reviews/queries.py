"""Reads of the reviews app, shared by pages, exports and the API.

The dashboard reads a handful of `values()` queries for the whole call (totals are
aggregated in SQL per review) and ranks in one pass in Python: no query per row.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts.permissions import is_cluster_staff, is_signed_in
from accounts.queries import edited_organization_ids
from exchange.models import Call, CallPhase, Criterion, Submission
from reviews import permissions, ranking, scoring
from reviews.models import (
    Assignment,
    CallReviewer,
    Decision,
    OutboxMessage,
    Review,
    Score,
)


def managed_calls(user) -> QuerySet[Call]:
    """Calls whose reviews `user` runs: all for staff, their organizations' for
    editors."""
    calls = Call.objects.select_related("organizer").order_by("-opens_at")
    if is_cluster_staff(user):
        return calls
    if not is_signed_in(user):
        return calls.none()
    return calls.filter(organizer_id__in=edited_organization_ids(user))


def assignments_of(user) -> QuerySet[Assignment]:
    """The user's own assignments ("My reviews"), newest call first."""
    if not is_signed_in(user):
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(
            call_reviewer__user=user,
            call_reviewer__is_active=True,
            submission__status=Submission.Status.SUBMITTED,
        )
        .select_related("submission__call", "call_reviewer", "review")
        .order_by("-submission__call__closes_at", "submission__pk")
    )


def assignment_for_review(user, submission_pk: int) -> Assignment | None:
    """The user's assignment to one submission, with what the review page shows: the
    submission, its organization, its call with the active phase's switches, and the
    review, in one query (the rubric and the files are read where they are shown:
    `rubric_of`, exchange's `attachments_of`)."""
    # A join on the one phase row that is active, as exchange's submission_for_page.
    active_phase = FilteredRelation(
        "submission__call__phases",
        condition=Q(submission__call__phases__phase=F("submission__call__phase")),
    )
    assignment = (
        assignments_of(user)
        .annotate(active_phase=active_phase)
        .select_related("submission__organization", "active_phase")
        .filter(submission_id=submission_pk)
        .order_by("-round")
        .first()
    )
    if assignment is not None:
        call = assignment.submission.call
        call.set_active_settings(
            assignment.active_phase or CallPhase.default_for(call, call.phase)
        )
    return assignment


def rubric_of(call: Call) -> list[Criterion]:
    """The call's criteria in the rubric's order."""
    return list(Criterion.objects.filter(call=call).order_by("position", "pk"))


def previous_review(assignment: Assignment) -> Review | None:
    """The same reviewer's submitted review of the same submission in the round
    before (read-only now), or None."""
    if assignment.round < 2:
        return None
    return (
        Review.objects.filter(
            assignment__submission_id=assignment.submission_id,
            assignment__call_reviewer_id=assignment.call_reviewer_id,
            assignment__round__lt=assignment.round,
            status=Review.Status.SUBMITTED,
        )
        .select_related("assignment")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=Score.objects.select_related("criterion").order_by(
                    "criterion__position", "criterion__pk"
                ),
            )
        )
        .order_by("-assignment__round")
        .first()
    )


def round_assignments(submission: Submission) -> QuerySet[Assignment]:
    """The assignments of the submission's current round, with their reviewers."""
    return (
        Assignment.objects.filter(submission=submission, round=submission.review_round)
        .select_related("call_reviewer__user")
        .order_by("call_reviewer__user__full_name", "call_reviewer__user__email")
    )


def other_reviews(assignment: Assignment) -> QuerySet[Review]:
    """The other submitted reviews of the same submission, in the same round."""
    return (
        Review.objects.filter(
            assignment__submission_id=assignment.submission_id,
            assignment__round=assignment.round,
            status=Review.Status.SUBMITTED,
        )
        .exclude(assignment=assignment)
        .prefetch_related("scores")
        .order_by("assignment__pk")
    )


def reviewers_of(call: Call) -> QuerySet[CallReviewer]:
    """The call's reviewers with their progress counts."""
    return (
        CallReviewer.objects.filter(call=call)
        .select_related("user")
        .annotate(
            assigned=Count("assignments", distinct=True),
            submitted=Count(
                "assignments",
                filter=Q(assignments__review__status=Review.Status.SUBMITTED),
                distinct=True,
            ),
            drafts=Count(
                "assignments",
                filter=Q(assignments__review__status=Review.Status.DRAFT),
                distinct=True,
            ),
        )
        .order_by("user__full_name", "user__email")
    )


# The dashboard


def progress_of(rows: list["DashboardRow"]) -> dict:
    """Reviews assigned and submitted over the dashboard's rows."""
    return {
        "assigned": sum(r.assigned for r in rows),
        "submitted": sum(r.submitted for r in rows),
        "reviewers": len({pk for r in rows for pk in r.reviewer_ids}),
    }


@dataclass(slots=True)
class DashboardRow:
    """One submission on the organizers' dashboard."""

    pk: int
    title: str
    organization: str
    status: str
    assigned: int = 0
    submitted: int = 0
    needed: int = 0
    mean_total: float | None = None
    normalized: float | None = None
    spread: float | None = None
    disagreement: bool = False
    recommendations: dict = field(default_factory=dict)
    decision: str = ""
    decision_status: str = ""
    rank: int | None = None
    reviewer_ids: set = field(default_factory=set)
    # The submission's review round: its scores and assignments are this round's.
    round: int = 1

    @property
    def decision_label(self) -> str:
        return str(Decision.Outcome(self.decision).label) if self.decision else ""

    @property
    def complete(self) -> bool:
        return self.submitted >= self.needed


def _fetch(queryset) -> list[tuple]:
    """The rows of a `values_list()` queryset read through the cursor: thousands
    of rows skip the ORM's per-row work (its columns need no conversion)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def review_points(call: Call) -> list[scoring.ReviewPoint]:
    """Every submitted review of `call` with its weighted total, aggregated in SQL
    (one grouped query over reviews, their scores and the criteria)."""
    # The rubric is small: each counting criterion's weight and scale become
    # constants of the query (value × factor + offset), so the scores need no join
    # with the criteria and no per-row casts.
    value_terms, weight_terms = [], []
    for criterion in Criterion.objects.filter(call=call, counts_toward_total=True):
        if criterion.scale_max <= criterion.scale_min:
            continue
        weight = float(criterion.weight)
        factor = weight * 100.0 / (criterion.scale_max - criterion.scale_min)
        match = Q(scores__criterion_id=criterion.pk)
        value_terms.append(
            When(
                match,
                then=F("scores__value") * Value(factor)
                - Value(factor * criterion.scale_min),
            )
        )
        weight_terms.append(When(match, then=Value(weight)))
    if value_terms:
        weighted = Sum(Case(*value_terms, output_field=FloatField()))
        weights = Sum(Case(*weight_terms, output_field=FloatField()))
    else:
        weighted = weights = Value(None, output_field=FloatField())
    points = []
    rows = (
        Review.objects.filter(
            assignment__submission__call=call,
            status=Review.Status.SUBMITTED,
            # Only the current round's reviews count toward a submission's total.
            assignment__round=F("assignment__submission__review_round"),
        )
        .values(
            "pk",
            "recommendation",
            "assignment__call_reviewer_id",
            "assignment__submission_id",
        )
        .annotate(weighted=weighted, weights=weights)
        .order_by()
        .values_list(
            "pk",
            "recommendation",
            "assignment__call_reviewer_id",
            "assignment__submission_id",
            "weighted",
            "weights",
        )
    )
    # Read through the cursor: thousands of rows skip the ORM's per-value converters.
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    for pk, recommendation, reviewer_id, submission_id, weighted, weights in fetched:
        points.append(
            scoring.ReviewPoint(
                review_id=pk,
                reviewer_id=reviewer_id,
                submission_id=submission_id,
                total=float(weighted) / float(weights) if weights else None,
                recommendation=recommendation,
            )
        )
    return points


def dashboard_rows(
    call: Call,
    *,
    language: str,
    pks: list[int] | None = None,
    ranked: ranking.Ranking | None = None,
) -> list[DashboardRow]:
    """Every submitted (or withdrawn) submission of `call`, scored and ranked;
    with `pks`, only those submissions (a page), in that order. The scores and
    ranks come from the call's cached ranking (`reviews.ranking`); assignments,
    scores and decisions are those of each submission's current review round."""
    ranked = ranked or ranking.ranking_of(call)
    assignments = Assignment.objects.filter(
        submission__call=call, round=F("submission__review_round")
    )
    decided = Decision.objects.filter(submission__call=call)
    submissions = Submission.objects.filter(call=call).exclude(
        status=Submission.Status.DRAFT
    )
    if pks is not None and len(pks) <= WHOLE_READ_ABOVE:
        assignments = assignments.filter(submission_id__in=pks)
        decided = decided.filter(submission_id__in=pks)
        submissions = submissions.filter(pk__in=pks)
    assigned = dict(
        _fetch(
            assignments.values("submission_id")
            .annotate(n=Count("pk"))
            .values_list("submission_id", "n")
            .order_by()
        )
    )
    decisions = {
        submission_id: (outcome, status, decided_round)
        for submission_id, outcome, status, decided_round in _fetch(
            decided.values_list("submission_id", "outcome", "status", "round")
        )
    }
    scores = ranked.scores
    positions = ranked.positions
    needed = call.reviews_per_submission
    # The active language's column first, the other as the fallback.
    first, second = (1, 2) if language == "uk" else (2, 1)
    no_decision = ("", "", 0)
    rows = []
    for row in _fetch(
        submissions.values_list(
            "pk",
            "title_uk",
            "title_en",
            "organization__name_uk",
            "organization__name_en",
            "status",
            "review_round",
        ).order_by("pk")
    ):
        pk, review_round = row[0], row[6]
        outcome, decision_status, decided_round = decisions.get(pk, no_decision)
        if decided_round < review_round:
            # The earlier round's "revise": the current round awaits its decision.
            outcome = decision_status = ""
        item = DashboardRow(
            pk=pk,
            title=row[first] or row[second] or "",
            organization=row[first + 2] or row[second + 2] or "",
            status=row[5],
            assigned=assigned.get(pk, 0),
            needed=needed,
            decision=outcome,
            decision_status=decision_status,
            rank=positions.get(pk),
            round=review_round,
        )
        score = scores.get(pk)
        if score is not None:
            item.submitted = score.reviews
            item.mean_total = score.mean_total
            item.normalized = score.normalized
            item.spread = score.spread
            item.disagreement = score.disagreement
            item.recommendations = score.recommendations
            item.reviewer_ids = score.reviewer_ids
        rows.append(item)
    if pks is not None:
        by_pk = {r.pk: r for r in rows}
        rows = [by_pk[pk] for pk in pks if pk in by_pk]
    return rows


#: A page longer than this reads the whole call (one scan beats an IN list of
#: thousands of parameters) and keeps its rows in Python.
WHOLE_READ_ABOVE = 500


class RankedRows(Sequence):
    """The dashboard's rows in rank order, read a slice (a page) at a time: only
    the page's submissions are read; the order comes from the cached ranking."""

    def __init__(self, call: Call, *, language: str) -> None:
        self.call = call
        self.language = language
        self.ranking = ranking.ranking_of(call)
        self.order = self.ranking.pks()

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, index):
        if isinstance(index, slice):
            pks = list(self.order[index])
        else:
            pks = [self.order[index]]
        rows = dashboard_rows(
            self.call, language=self.language, pks=pks, ranked=self.ranking
        )
        return rows if isinstance(index, slice) else rows[0]

    def __iter__(self):
        return iter(self[:])  # every row in one read (exports)

    def summary(self) -> tuple[dict, int]:
        """`progress_of` over every row and the number of pending decisions, from
        the cached ranking, without reading the rows."""
        progress = {
            "assigned": self.ranking.assigned,
            "submitted": self.ranking.submitted,
            "reviewers": self.ranking.reviewers,
        }
        return progress, self.ranking.pending


def summary_counts(call: Call) -> tuple[int, int]:
    """The assignments of the current round of `call`'s shown (non-draft)
    submissions, and its pending decisions, in one query."""

    def shown(model):
        return model.objects.filter(submission__call=OuterRef("pk")).exclude(
            submission__status=Submission.Status.DRAFT
        )

    return (
        Call.objects.filter(pk=call.pk)
        .annotate(
            assigned=_count(
                shown(Assignment).filter(round=F("submission__review_round"))
            ),
            pending=_count(shown(Decision).filter(status=Decision.Status.PENDING)),
        )
        .values_list("assigned", "pending")
        .get()
    )


def _count(queryset) -> Coalesce:
    """COUNT(*) of `queryset` (rows of submissions of one call) as a subquery."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values("submission__call")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


SORTS = {
    "rank": lambda r: (r.rank is None, r.rank or 0, r.pk),
    "total": lambda r: (r.mean_total is None, -(r.mean_total or 0), r.pk),
    "title": lambda r: (r.title.casefold(), r.pk),
    "reviews": lambda r: (r.submitted, r.pk),
    "spread": lambda r: (r.spread is None, -(r.spread or 0), r.pk),
}


def filter_rows(
    rows: list[DashboardRow],
    *,
    q: str = "",
    progress: str = "",
    disagreement: bool = False,
    decision: str = "",
    round: int | None = None,
) -> list[DashboardRow]:
    if q:
        needle = q.casefold()
        rows = [
            r
            for r in rows
            if needle in r.title.casefold() or needle in r.organization.casefold()
        ]
    if progress == "complete":
        rows = [r for r in rows if r.complete]
    elif progress == "incomplete":
        rows = [r for r in rows if not r.complete]
    if disagreement:
        rows = [r for r in rows if r.disagreement]
    if decision == "none":
        rows = [r for r in rows if not r.decision]
    elif decision:
        rows = [r for r in rows if r.decision == decision]
    if round:
        rows = [r for r in rows if r.round == round]
    return rows


def sort_rows(rows: list[DashboardRow], ordering: str) -> list[DashboardRow]:
    descending = ordering.startswith("-")
    key = SORTS.get(ordering.lstrip("-"), SORTS["rank"])
    return sorted(rows, key=key, reverse=descending)


def submission_reviews(submission: Submission) -> QuerySet[Review]:
    """All reviews of a submission for its organizers, with scores and reviewers."""
    return (
        Review.objects.filter(assignment__submission=submission)
        .select_related("assignment__call_reviewer__user")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion"))
        )
        .order_by("-assignment__round", "assignment__pk")
    )


def feedback_reviews(
    submission: Submission, *, current_released: bool = False
) -> QuerySet[Review]:
    """The submitted reviews a submitter reads (comments and scores only): those of
    the rounds already decided, and the current round's once its decision is
    released (`current_released`)."""
    rounds = Q(assignment__round__lt=submission.review_round)
    if current_released:
        rounds |= Q(assignment__round=submission.review_round)
    return (
        Review.objects.filter(
            rounds, assignment__submission=submission, status=Review.Status.SUBMITTED
        )
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=Score.objects.select_related("criterion").order_by(
                    "criterion__position", "criterion__pk"
                ),
            )
        )
        .select_related("assignment__call_reviewer__user")
        .order_by("-assignment__round", "assignment__pk")
    )


def feedback_rows(submission: Submission, decision: Decision | None) -> list[dict]:
    """The reviewers' released comments as submitters read them, newest round first:
    reviewers numbered per round, named only when the call is not blind."""
    from django.utils.translation import gettext

    show_names = permissions.submitters_see_reviewer_names(submission.call)
    current_released = (
        decision is not None
        and decision.status == Decision.Status.RELEASED
        and decision.round == submission.review_round
    )
    rows, numbers = [], {}
    for review in feedback_reviews(submission, current_released=current_released):
        round_number = review.assignment.round
        numbers[round_number] = numbers.get(round_number, 0) + 1
        reviewer = review.assignment.call_reviewer.user
        name = ""
        if show_names:
            name = reviewer.full_name and reviewer.get_full_name()
        rows.append(
            {
                "round": round_number,
                "label": name
                or gettext("Reviewer %(n)s") % {"n": numbers[round_number]},
                "comments": review.comments_to_submitters,
                "recommendation": review.get_recommendation_display(),
                "offers_mentoring": review.offers_mentoring,
                "scores": [
                    {"criterion": s.criterion, "value": s.value}
                    for s in review.scores.all()
                ],
            }
        )
    return rows


def outbox_of(call: Call) -> QuerySet[OutboxMessage]:
    return (
        OutboxMessage.objects.filter(decision__submission__call=call)
        .select_related("decision__submission")
        .order_by("status", "pk")
    )


def pending_decisions(call: Call) -> QuerySet[Decision]:
    return Decision.objects.filter(
        submission__call=call, status=Decision.Status.PENDING
    ).select_related("submission")


def managed_submission(user, pk: int) -> Submission | None:
    """A submission (never a draft) of a call whose reviews `user` runs, or None:
    missing and not theirs look the same."""
    submission = (
        Submission.objects.select_related(
            "call__organizer", "organization", "created_by"
        )
        .exclude(status=Submission.Status.DRAFT)
        .filter(pk=pk)
        .first()
    )
    if submission is None or not permissions.can_manage_reviews(user, submission.call):
        return None
    return submission


def decisions_visible_to(user) -> QuerySet[Decision]:
    """Organizers see their calls' decisions; submitters (the submission's
    creator and its organization's editors) their released ones."""
    if not (user and user.is_authenticated):
        return Decision.objects.none()
    own = Q(status=Decision.Status.RELEASED) & (
        Q(submission__organization_id__in=edited_organization_ids(user))
        | Q(submission__created_by=user)
    )
    managed = Q(submission__call__in=managed_calls(user).values("pk"))
    return Decision.objects.filter(managed | own).order_by("pk")


def released_decision(submission: Submission) -> Decision | None:
    """The submission's decision once it is released to the submitters (in a later
    round, the earlier "revise" until the new decision is recorded)."""
    return Decision.objects.filter(
        submission=submission, status=Decision.Status.RELEASED
    ).first()


def accepted_submissions() -> QuerySet[Submission]:
    """Submissions accepted by a released decision in a public call: what the
    journey may show everyone (the decision, never a reviewer)."""
    return (
        Submission.objects.filter(
            status=Submission.Status.SUBMITTED,
            decision__status=Decision.Status.RELEASED,
            decision__outcome=Decision.Outcome.ACCEPT,
        )
        .exclude(call__phase=Call.Phase.DRAFT)
        .select_related("call", "organization", "decision")
    )
