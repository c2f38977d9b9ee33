"""JSON API of the `matching` app: needs and offers, and one's own recommendations.

Published needs and offers are public; editors of an organization also read and
write their own (any status); private ones never show to anyone else.
"""

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView

from api.mixins import VisibleObjectMixin
from api.pagination import PageNumberPagination
from api.permissions import ReadAndPredicates
from api.serializers import PlaceBriefSerializer, SectorBriefSerializer, TagSerializer
from core.models import max_length
from core.validators import validate_plausible_date
from directory.models import Organization, Place, Sector, Tag
from matching import permissions as matching_permissions
from matching import queries, recommend, services
from matching.models import NEED_OFFER_FIELDS, NeedOffer


class NeedOfferSerializer(serializers.ModelSerializer):
    """A need or offer as the API shows it; both languages as stored."""

    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    country = serializers.CharField(source="country.code", allow_blank=True)
    place = PlaceBriefSerializer(allow_null=True)
    sectors = SectorBriefSerializer(many=True)
    tags = TagSerializer(many=True)

    class Meta:
        model = NeedOffer
        fields = ["id", *NEED_OFFER_FIELDS, "status", "published_at"]


class NeedOfferInputSerializer(serializers.Serializer):
    organization = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organization.objects.alive()
    )
    kind = serializers.ChoiceField(choices=NeedOffer.Kind.choices)
    category = serializers.ChoiceField(choices=NeedOffer.Category.choices)
    title_uk = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description_uk = serializers.CharField(
        max_length=max_length(NeedOffer, "description_uk")
    )
    description_en = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=max_length(NeedOffer, "description_en"),
    )
    tags = serializers.SlugRelatedField(
        slug_field="slug", queryset=Tag.objects.all(), many=True, required=False
    )
    sectors = serializers.SlugRelatedField(
        slug_field="code", queryset=Sector.objects.all(), many=True, required=False
    )
    place = serializers.SlugRelatedField(
        slug_field="code", queryset=Place.objects.all(), required=False, allow_null=True
    )
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    valid_until = serializers.DateField(
        required=False, validators=[validate_plausible_date]
    )
    submit = serializers.BooleanField(
        default=False, help_text="Send it for staff review at once."
    )


class NeedOfferAccess(ReadAndPredicates):
    """Signed-in people create; the editors of a need or offer change it."""

    can_read = staticmethod(matching_permissions.can_view_need_offer)
    can_change = staticmethod(matching_permissions.can_edit_need_offer)


class NeedOfferViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    VisibleObjectMixin,
    viewsets.GenericViewSet,
):
    """Needs and offers: published ones for everyone, one's own for their editors."""

    permission_classes = [NeedOfferAccess]
    serializer_class = NeedOfferSerializer
    pagination_class = PageNumberPagination
    queryset = NeedOffer.objects.none()

    def get_queryset(self) -> QuerySet[NeedOffer]:
        return queries.needs_offers_visible_to(self.request.user).order_by("-pk")

    @extend_schema(request=NeedOfferInputSerializer, responses=NeedOfferSerializer)
    def create(self, request):
        data = self._input(request)
        need_offer = services.create_need_offer(by=request.user, **data)
        return self.visible_response(need_offer, status=status.HTTP_201_CREATED)

    @extend_schema(request=NeedOfferInputSerializer, responses=NeedOfferSerializer)
    def partial_update(self, request, pk=None):
        need_offer = self.get_object()
        data = self._input(request, partial=True)
        services.update_need_offer(need_offer, by=request.user, **data)
        return self.visible_response(need_offer)

    @extend_schema(request=None, responses=NeedOfferSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        need_offer = self.get_object()
        services.submit_need_offer(need_offer, by=request.user)
        return self.visible_response(need_offer)

    def _input(self, request, *, partial: bool = False) -> dict:
        serializer = NeedOfferInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "country" in data:
            data["country"] = data["country"].upper()
        return data


class RecommendationSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField(source="obj.pk")
    title = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())

    def get_title(self, recommendation) -> str:
        obj = recommendation.obj
        return str(getattr(obj, "name", None) or getattr(obj, "title", ""))

    def get_url(self, recommendation) -> str:
        get_url = getattr(recommendation.obj, "get_absolute_url", None)
        return self.context["request"].build_absolute_uri(get_url()) if get_url else ""


class RecommendationsView(GenericAPIView):
    """The signed-in person's own recommendations, best first, with reasons."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = PageNumberPagination
    serializer_class = RecommendationSerializer

    @extend_schema(
        responses=RecommendationSerializer(many=True),
        parameters=[
            OpenApiParameter(
                "kinds",
                str,
                description="Comma-separated kinds to recommend; all when absent.",
            )
        ],
    )
    def get(self, request):
        kinds = (
            tuple(
                kind
                for kind in request.query_params.get("kinds", "").split(",")
                if kind in recommend.scoring.KINDS
            )
            or recommend.scoring.KINDS
        )
        results = recommend.recommend_for(request.user, kinds=kinds, limit=50)
        page = self.paginate_queryset(results)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register("needs-offers", NeedOfferViewSet, basename="need-offer")


# Extra API paths that are not viewsets (included under /api/v1/).
urlpatterns: list = [
    path(
        "recommendations/",
        RecommendationsView.as_view(),
        name="matching-recommendations",
    ),
]
