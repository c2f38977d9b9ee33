"""JSON API of the `talent` app: one's own specialist profile, roles (public read,
editors write), one's matches and invitations, and the aggregates.

Profiles of other people are never listed here: organizations find specialists on
the pages, through invitations. Aggregates follow the small-number rule ("<5").
"""

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api.mixins import VisibleObjectMixin
from api.pagination import PageNumberPagination
from api.permissions import ReadAndPredicates
from api.schema import error_response
from api.serializers import TagSerializer
from core.validators import validate_plausible_date
from directory.models import Organization, Place, Tag
from talent import aggregates, matches, queries, services
from talent import permissions as talent_permissions
from talent.models import (
    CURRENCIES,
    ROLE_FIELDS,
    Condition,
    Invitation,
    Offer,
    Role,
    Seniority,
    SpecialistProfile,
)


class SpecialistProfileSerializer(serializers.ModelSerializer):
    """The person's own profile, as stored."""

    skills = TagSerializer(many=True)
    country_now = serializers.CharField(source="country_now.code", allow_blank=True)
    place_before = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = SpecialistProfile
        fields = [
            "id",
            *services.PROFILE_FIELDS,
            "skills",
            "consent_at",
            "consent_version",
            "created_at",
            "updated_at",
        ]


class SpecialistProfileInputSerializer(serializers.Serializer):
    consent = serializers.BooleanField(
        help_text="Agreement to the current consent wording; required."
    )
    intent = serializers.ChoiceField(choices=SpecialistProfile.Intent.choices)
    timeframe = serializers.ChoiceField(
        choices=SpecialistProfile.Timeframe.choices, required=False, allow_blank=True
    )
    skills = serializers.SlugRelatedField(
        slug_field="slug", queryset=Tag.objects.all(), many=True, required=False
    )
    free_skills = serializers.CharField(
        max_length=300, required=False, allow_blank=True
    )
    seniority = serializers.ChoiceField(
        choices=Seniority.choices, required=False, allow_blank=True
    )
    years_experience = serializers.IntegerField(
        min_value=0, max_value=70, required=False, allow_null=True
    )
    languages = serializers.ListField(
        child=serializers.CharField(max_length=8), required=False
    )
    country_now = serializers.CharField(max_length=2, required=False, allow_blank=True)
    city_now = serializers.CharField(max_length=120, required=False, allow_blank=True)
    place_before = serializers.SlugRelatedField(
        slug_field="code", queryset=Place.objects.all(), required=False, allow_null=True
    )
    conditions = serializers.MultipleChoiceField(
        choices=Condition.choices, required=False
    )
    conditions_note = serializers.CharField(
        max_length=200, required=False, allow_blank=True
    )
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    visibility = serializers.ChoiceField(
        choices=SpecialistProfile.Visibility.choices, required=False
    )
    digest_enabled = serializers.BooleanField(required=False)


class MyProfileView(APIView):
    """The signed-in person's specialist profile: read, write (PUT), delete."""

    permission_classes = [permissions.IsAuthenticated]

    def _profile(self, request):
        profile = queries.profile_of(request.user)
        if profile is None:
            raise NotFound
        return profile

    @extend_schema(
        responses={200: SpecialistProfileSerializer, 404: error_response(404)}
    )
    def get(self, request):
        return Response(SpecialistProfileSerializer(self._profile(request)).data)

    @extend_schema(
        request=SpecialistProfileInputSerializer, responses=SpecialistProfileSerializer
    )
    def put(self, request):
        serializer = SpecialistProfileInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "conditions" in data:
            data["conditions"] = sorted(data["conditions"])
        if "country_now" in data:
            data["country_now"] = data["country_now"].upper()
        services.save_profile(request.user, **data)
        return Response(SpecialistProfileSerializer(self._profile(request)).data)

    @extend_schema(request=None, responses={204: None, 404: error_response(404)})
    def delete(self, request):
        services.delete_profile(self._profile(request), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RoleSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    skills = TagSerializer(many=True)

    class Meta:
        model = Role
        fields = ["id", *ROLE_FIELDS, "status", "published_at"]


class RoleInputSerializer(serializers.Serializer):
    organization = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organization.objects.alive()
    )
    title_uk = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200)
    description_uk = serializers.CharField(max_length=5000)
    description_en = serializers.CharField(max_length=5000)
    skills = serializers.SlugRelatedField(
        slug_field="slug", queryset=Tag.objects.all(), many=True, required=False
    )
    seniority = serializers.ChoiceField(
        choices=Seniority.choices, required=False, allow_blank=True
    )
    work_mode = serializers.ChoiceField(choices=Role.WorkMode.choices)
    offers = serializers.MultipleChoiceField(choices=Offer.choices, required=False)
    salary_min = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    salary_max = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    salary_currency = serializers.ChoiceField(choices=CURRENCIES, required=False)
    valid_until = serializers.DateField(
        required=False, validators=[validate_plausible_date]
    )
    submit = serializers.BooleanField(default=False)


class RoleAccess(ReadAndPredicates):
    can_read = staticmethod(talent_permissions.can_view_role)
    can_change = staticmethod(talent_permissions.can_edit_role)


class RoleViewSet(
    VisibleObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Return-friendly roles: published ones for everyone, own ones for editors."""

    permission_classes = [RoleAccess]
    serializer_class = RoleSerializer
    pagination_class = PageNumberPagination
    queryset = Role.objects.none()

    def get_queryset(self) -> QuerySet[Role]:
        return queries.roles_visible_to(self.request.user).order_by("-pk")

    @extend_schema(request=RoleInputSerializer, responses=RoleSerializer)
    def create(self, request):
        data = self._input(request)
        role = services.create_role(by=request.user, **data)
        return self.visible_response(role, status=status.HTTP_201_CREATED)

    @extend_schema(request=RoleInputSerializer, responses=RoleSerializer)
    def partial_update(self, request, pk=None):
        role = self.get_object()
        data = self._input(request, partial=True)
        role = services.update_role(role, by=request.user, **data)
        return self.visible_response(role)

    @extend_schema(request=None, responses=RoleSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        role = self.get_object()
        services.submit_role(role, by=request.user)
        return self.visible_response(role)

    def _input(self, request, *, partial: bool = False) -> dict:
        serializer = RoleInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "offers" in data:
            data["offers"] = sorted(data["offers"])
        return data


class TalentMatchSerializer(serializers.Serializer):
    role = RoleSerializer(source="obj")
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class MyMatchesView(GenericAPIView):
    """Open roles that fit the signed-in person's profile, with reasons."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = PageNumberPagination
    serializer_class = TalentMatchSerializer

    @extend_schema(responses=TalentMatchSerializer(many=True))
    def get(self, request):
        profile = queries.profile_of(request.user)
        results = matches.roles_for(profile, limit=50) if profile else []
        page = self.paginate_queryset(results)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class InvitationSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    specialist = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "organization",
            "role",
            "specialist",
            "message",
            "status",
            "created_at",
            "expires_at",
            "responded_at",
            "contacts",
        ]

    def get_specialist(self, invitation) -> str:
        return invitation.profile.display_name

    def get_contacts(self, invitation) -> dict | None:
        """The other side's contact details, only after acceptance."""
        user = self.context["request"].user
        if not talent_permissions.can_see_contacts(user, invitation):
            return None
        if talent_permissions.is_invited(user, invitation):
            organization = invitation.organization
            inviter = invitation.invited_by
            return {
                "organization_email": organization.email,
                "organization_phone": organization.phone,
                "person_email": inviter.email if inviter else "",
            }
        return {
            "email": invitation.profile.user.email,
            "phone": invitation.profile.phone,
        }


class InvitationAnswerSerializer(serializers.Serializer):
    accept = serializers.BooleanField()


class InvitationViewSet(
    VisibleObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Invitations the person received or their organizations sent."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = InvitationSerializer
    pagination_class = PageNumberPagination
    queryset = Invitation.objects.none()

    def get_queryset(self) -> QuerySet[Invitation]:
        return queries.invitations_for(self.request.user)

    @extend_schema(request=InvitationAnswerSerializer, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        invitation = self.get_object()
        serializer = InvitationAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.respond(
            invitation,
            by=request.user,
            accept=serializer.validated_data["accept"],
        )
        return self.visible_response(invitation)


class AggregatesView(APIView):
    """What the city learns: counts, "<5" for every cell under five."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        responses={
            200: {
                "type": "object",
                "description": "Each table by its key: its cells.",
                "additionalProperties": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "label": {"type": "string"},
                            "count": {
                                "oneOf": [{"type": "integer"}, {"type": "string"}],
                                "description": 'A number, or "<5" for fewer than five.',
                            },
                        },
                        "required": ["label", "count"],
                    },
                },
            }
        }
    )
    def get(self, request):
        return Response(aggregates.as_data())


def register(router) -> None:
    router.register("talent/roles", RoleViewSet, basename="talent-role")
    router.register(
        "talent/invitations", InvitationViewSet, basename="talent-invitation"
    )


urlpatterns: list = [
    path("talent/profile/", MyProfileView.as_view(), name="talent-profile"),
    path("talent/matches/", MyMatchesView.as_view(), name="talent-matches"),
    path("talent/aggregates/", AggregatesView.as_view(), name="talent-aggregates"),
]
