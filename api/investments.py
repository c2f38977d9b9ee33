"""JSON API of the `investments` app: projects (read for all, write for city officers)
and expressions of interest (each investor sees only their own)."""

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import is_signed_in
from api.exceptions import Conflict, require_version
from api.filters import FilterBackend
from api.mixins import VisibleObjectMixin
from core.concurrency import StaleVersionError
from core.routing import slug_url
from core.validators import validate_plausible_date
from directory.validators import is_person_taxpayer_number
from investments import permissions, queries, services
from investments.choices import PROJECT_SECTORS
from investments.filters import ProjectFilter
from investments.models import (
    BUDGET_LINE_FIELDS,
    FUNDING_SOURCE_FIELDS,
    INDICATOR_FIELDS,
    BudgetLine,
    FundingSource,
    Indicator,
    Interest,
    InvestmentProject,
    ProjectDocument,
)

# Serializers.


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = BUDGET_LINE_FIELDS


class FundingSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingSource
        fields = FUNDING_SOURCE_FIELDS
        extra_kwargs = {"secured_on": {"validators": [validate_plausible_date]}}


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS


class ProjectDocumentSerializer(serializers.ModelSerializer):
    """A document the reader may know about; `url` only when they may open it."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = ProjectDocument
        fields = ("id", "title_uk", "title_en", "document_type", "access", "url")

    def get_url(self, document) -> str | None:
        if not self.context.get("may_open", {}).get(document.pk):
            return None
        request = self.context.get("request")
        path = document.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


# One field object for every row's publication time (it reads the zone per call).
_PUBLISHED_AT = serializers.DateTimeField()


PROJECT_LIST_FIELDS = (
    "code",
    "slug",
    "url",
    "title_uk",
    "title_en",
    "summary_uk",
    "summary_en",
    "strategy_area",
    "sdgs",
    "project_sector",
    "project_type",
    "owner",
    "place",
    "latitude",
    "longitude",
    "readiness",
    "status",
    "total_cost",
    "currency",
    "financing_sought",
    "financing_currency",
    "instruments",
    "starts_on",
    "ends_on",
    "published_at",
    "version",
)


class ProjectListSerializer(serializers.ModelSerializer):
    """A project as the catalogue lists it."""

    url = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    place = serializers.SerializerMethodField()

    class Meta:
        model = InvestmentProject
        fields = PROJECT_LIST_FIELDS

    def get_url(self, project) -> str:
        request = self.context.get("request")
        path = project.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def to_representation(self, project) -> dict:
        """The list's rows built directly: DRF's per-field machinery costs several
        times this for the catalogue's 20 rows (same output as the declared fields)."""
        if type(self) is not ProjectListSerializer:
            return super().to_representation(project)
        request = self.context.get("request")
        base = self.context.get("_base_url")
        if base is None and request is not None:
            base = self.context["_base_url"] = request.build_absolute_uri("/")[:-1]
        path = self._project_path(project.slug)

        def decimal(value, places=2):
            return None if value is None else f"{value:.{places}f}"

        def date(value):
            return value.isoformat() if value else None

        published = project.published_at
        return {
            "code": project.code,
            "slug": project.slug,
            "url": f"{base}{path}" if base else path,
            "title_uk": project.title_uk,
            "title_en": project.title_en,
            "summary_uk": project.summary_uk,
            "summary_en": project.summary_en,
            "strategy_area": project.strategy_area,
            "sdgs": project.sdgs,
            "project_sector": project.project_sector,
            "project_type": project.project_type,
            "owner": self.get_owner(project),
            "place": self.get_place(project),
            "latitude": decimal(project.latitude, 6),
            "longitude": decimal(project.longitude, 6),
            "readiness": project.readiness,
            "status": project.status,
            "total_cost": decimal(project.total_cost),
            "currency": project.currency,
            "financing_sought": decimal(project.financing_sought),
            "financing_currency": project.financing_currency,
            "instruments": project.instruments,
            "starts_on": date(project.starts_on),
            "ends_on": date(project.ends_on),
            "published_at": _PUBLISHED_AT.to_representation(published)
            if published
            else None,
            "version": project.version,
        }

    @cached_property
    def _project_path(self):
        """slug → the project page's path, from one reverse (the serializer of a
        list is one instance for all its rows)."""
        return slug_url("investments:project-detail")

    def get_owner(self, project) -> dict | None:
        owner = project.owner
        if owner is None:  # imported, its public authority not in the directory yet
            return None
        edrpou = owner.edrpou
        return {
            "slug": owner.slug,
            "name_uk": owner.name_uk,
            "name_en": owner.name_en,
            # A person's taxpayer number never goes out (one predicate everywhere).
            "edrpou": None if is_person_taxpayer_number(edrpou) else edrpou,
        }

    def get_place(self, project) -> dict | None:
        place = project.place
        if place is None:
            return None
        return {"code": place.code, "name_uk": place.name_uk, "name_en": place.name_en}


class ProjectSerializer(ProjectListSerializer):
    """Everything open about a project, plus the documents the reader may know about."""

    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    funding_sources = FundingSourceSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    documents = serializers.SerializerMethodField()

    class Meta:
        model = InvestmentProject
        fields = (
            *PROJECT_LIST_FIELDS,
            "description_uk",
            "description_en",
            "problem_uk",
            "problem_en",
            "risks_uk",
            "risks_en",
            "dream_ids",
            "prozorro_ids",
            "contact_name",
            "contact_email",
            "contact_phone",
            "budget_lines",
            "funding_sources",
            "indicators",
            "documents",
        )

    def get_documents(self, project) -> list:
        user = self.context["request"].user
        interest = queries.own_interest(user, project)
        rows = queries.documents_for(user, project, interest=interest)
        may_open = {document.pk: allowed for document, allowed in rows}
        return ProjectDocumentSerializer(
            [document for document, _ in rows],
            many=True,
            context={**self.context, "may_open": may_open},
        ).data


class ProjectInputSerializer(serializers.ModelSerializer):
    """What a city officer sends to create or change a project."""

    sdgs = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=17), required=False
    )
    project_sector = serializers.ListField(
        child=serializers.ChoiceField(choices=list(PROJECT_SECTORS)), required=False
    )
    instruments = serializers.ListField(
        child=serializers.ChoiceField(choices=InvestmentProject.Instrument.choices),
        required=False,
    )
    dream_ids = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False
    )
    prozorro_ids = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False
    )
    budget_lines = BudgetLineSerializer(many=True, required=False)
    funding_sources = FundingSourceSerializer(many=True, required=False)
    indicators = IndicatorSerializer(many=True, required=False)

    class Meta:
        model = InvestmentProject
        fields = (
            *services.PROJECT_FIELDS,
            "budget_lines",
            "funding_sources",
            "indicators",
        )
        extra_kwargs = {
            "code": {"validators": []},
            "starts_on": {"validators": [validate_plausible_date]},
            "ends_on": {"validators": [validate_plausible_date]},
        }

    def split(self) -> tuple[dict, dict, int | None]:
        data = dict(self.validated_data)
        version = data.pop("version", None)
        parts = {
            name: [dict(row) for row in data.pop(name)]
            for name in ("budget_lines", "funding_sources", "indicators")
            if name in data
        }
        return data, parts, version


class ProjectUpdateInputSerializer(ProjectInputSerializer):
    """A change to a project, with the version it was based on."""

    version = serializers.IntegerField(
        min_value=1,
        help_text=(
            "The version you read. Without it nothing is saved (428 Precondition "
            "Required); if the project changed since, nothing is saved (409)."
        ),
    )

    class Meta(ProjectInputSerializer.Meta):
        fields = (*ProjectInputSerializer.Meta.fields, "version")


class ProjectStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=InvestmentProject.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class InterestSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    investor = serializers.SerializerMethodField()

    class Meta:
        model = Interest
        fields = (
            "id",
            "project",
            "investor",
            "instrument",
            "amount",
            "currency",
            "message",
            "stage",
            "decline_reason",
            "terms_confirmed_at",
            "accepted_at",
            "stage_changed_at",
            "created_at",
        )

    def get_investor(self, interest) -> dict:
        return {"id": interest.investor_id, "name": interest.investor.get_full_name()}


class InterestInputSerializer(serializers.Serializer):
    project = serializers.SlugField()
    instrument = serializers.ChoiceField(choices=InvestmentProject.Instrument.choices)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    currency = serializers.ChoiceField(choices=InvestmentProject.Currency.choices)
    message = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class InterestFundingInputSerializer(serializers.Serializer):
    """The funding an interest brought, recorded with the move to "funded"."""

    amount = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=Decimal("0.01")
    )
    currency = serializers.ChoiceField(choices=InvestmentProject.Currency.choices)
    secured_on = serializers.DateField(required=False, allow_null=True)


class InterestMoveInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Interest.Stage.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    funding = InterestFundingInputSerializer(required=False)


# Views.


class ProjectAccess(drf_permissions.BasePermission):
    """Reading for everyone (visibility in the queryset); writing for the city."""

    def has_permission(self, request, view) -> bool:
        if request.method in drf_permissions.SAFE_METHODS:
            return True
        return permissions.can_create_project(request.user)


@extend_schema_view(
    list=extend_schema(
        summary="List and filter investment projects",
        responses=ProjectListSerializer(many=True),
    ),
    retrieve=extend_schema(summary="One investment project"),
    create=extend_schema(
        summary="Create a draft project (city officers)", request=ProjectInputSerializer
    ),
    partial_update=extend_schema(
        summary="Change a project (city officers), based on the `version` you read",
        request=ProjectUpdateInputSerializer,
    ),
)
class InvestmentProjectViewSet(
    VisibleObjectMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """The city's investment projects: public ones for everyone, all for the city."""

    lookup_field = "slug"
    permission_classes = [ProjectAccess]
    serializer_class = ProjectSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filter_backends = [FilterBackend]
    filterset_class = ProjectFilter
    not_found_message = _("There is no project at this address that you may see.")

    def get_queryset(self) -> QuerySet[InvestmentProject]:
        return queries.projects_visible_to(self.request.user).select_related(
            "owner", "place"
        )

    def get_serializer_class(self):
        if self.action == "list":
            return ProjectListSerializer
        return ProjectSerializer

    def retrieve(self, request, slug=None):
        project = self.get_object()
        project = (
            self.get_queryset()
            .prefetch_related(
                "budget_lines", "funding_sources", "indicators", "documents"
            )
            .get(pk=project.pk)
        )
        return Response(self.get_serializer(project).data)

    def create(self, request):
        serializer = ProjectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields, parts, _version = serializer.split()
        project = services.create_project(by=request.user, fields=fields, parts=parts)
        return Response(
            self.get_serializer(project).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request, slug=None):
        project = self.get_object()
        if not permissions.can_edit_project(request.user, project):
            raise PermissionDenied
        require_version(request)
        serializer = ProjectUpdateInputSerializer(
            project, data=request.data, partial=True
        )
        serializer.is_valid(raise_exception=True)
        fields, parts, version = serializer.split()
        try:
            project = services.update_project(
                project,
                by=request.user,
                fields=fields,
                parts=parts,
                expected_version=version,
            )
        except StaleVersionError as error:
            raise Conflict(detail=error.messages[0]) from error
        return Response(self.get_serializer(project).data)

    @extend_schema(
        request=ProjectStatusInputSerializer,
        responses=ProjectSerializer,
        summary="Move a project through the workflow",
    )
    @action(detail=True, methods=["post"], url_path="transition")
    def status(self, request, slug=None):
        project = self.get_object()
        serializer = ProjectStatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.set_status(project, by=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"status": error.messages}) from error
        return self.retrieve(request, slug=project.slug)


class InterestAccess(drf_permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return is_signed_in(request.user)


@extend_schema_view(
    list=extend_schema(
        summary="Expressions of interest: an investor's own; all for the city"
    ),
    retrieve=extend_schema(summary="One expression of interest"),
    create=extend_schema(
        summary="Express interest in a project (verified investors)",
        request=InterestInputSerializer,
    ),
)
class InterestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [InterestAccess]
    serializer_class = InterestSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Interest]:
        return queries.interests_visible_to(self.request.user).order_by(
            "-created_at", "-id"
        )

    def create(self, request):
        serializer = InterestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        project = (
            queries.projects_visible_to(request.user)
            .filter(slug=data.pop("project"))
            .first()
        )
        if project is None:
            raise serializers.ValidationError(
                {"project": [gettext("No such project.")]}
            )
        if not permissions.can_express_interest(request.user, project):
            raise PermissionDenied
        interest = services.express_interest(project, investor=request.user, **data)
        return Response(
            self.get_serializer(interest).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=InterestMoveInputSerializer, summary="Move along the pipeline (city)"
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        interest = self.get_object()
        if not permissions.can_work_pipeline(request.user):
            raise PermissionDenied
        serializer = InterestMoveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.move_interest(interest, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(interest).data)

    @extend_schema(
        request=None, summary="Confirm the confidentiality terms (the investor)"
    )
    @action(detail=True, methods=["post"], url_path="confirm-terms")
    def confirm_terms(self, request, pk=None):
        interest = self.get_object()
        if not permissions.can_confirm_terms(request.user, interest):
            raise PermissionDenied
        services.confirm_terms(interest, by=request.user)
        return Response(self.get_serializer(interest).data)


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register(
        "investment-projects", InvestmentProjectViewSet, basename="investment-project"
    )
    router.register(
        "investment-interests", InterestViewSet, basename="investment-interest"
    )


class OC4IDSPublisherSerializer(serializers.Serializer):
    name = serializers.CharField()
    scheme = serializers.CharField(required=False, help_text="e.g. UA-EDR")
    uid = serializers.CharField(required=False)
    uri = serializers.URLField(required=False)


class OC4IDSProjectSerializer(serializers.Serializer):
    """The project object of the OC4IDS 0.9 schema (the schema defines the rest:
    https://standard.open-contracting.org/infrastructure/0.9/en/reference/schema/);
    the main fields are listed here."""

    id = serializers.CharField()
    title = serializers.CharField(required=False)
    description = serializers.CharField(required=False)
    status = serializers.CharField(required=False, help_text="projectStatus code")
    type = serializers.CharField(required=False, help_text="projectType code")
    sector = serializers.ListField(child=serializers.CharField(), required=False)
    purpose = serializers.CharField(required=False)
    language = serializers.CharField(required=False)
    updated = serializers.CharField(required=False, help_text="date-time")
    period = serializers.DictField(required=False)
    budget = serializers.DictField(required=False)
    parties = serializers.ListField(child=serializers.DictField(), required=False)
    publicAuthority = serializers.DictField(required=False)
    locations = serializers.ListField(child=serializers.DictField(), required=False)
    documents = serializers.ListField(child=serializers.DictField(), required=False)
    identifiers = serializers.ListField(child=serializers.DictField(), required=False)


class OC4IDSPackageSerializer(serializers.Serializer):
    """An OC4IDS 0.9 project package."""

    uri = serializers.URLField()
    publishedDate = serializers.CharField(help_text="date-time")
    publisher = OC4IDSPublisherSerializer()
    license = serializers.URLField(required=False)
    publicationPolicy = serializers.URLField(required=False)
    version = serializers.CharField()
    projects = OC4IDSProjectSerializer(many=True)


class OC4IDSPackageView(APIView):
    """The published portfolio as an OC4IDS 0.9 project package (?language=uk|en)."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="The published portfolio as an OC4IDS project package",
        parameters=[OpenApiParameter("language", str, enum=["uk", "en"])],
        responses={200: OC4IDSPackageSerializer},
    )
    def get(self, request):
        from investments.oc4ids import export

        language = request.query_params.get("language", "en")
        if language not in export.LANGUAGES:
            raise serializers.ValidationError({"language": ["uk or en"]})
        base_url = request.build_absolute_uri("/").rstrip("/")
        return Response(export.build_package(language, base_url=base_url))


# Extra API paths that are not viewsets (included under /api/v1/).
urlpatterns = [
    path("investments/oc4ids/", OC4IDSPackageView.as_view(), name="investments-oc4ids"),
]
