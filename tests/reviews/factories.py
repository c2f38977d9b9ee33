"""Factories of the reviews app's models."""

import factory

from accounts.models import Role
from exchange.models import Submission
from reviews.models import Assignment, CallReviewer, Decision, Review, Score
from tests.exchange.factories import CallFactory, SubmissionFactory
from tests.factories import UserFactory


class SubmittedSubmissionFactory(SubmissionFactory):
    status = Submission.Status.SUBMITTED
    version = 1


class CallReviewerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallReviewer
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    user = factory.SubFactory(UserFactory, role=Role.REVIEWER)
    languages = factory.LazyFunction(lambda: ["uk", "en"])


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    submission = factory.SubFactory(SubmittedSubmissionFactory)
    call_reviewer = factory.SubFactory(
        CallReviewerFactory, call=factory.SelfAttribute("..submission.call")
    )


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    assignment = factory.SubFactory(AssignmentFactory)
    status = Review.Status.SUBMITTED
    recommendation = "accept"
    comments_to_submitters = "Clear problem, strong team."
    confidential_notes = "Secret: the budget looks padded."


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    review = factory.SubFactory(ReviewFactory)
    value = 3


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    submission = factory.SubFactory(SubmittedSubmissionFactory)
    outcome = Decision.Outcome.ACCEPT
