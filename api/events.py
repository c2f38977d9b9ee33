"""JSON API of the `events` app: events (public read, organizers write) and the
signed-in person's own registrations. Reads go through events.queries, writes
through events.services."""

import datetime
import zoneinfo

from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from api.filters import FilterBackend
from api.mixins import VisibleObjectMixin
from api.permissions import ReadAndPredicates
from api.serializers import ZonedTimesMixin
from core.models import max_length
from core.routing import slug_url
from core.validators import validate_plausible_date
from directory.models import Organization
from events import permissions, queries, services
from events.filters import EventFilter
from events.models import Event, Registration, validate_time_zone


class OrganizerSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = ["slug", "name"]

    def get_name(self, organization) -> str:
        return str(organization.name)


# The row builder's own field for times in UTC: reading self.fields would build
# every declared field of the serializer per request, for nothing.
_UTC_TIMES = serializers.DateTimeField(default_timezone=datetime.UTC)


class EventSerializer(serializers.ModelSerializer):
    """An event; times in UTC, plus the start and end in the event's own zone."""

    organizer = OrganizerSerializer(read_only=True)
    starts_at = serializers.DateTimeField(default_timezone=datetime.UTC, read_only=True)
    ends_at = serializers.DateTimeField(default_timezone=datetime.UTC, read_only=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="api:event-detail", lookup_field="slug"
    )
    page_url = serializers.SerializerMethodField()
    local_starts_at = serializers.SerializerMethodField()
    local_ends_at = serializers.SerializerMethodField()
    online_url = serializers.URLField(
        read_only=True, allow_null=True, help_text="null for an event without one."
    )
    confirmed_count = serializers.IntegerField(read_only=True, default=None)
    waitlist_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Event
        fields = [
            "slug",
            "url",
            "page_url",
            "kind",
            "status",
            "is_public",
            "title_uk",
            "title_en",
            "description_uk",
            "description_en",
            "starts_at",
            "ends_at",
            "time_zone",
            "local_starts_at",
            "local_ends_at",
            "venue_uk",
            "venue_en",
            "online_url",
            "organizer",
            "capacity",
            "confirmed_count",
            "waitlist_count",
            "sequence",
        ]
        read_only_fields = fields

    def to_representation(self, event):
        """The fields of Meta.fields, in their order, built directly: DRF's field
        by field machinery was most of a list's time. tests/events/test_api.py
        holds this to ModelSerializer's own output."""
        utc = _UTC_TIMES
        organizer = event.organizer
        return {
            "slug": event.slug,
            "url": self._absolute(self._api_path(event.slug)),
            "page_url": self.get_page_url(event),
            "kind": event.kind,
            "status": event.status,
            "is_public": bool(event.is_public),
            "title_uk": event.title_uk,
            "title_en": event.title_en,
            "description_uk": event.description_uk,
            "description_en": event.description_en,
            "starts_at": utc.to_representation(event.starts_at),
            "ends_at": utc.to_representation(event.ends_at),
            "time_zone": event.time_zone,
            "local_starts_at": self.get_local_starts_at(event),
            "local_ends_at": self.get_local_ends_at(event),
            "venue_uk": event.venue_uk,
            "venue_en": event.venue_en,
            "online_url": event.online_url or None,  # stored as ""; not a URI
            "organizer": None
            if organizer is None
            else {"slug": organizer.slug, "name": str(organizer.name)},
            "capacity": event.capacity,
            "confirmed_count": getattr(event, "confirmed_count", None),
            "waitlist_count": getattr(event, "waitlist_count", None),
            "sequence": event.sequence,
        }

    @cached_property
    def _api_path(self):
        return slug_url("api:event-detail")

    @cached_property
    def _page_path(self):
        return slug_url("events:event-detail")

    @cached_property
    def _host(self) -> str:
        """Scheme and host of the request's absolute URLs ("" without a request)."""
        request = self.context.get("request")
        return request.build_absolute_uri("/")[:-1] if request else ""

    def _absolute(self, path: str) -> str:
        return self._host + path

    def get_page_url(self, event) -> str:
        return self._absolute(self._page_path(event.slug))

    def get_local_starts_at(self, event) -> str:
        return event.starts_at.astimezone(event.zone).isoformat()

    def get_local_ends_at(self, event) -> str:
        return event.ends_at.astimezone(event.zone).isoformat()


class EventInputSerializer(ZonedTimesMixin, serializers.Serializer):
    """Times with an offset are taken as they are; times without one are read in
    the event's `time_zone`."""

    zoned_time_fields = ("starts_at", "ends_at")

    kind = serializers.ChoiceField(choices=Event.Kind.choices)
    organizer = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organization.objects.alive()
    )
    title_uk = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description_uk = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Event, "description_uk")
    )
    description_en = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Event, "description_en")
    )
    time_zone = serializers.CharField(validators=[validate_time_zone])
    starts_at = serializers.DateTimeField(
        default_timezone=zoneinfo.ZoneInfo("UTC"),
        validators=[validate_plausible_date],
    )
    ends_at = serializers.DateTimeField(
        default_timezone=zoneinfo.ZoneInfo("UTC"),
        validators=[validate_plausible_date],
    )
    venue_uk = serializers.CharField(max_length=300, required=False, allow_blank=True)
    venue_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    online_url = serializers.URLField(required=False, allow_blank=True)
    capacity = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    is_public = serializers.BooleanField(required=False)

    def validate(self, data):
        starts = data.get("starts_at", getattr(self.instance, "starts_at", None))
        ends = data.get("ends_at", getattr(self.instance, "ends_at", None))
        if starts and ends and ends <= starts:
            raise serializers.ValidationError(
                {"ends_at": gettext("The end must come after the start.")}
            )
        return data


class EventAccess(ReadAndPredicates):
    """Everyone reads what they may see; staff and organizer editors write (its
    other POST actions, publish and cancel, ask the editor's predicate)."""

    can_create = staticmethod(permissions.can_create_event)
    can_change = staticmethod(permissions.can_edit_event)

    def creates(self, request, view) -> bool:
        return view.action == "create"


@extend_schema_view(
    list=extend_schema(
        summary="List events",
        responses=EventSerializer(many=True),
    ),
    retrieve=extend_schema(summary="One event", responses=EventSerializer),
    create=extend_schema(
        summary="Create a draft event",
        request=EventInputSerializer,
        responses={201: EventSerializer},
    ),
    partial_update=extend_schema(
        summary="Change an event",
        request=EventInputSerializer,
        responses=EventSerializer,
    ),
)
class EventViewSet(
    VisibleObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Events of the ecosystem. Drafts and private events only for their organizers."""

    lookup_field = "slug"
    permission_classes = [EventAccess]
    serializer_class = EventSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filter_backends = [FilterBackend]
    filterset_class = EventFilter
    not_found_message = _("There is no event at this address that you may see.")

    def get_queryset(self):
        return queries.with_counts(queries.events_visible_to(self.request.user))

    def create(self, request):
        serializer = EventInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.create_event(by=request.user, **serializer.validated_data)
        return self.visible_response(event, status=status.HTTP_201_CREATED)

    def partial_update(self, request, slug=None):
        event = self.get_object()
        serializer = EventInputSerializer(event, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        event = services.update_event(
            event, by=request.user, **serializer.validated_data
        )
        return self.visible_response(event)

    @extend_schema(summary="Publish a draft event", request=None)
    @action(detail=True, methods=["post"])
    def publish(self, request, slug=None):
        event = self.get_object()
        if not permissions.can_publish_event(request.user, event):
            raise PermissionDenied(gettext("Only a draft can be published."))
        return self.visible_response(services.publish_event(event, by=request.user))

    @extend_schema(
        summary="Cancel an event",
        description="Everyone registered is told by e-mail, in their language.",
        request=None,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, slug=None):
        event = self.get_object()
        if not permissions.can_cancel_event(request.user, event):
            raise PermissionDenied(gettext("The event is already cancelled."))
        return self.visible_response(services.cancel_event(event, by=request.user))


class RegistrationSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organization = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    waitlist_position = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "organization",
            "status",
            "waitlist_position",
            "created_at",
            "promoted_at",
            "cancelled_at",
        ]
        read_only_fields = fields

    def get_waitlist_position(self, registration) -> int | None:
        return queries.waitlist_position(registration)


class RegistrationInputSerializer(serializers.Serializer):
    event = serializers.SlugField()
    organization = serializers.SlugField(required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(summary="My registrations"),
    retrieve=extend_schema(summary="One of my registrations"),
    create=extend_schema(
        summary="Register for an event",
        description="A place when there is one, else a place on the waiting list.",
        request=RegistrationInputSerializer,
        responses={201: RegistrationSerializer},
    ),
)
class MyRegistrationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The signed-in person's own registrations; nobody else's are reachable."""

    permission_classes = [drf_permissions.IsAuthenticated]
    serializer_class = RegistrationSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return queries.registrations_of(self.request.user)

    def create(self, request):
        serializer = RegistrationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = (
            queries.events_visible_to(request.user)
            .filter(slug=serializer.validated_data["event"])
            .first()
        )
        if event is None:
            raise serializers.ValidationError(
                {
                    "event": [
                        gettext("There is no event with this address that you may see.")
                    ]
                }
            )
        organization = None
        if slug := serializer.validated_data.get("organization"):
            organization = Organization.objects.filter(slug=slug).first()
            if organization is None:
                raise serializers.ValidationError({"organization": gettext("Unknown.")})
        registration = services.register(event, request.user, organization=organization)
        return Response(
            self.get_serializer(registration).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(summary="Cancel my registration", request=None)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        registration = self.get_object()
        if not permissions.can_cancel_registration(request.user, registration):
            raise PermissionDenied(gettext("This registration is already cancelled."))
        registration = services.cancel_registration(registration, by=request.user)
        return Response(self.get_serializer(registration).data)


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register("events", EventViewSet, basename="event")
    router.register(
        "my-registrations", MyRegistrationViewSet, basename="my-registration"
    )


# Extra API paths that are not viewsets (included under /api/v1/).
urlpatterns: list = []
