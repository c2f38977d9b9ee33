"""JSON API of the `exchange` app: calls and submissions, with the same reads and
rules as the pages (drafts only for their organization; in a blind call, reviewers
get neither the organization nor the people)."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from api.mixins import VisibleObjectMixin
from api.permissions import ReadAndPredicates
from api.schema import editable_schema
from api.serializers import ZonedTimesMixin
from core.models import max_length
from core.validators import validate_plausible_date
from directory.models import Organization
from exchange import permissions, queries, services
from exchange.models import (
    CALL_FIELDS,
    CRITERION_FIELDS,
    LANGUAGE_FIELDS,
    MAX_REVIEWS_PER_SUBMISSION,
    SUBMISSION_FIELDS,
    Call,
    CallPhase,
    Criterion,
    Submission,
)


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", *CRITERION_FIELDS]


class CallPhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = CallPhase
        fields = [
            "phase",
            "starts_at",
            "submitters_can_edit",
            "reviewers_see_other_reviews",
            "reviewers_see_names",
        ]


class CallSerializer(serializers.ModelSerializer):
    organizer = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)
    phases = CallPhaseSerializer(many=True, read_only=True)

    class Meta:
        model = Call
        fields = ["slug", *CALL_FIELDS, "phase", "criteria", "phases"]


class CallInputSerializer(ZonedTimesMixin, serializers.Serializer):
    """Times with an offset are taken as they are; times without one are read in
    the call's `time_zone`."""

    zoned_time_fields = ("opens_at", "closes_at")
    default_zone = Call._meta.get_field("time_zone").default

    organizer = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organization.objects.alive(), required=False
    )
    title_uk = serializers.CharField(required=False, allow_blank=True, max_length=255)
    title_en = serializers.CharField(required=False, allow_blank=True, max_length=255)
    description_uk = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Call, "description_uk")
    )
    description_en = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Call, "description_en")
    )
    eligibility_uk = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Call, "eligibility_uk")
    )
    eligibility_en = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Call, "eligibility_en")
    )
    time_zone = serializers.CharField(required=False, max_length=64)
    opens_at = serializers.DateTimeField(
        required=False, validators=[validate_plausible_date]
    )
    closes_at = serializers.DateTimeField(
        required=False, validators=[validate_plausible_date]
    )
    reviews_per_submission = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_REVIEWS_PER_SUBMISSION
    )
    is_blind = serializers.BooleanField(required=False)
    open_to_all_verified = serializers.BooleanField(required=False)

    def validate_time_zone(self, value):
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            raise serializers.ValidationError(gettext("Unknown time zone.")) from error
        return value


class SubmissionSerializer(serializers.ModelSerializer):
    """A submission; `organization` and `created_by` are null for readers who may
    not know who submitted it (reviewers of a blind call)."""

    call = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organization = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    provenance = serializers.SerializerMethodField()
    tags = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    version = serializers.IntegerField(
        read_only=True,
        help_text=(
            "How many times it was submitted or changed after submission (what "
            "reviewers read). Not a lock: a change needs no version."
        ),
    )

    class Meta:
        model = Submission
        fields = [
            "id",
            "call",
            "organization",
            "created_by",
            *SUBMISSION_FIELDS,
            "tags",
            "status",
            "submitted_at",
            "english_needed",
            "version",
            "review_round",
            "resubmit_until",
            "languages",
            "provenance",
        ]
        # A later review round opens through a "revise and resubmit" decision only.
        read_only_fields = ["review_round", "resubmit_until"]

    def _identity(self, submission) -> bool:
        return permissions.sees_identity(self.context["request"].user, submission)

    def get_organization(self, submission) -> str | None:
        return submission.organization.slug if self._identity(submission) else None

    def get_created_by(self, submission) -> str | None:
        if not self._identity(submission) or submission.created_by is None:
            return None
        return submission.created_by.get_full_name()

    def get_languages(self, submission) -> list[str]:
        return sorted(submission.languages())

    def get_provenance(self, submission) -> dict:
        identity = self._identity(submission)
        return {
            name: {
                "origin": entry.get("origin"),
                "at": entry.get("at"),
                "by": entry.get("by_name") if identity else None,
            }
            for name, entry in submission.provenance.items()
        }


class SubmissionInputSerializer(serializers.Serializer):
    call = serializers.SlugRelatedField(
        slug_field="slug", queryset=Call.objects.all(), required=False
    )
    organization = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organization.objects.alive(), required=False
    )
    stage = serializers.ChoiceField(
        choices=Submission.Stage.choices, required=False, allow_blank=True
    )
    asks = serializers.ListField(
        child=serializers.ChoiceField(choices=Submission.Ask.choices), required=False
    )
    funding_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    funding_currency = serializers.CharField(
        max_length=3, required=False, allow_blank=True
    )
    links = serializers.ListField(child=serializers.URLField(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in LANGUAGE_FIELDS:
            self.fields[name] = serializers.CharField(
                required=False,
                allow_blank=True,
                max_length=max_length(Submission, name),
            )


class SubmissionFilterSerializer(serializers.Serializer):
    call = serializers.SlugField(
        required=False, help_text="Only the submissions to this call (its slug)."
    )


class CallAccess(ReadAndPredicates):
    """Everyone reads public calls; staff create; staff and organizers change."""

    can_create = staticmethod(permissions.can_create_call)
    can_change = staticmethod(permissions.can_manage_call)


@editable_schema(
    tags=["exchange"],
    output=CallSerializer,
    input=CallInputSerializer,
    list_summary="Calls for projects",
    retrieve="One call with its rubric and phases",
    create="Create a call (staff)",
    partial_update="Change a call (staff, organizer's editors)",
)
class CallViewSet(
    # DRF's mixins first: the schema then takes no description from ours.
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    VisibleObjectMixin,
    viewsets.GenericViewSet,
):
    lookup_field = "slug"
    serializer_class = CallSerializer
    permission_classes = [CallAccess]
    http_method_names = ["get", "post", "patch", "head", "options"]
    not_found_message = _("There is no call at this address that you may see.")

    def get_queryset(self) -> QuerySet[Call]:
        return (
            queries.calls_visible_to(self.request.user)
            .prefetch_related(
                Prefetch(
                    "criteria", queryset=Criterion.objects.order_by("position", "pk")
                ),
                "phases",
            )
            .order_by("-opens_at", "pk")
        )

    def create(self, request):
        serializer = CallInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        missing = {
            name: [gettext("This field is required.")]
            for name in ("organizer", "opens_at", "closes_at")
            if name not in data
        }
        if missing:
            raise serializers.ValidationError(missing)
        call = services.create_call(by=request.user, **data)
        return self.visible_response(call, status=status.HTTP_201_CREATED)

    def partial_update(self, request, slug=None):
        call = self.get_object()
        serializer = CallInputSerializer(call, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_call(call, by=request.user, **serializer.validated_data)
        return self.visible_response(call)


@editable_schema(
    tags=["exchange"],
    output=SubmissionSerializer,
    input=SubmissionInputSerializer,
    list_summary="Submissions you may see",
    retrieve="One submission",
    create="Start a draft (editors of an eligible organization)",
    partial_update="Change a submission while the phase allows",
    parameters=[SubmissionFilterSerializer],
)
class SubmissionViewSet(
    # DRF's mixins first: the schema then takes no description from ours.
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    VisibleObjectMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SubmissionSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    not_found_message = _("There is no submission at this address that you may see.")

    def get_queryset(self) -> QuerySet[Submission]:
        return (
            queries.submissions_visible_to(self.request.user)
            .select_related("created_by")
            .prefetch_related("call__phases", "tags")
            .order_by("-updated_at", "-pk")
        )

    def filter_queryset(self, queryset):
        """The list's query-string filters (400 when one is not valid)."""
        if self.action != "list":
            return queryset
        filters = SubmissionFilterSerializer(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        if call := filters.validated_data.get("call"):
            queryset = queryset.filter(call__slug=call)
        return queryset

    def get_object(self) -> Submission:
        submission = super().get_object()
        if not permissions.can_view_submission(self.request.user, submission):
            raise NotFound(self.not_found_message)
        return submission

    def create(self, request):
        serializer = SubmissionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        call, organization = data.pop("call", None), data.pop("organization", None)
        if call is None:
            raise serializers.ValidationError(
                {"call": [gettext("This field is required.")]}
            )
        if organization is None:
            choices = queries.eligible_organizations_for(request.user, call)
            if not choices:
                raise PermissionDenied(
                    gettext("None of your organizations may submit to this call.")
                )
            if len(choices) > 1:
                raise serializers.ValidationError(
                    {"organization": [gettext("Name the organization that submits.")]}
                )
            organization = choices[0]
        if not permissions.can_submit_to(request.user, call, organization):
            raise PermissionDenied(
                gettext("This organization may not submit to this call now.")
            )
        submission = services.create_submission(
            call, organization, by=request.user, **data
        )
        return self.visible_response(submission, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        submission = self.get_object()
        if not permissions.can_edit_submission(request.user, submission):
            if permissions.is_late_revision(request.user, submission):
                # After a revision round's deadline: say when it passed.
                raise PermissionDenied(services.late_version_message(submission))
            raise PermissionDenied(gettext("You may not change this submission now."))
        serializer = SubmissionInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("call", None)
        data.pop("organization", None)
        services.update_submission(submission, by=request.user, **data)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Submit a draft; 400 lists every missing item",
        tags=["exchange"],
        request=None,
        responses={200: SubmissionSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        submission = self.get_object()
        if not permissions.can_submit_submission(request.user, submission):
            raise PermissionDenied(gettext("You may not submit this now."))
        services.submit_submission(submission, by=request.user)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Withdraw a submission",
        tags=["exchange"],
        request=None,
        responses={200: SubmissionSerializer},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        submission = self.get_object()
        if not permissions.can_withdraw_submission(request.user, submission):
            raise PermissionDenied(gettext("You may not withdraw this submission."))
        services.withdraw_submission(submission, by=request.user)
        return Response(self.get_serializer(self.get_object()).data)


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register("exchange/calls", CallViewSet, basename="exchange-call")
    router.register(
        "exchange/submissions", SubmissionViewSet, basename="exchange-submission"
    )


# Extra API paths that are not viewsets (included under /api/v1/).
urlpatterns: list = []
