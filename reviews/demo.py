"""Demo data of this app, loaded by `manage.py seed_demo` (MIST_DEMO_SEEDERS).

Runs after the exchange's demo: reviewers for its calls (the demo reviewer account
reviewer@mist.local and a few more abroad), assignments, some reviews and one
pending decision. Idempotent: a second run changes nothing.
"""

import datetime
import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from core import demo
from exchange.models import Call, Submission
from reviews.models import Assignment, CallReviewer, Decision, Review, Score

# Reviewers (a missing time_zone: the site's), review comments and the decision note.
DATA = demo.load(__file__)
REVIEWERS = DATA["reviewers"]
COMMENTS = DATA["comments"]


def _reviewer_accounts() -> list[User]:
    return [
        demo.account(
            spec["email"],
            full_name=spec["full_name"],
            role=Role.REVIEWER,
            preferred_language=spec["preferred_language"],
            time_zone=spec.get("time_zone", settings.TIME_ZONE),
        )
        for spec in REVIEWERS
    ]


def _call_reviewers(call, users, staff, made) -> list[CallReviewer]:
    reviewers = []
    for user, spec in zip(users, REVIEWERS, strict=True):
        reviewer, created = CallReviewer.objects.get_or_create(
            call=call,
            user=user,
            defaults={
                "invited_by": staff,
                "languages": spec["languages"],
                "max_load": 8,
                "accepted_at": timezone.now(),
            },
        )
        made["reviewers"] += created
        reviewers.append(reviewer)
    return reviewers


def _review(assignment, comments: str, number: int, criteria, rng) -> None:
    """A submitted review with random scores (the same seed, the same scores)."""
    assignment.no_conflict_confirmed_at = timezone.now()
    assignment.save(update_fields=["no_conflict_confirmed_at"])
    review = Review.objects.create(
        assignment=assignment,
        status=Review.Status.SUBMITTED,
        comments_to_submitters=comments,
        confidential_notes=DATA["confidential_notes"],
        recommendation=rng.choice(["accept", "revise", "decline"]),
        offers_mentoring=number == 0,
        submitted_at=timezone.now(),
        seen_version=assignment.submission.version,
    )
    Score.objects.bulk_create(
        Score(review=review, criterion=c, value=rng.randint(c.scale_min, c.scale_max))
        for c in criteria
    )


def _review_call(call, reviewers, rng, made) -> list[Submission]:
    """Assign each submitted proposal round-robin; every other one gets its reviews
    (the demo reviewer keeps one to do)."""
    criteria = list(call.criteria.order_by("position", "pk"))
    submissions = list(
        call.submissions.filter(status=Submission.Status.SUBMITTED).order_by("pk")
    )
    need = min(call.reviews_per_submission, len(reviewers))
    for index, submission in enumerate(submissions):
        chosen = [reviewers[(index + k) % len(reviewers)] for k in range(need)]
        for number, reviewer in enumerate(chosen):
            assignment, created = Assignment.objects.get_or_create(
                submission=submission,
                call_reviewer=reviewer,
                defaults={"source": Assignment.Source.MANUAL},
            )
            made["assignments"] += created
            keeps = reviewer.user.email == REVIEWERS[0]["email"] and index == 0
            if index % 2 or keeps or hasattr(assignment, "review"):
                continue
            comments = COMMENTS[(index + number) % len(COMMENTS)]
            _review(assignment, comments, number, criteria, rng)
            made["reviews"] += 1
    return submissions


@transaction.atomic
def seed_demo() -> str:
    """Create the app's demo data once; return a one-line summary for the console."""
    calls = list(
        Call.objects.filter(submissions__status=Submission.Status.SUBMITTED)
        .distinct()
        .order_by("pk")
    )
    if not calls:
        return "reviews: no exchange call with submissions; nothing to review"
    staff = User.objects.filter(role=Role.STAFF).order_by("pk").first()
    users = _reviewer_accounts()
    rng = random.Random(7)
    made = {"reviewers": 0, "assignments": 0, "reviews": 0, "decisions": 0}
    for call in calls:
        reviewers = _call_reviewers(call, users, staff, made)
        submissions = _review_call(call, reviewers, rng, made)
        if submissions and not Decision.objects.filter(submission__call=call).exists():
            Decision.objects.create(
                submission=submissions[0],
                outcome=Decision.Outcome.REVISE,
                resubmit_by=call.closes_at + datetime.timedelta(days=30),
                **DATA["decision"],
                decided_by=staff,
            )
            made["decisions"] += 1
        Call.reviews_changed(call.pk)
    return (
        "reviews: {reviewers} reviewers, {assignments} assignments, {reviews} reviews, "
        "{decisions} pending decisions".format(**made)
    )
