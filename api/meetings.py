"""JSON API of the `meetings` app: the signed-in person's own requests and meetings.

Only the two sides of a request ever see it (meetings.queries); nobody else, staff
included, reads other people's requests or meetings here.
"""

import datetime

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions as drf_permissions
from rest_framework import serializers, viewsets

from meetings import queries
from meetings.models import Meeting, MeetingRequest
from meetings.timewindows import zone_of


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    time_zone = serializers.CharField()

    def get_name(self, user) -> str:
        return user.get_full_name()


class MeetingRequestSerializer(serializers.ModelSerializer):
    """A request I sent or received."""

    requester = PersonSerializer(read_only=True)
    recipient = PersonSerializer(read_only=True)
    requester_organization = serializers.StringRelatedField(allow_null=True)
    recipient_organization = serializers.StringRelatedField(allow_null=True)
    event = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    direction = serializers.SerializerMethodField()
    # The journey: the submission or investment project the meeting is about (ids).
    submission = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    investment_project = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    expires_at = serializers.DateTimeField(default_timezone=datetime.UTC)
    created_at = serializers.DateTimeField(default_timezone=datetime.UTC)

    class Meta:
        model = MeetingRequest
        fields = [
            "id",
            "direction",
            "status",
            "requester",
            "requester_organization",
            "recipient",
            "recipient_organization",
            "event",
            "message",
            "priority",
            "submission",
            "investment_project",
            "expires_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_direction(self, request) -> str:
        user = self.context["request"].user
        return "outgoing" if request.requester_id == user.pk else "incoming"


class MeetingSerializer(serializers.ModelSerializer):
    """One of my meetings, in UTC and in my own zone."""

    request = serializers.PrimaryKeyRelatedField(read_only=True)
    with_person = serializers.SerializerMethodField()
    starts_at = serializers.DateTimeField(default_timezone=datetime.UTC)
    ends_at = serializers.DateTimeField(default_timezone=datetime.UTC)
    local_starts_at = serializers.SerializerMethodField()
    event = serializers.SerializerMethodField()
    table = serializers.StringRelatedField(allow_null=True)
    outcome = serializers.ChoiceField(
        choices=Meeting.Outcome.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "request",
            "with_person",
            "event",
            "status",
            "starts_at",
            "ends_at",
            "local_starts_at",
            "table",
            "outcome",
        ]
        read_only_fields = fields

    def get_with_person(self, meeting) -> dict:
        other = meeting.request.other_side(self.context["request"].user)
        return PersonSerializer(other).data

    def get_event(self, meeting) -> str | None:
        event = meeting.request.event
        return event.slug if event else None

    def get_local_starts_at(self, meeting) -> str | None:
        if meeting.starts_at is None:
            return None
        zone = zone_of(self.context["request"].user)
        return meeting.starts_at.astimezone(zone).isoformat()


@extend_schema_view(
    list=extend_schema(summary="My meeting requests (sent and received)"),
    retrieve=extend_schema(summary="One of my meeting requests"),
)
class MeetingRequestViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MeetingRequestSerializer
    permission_classes = [drf_permissions.IsAuthenticated]

    def get_queryset(self):
        requests = queries.requests_of(self.request.user)
        status = self.request.query_params.get("status")
        if status in MeetingRequest.Status.values:
            requests = requests.filter(status=status)
        return requests.order_by("-created_at", "-pk")


@extend_schema_view(
    list=extend_schema(summary="My meetings"),
    retrieve=extend_schema(summary="One of my meetings"),
)
class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MeetingSerializer
    permission_classes = [drf_permissions.IsAuthenticated]

    def get_queryset(self):
        return queries.meetings_of(self.request.user)


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register(
        "meeting-requests", MeetingRequestViewSet, basename="meeting-request"
    )
    router.register("meetings", MeetingViewSet, basename="meeting")


# Extra API paths that are not viewsets (included under /api/v1/).
urlpatterns: list = []
