"""Reads of the public journey pages: built only on what each app already publishes.

An initiative is a submission accepted by a released decision in a public call
(`reviews.queries.accepted_submissions`). Reviewers are never read; meetings are
counted, never named; the investment project is shown only while it is public."""

from dataclasses import dataclass

from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from directory.queries import organizations_visible_to
from exchange.models import Submission
from investments.models import FundingSource, InvestmentProject
from meetings.models import Meeting
from meetings.queries import outcome_counts
from reviews.models import Review
from reviews.queries import accepted_submissions


def public_projects() -> QuerySet[InvestmentProject]:
    """Investment projects anyone may see (the catalogue's own rule)."""
    from investments.queries import projects_visible_to

    return projects_visible_to(None)


def _meetings_about(submission_ref) -> QuerySet[Meeting]:
    """Meetings held about a submission or a public project adopted from it."""
    return Meeting.objects.filter(
        Q(request__submission=submission_ref)
        | Q(
            request__investment_project__source_submission=submission_ref,
            request__investment_project__in=public_projects(),
        ),
        status=Meeting.Status.SCHEDULED,
        ends_at__lte=timezone.now(),
    )


def initiatives() -> QuerySet[Submission]:
    """Every initiative that got at least as far as accepted, newest decision first,
    with its number of meetings held and whether it became a public project."""
    held = Subquery(
        _meetings_about(OuterRef("pk"))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n"),
        output_field=IntegerField(),
    )
    return (
        accepted_submissions()
        .annotate(
            meetings_held=Coalesce(held, 0),
            became_project=Exists(
                public_projects().filter(source_submission=OuterRef("pk"))
            ),
        )
        .order_by("-decision__released_at", "-pk")
    )


def search_initiatives(items: QuerySet[Submission], words: str) -> QuerySet:
    """Initiatives whose title (either language) or call title holds `words`."""
    return items.filter(
        Q(title_uk__icontains=words)
        | Q(title_en__icontains=words)
        | Q(call__title_uk__icontains=words)
        | Q(call__title_en__icontains=words)
    )


@dataclass
class Journey:
    """One initiative's public journey, step by step."""

    submission: Submission
    organization: object | None
    reviews_done: int
    meetings: dict
    projects: list


def journey_of(pk: int) -> Journey | None:
    """The public journey of one accepted initiative, or None."""
    submission = initiatives().filter(pk=pk).first()
    if submission is None:
        return None
    organization = (
        organizations_visible_to(None).filter(pk=submission.organization_id).first()
    )
    reviews_done = Review.objects.filter(
        assignment__submission=submission, status=Review.Status.SUBMITTED
    ).count()
    projects = list(
        public_projects()
        .filter(source_submission=submission)
        .select_related("owner")
        .prefetch_related(
            Prefetch(
                "funding_sources",
                queryset=FundingSource.objects.order_by("secured_on", "pk"),
            )
        )
        .order_by("pk")
    )
    return Journey(
        submission=submission,
        organization=organization,
        reviews_done=reviews_done,
        meetings=outcome_counts(_meetings_about(submission)),
        projects=projects,
    )
