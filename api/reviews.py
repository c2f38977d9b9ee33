"""JSON API of the `reviews` app: the same reads and rules as the pages.

Reviewers read their own assignments and reviews (in a blind call without the
submitters' names or organization); organizers read the dashboard rows, every review
of a submission (confidential notes included, each read audited) and decisions;
submitters read their released decisions.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated

from core.translation import active_language
from reviews import permissions, queries, services
from reviews.models import Assignment, Decision, Review, Score


class ScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Score
        fields = ["criterion", "value"]


class ReviewerSubmissionSerializer(serializers.Serializer):
    """What a reviewer sees of a submission: never names in a blind call."""

    id = serializers.IntegerField(source="pk")
    call = serializers.CharField(source="call.slug")
    title_uk = serializers.CharField()
    title_en = serializers.CharField()
    summary_uk = serializers.CharField()
    summary_en = serializers.CharField()
    version = serializers.IntegerField()
    review_round = serializers.IntegerField()
    organization = serializers.SerializerMethodField()

    def get_organization(self, submission) -> str | None:
        if not permissions.reviewer_sees_names(submission.call):
            return None
        return str(submission.organization.name)


class AssignmentSerializer(serializers.ModelSerializer):
    submission = ReviewerSubmissionSerializer()
    review_status = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "submission",
            "source",
            "round",
            "no_conflict_confirmed_at",
            "review_status",
        ]

    def get_review_status(self, assignment) -> str:
        try:
            return assignment.review.status
        except Review.DoesNotExist:
            return ""


class ReviewSerializer(serializers.ModelSerializer):
    submission = serializers.IntegerField(source="assignment.submission_id")
    round = serializers.IntegerField(
        source="assignment.round",
        help_text="The review round (2 and later after “revise and resubmit”).",
    )
    scores = ScoreSerializer(many=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "submission",
            "round",
            "status",
            "recommendation",
            "comments_to_submitters",
            "confidential_notes",
            "offers_mentoring",
            "submitted_at",
            "seen_version",
            "reviewed_version",
            "scores",
        ]


class OrganizerReviewSerializer(ReviewSerializer):
    reviewer = serializers.EmailField(source="assignment.call_reviewer.user.email")

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "reviewer"]


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = [
            "id",
            "submission",
            "round",
            "outcome",
            "resubmit_by",
            "note_uk",
            "note_en",
            "status",
            "released_at",
        ]


class DashboardRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    organization = serializers.CharField()
    status = serializers.CharField()
    round = serializers.IntegerField()
    rank = serializers.IntegerField(allow_null=True)
    assigned = serializers.IntegerField()
    submitted = serializers.IntegerField()
    needed = serializers.IntegerField()
    weighted_total = serializers.FloatField(source="mean_total", allow_null=True)
    normalized = serializers.FloatField(allow_null=True)
    spread = serializers.FloatField(allow_null=True)
    disagreement = serializers.BooleanField()
    recommendations = serializers.DictField(child=serializers.IntegerField())
    decision = serializers.CharField()
    decision_status = serializers.CharField()


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in reviewer's own assignments."""

    serializer_class = AssignmentSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return (
            queries.assignments_of(self.request.user)
            .select_related("submission__organization")
            .prefetch_related("submission__call__phases")
        )


class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in reviewer's own reviews (their own confidential notes included;
    each read is audited like any other)."""

    serializer_class = ReviewSerializer
    permission_classes = [IsAuthenticated]
    queryset = Review.objects.none()  # the schema's id type; get_queryset narrows

    def get_queryset(self):
        return (
            Review.objects.filter(
                assignment__call_reviewer__user=self.request.user,
                assignment__call_reviewer__is_active=True,
            )
            .select_related("assignment__call_reviewer")
            .prefetch_related("scores")
            .order_by("pk")
        )

    def _audit(self, reviews):
        services.read_own_confidential_notes(
            list(reviews), by=self.request.user, via="api"
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self._audit(self.paginator.page.object_list if self.paginator.page else [])
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        self._audit([self.get_object()])
        return response


class DecisionViewSet(viewsets.ReadOnlyModelViewSet):
    """Decisions: organizers see their calls' ones; submitters their released ones."""

    serializer_class = DecisionSerializer
    permission_classes = [IsAuthenticated]
    queryset = Decision.objects.none()  # the schema's id type; get_queryset narrows

    def get_queryset(self):
        return queries.decisions_visible_to(self.request.user)


class DashboardView(ListAPIView):
    """The organizers' dashboard rows of one call, ranked."""

    serializer_class = DashboardRowSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        call = queries.managed_calls(self.request.user).filter(slug=self.kwargs["slug"])
        call = call.first()
        if call is None or not permissions.can_manage_reviews(self.request.user, call):
            raise NotFound
        rows = queries.dashboard_rows(call, language=active_language())
        return queries.sort_rows(
            rows, self.request.query_params.get("ordering", "rank")
        )


class SubmissionReviewsView(ListAPIView):
    """Every review of one submission, for its organizers (confidential notes
    included: each read is audited)."""

    serializer_class = OrganizerReviewSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        submission = queries.managed_submission(self.request.user, self.kwargs["pk"])
        if submission is None:
            raise NotFound
        self.submission = submission
        return queries.submission_reviews(submission)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        services.read_confidential_notes(
            list(self.paginator.page.object_list),
            call=self.submission.call,
            by=request.user,
            via="api",
        )
        return response


extend_schema(responses=DashboardRowSerializer(many=True))(DashboardView)


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register(
        "reviews/assignments", AssignmentViewSet, basename="review-assignment"
    )
    router.register("reviews/reviews", ReviewViewSet, basename="review")
    router.register("reviews/decisions", DecisionViewSet, basename="review-decision")


# Extra API paths that are not viewsets (included under /api/v1/).
def _paths():
    from django.urls import path

    return [
        path(
            "reviews/calls/<slug:slug>/dashboard/",
            DashboardView.as_view(),
            name="review-dashboard",
        ),
        path(
            "reviews/submissions/<int:pk>/reviews/",
            SubmissionReviewsView.as_view(),
            name="review-submission-reviews",
        ),
    ]


urlpatterns: list = _paths()
