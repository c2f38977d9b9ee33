"""API views: read through directory.queries, write through directory.services."""

from django.db.models import QuerySet
from django.http import HttpResponsePermanentRedirect
from django.http.response import HttpResponseRedirectBase
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import mixins, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse as api_reverse
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle

from api import docs, filters, serializers
from api.exceptions import Conflict, require_version
from api.mixins import VisibleObjectMixin
from api.permissions import OrganizationAccess
from core.concurrency import StaleVersionError
from directory import services
from directory.filters import OrganizationFilter
from directory.models import Organization, Place, Sector, Tag
from directory.queries import organizations_visible_to, with_card_data


def validated_filters(filter_serializer_class, request) -> dict:
    """The query string checked by a filter serializer; bad values answer 400."""
    serializer = filter_serializer_class(data=request.query_params.dict())
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(
        summary="List and search organizations",
        responses={
            200: serializers.OrganizationSerializer(many=True),
        },
    ),
    retrieve=extend_schema(
        summary="One organization",
        responses={
            200: serializers.OrganizationSerializer,
        },
    ),
    create=extend_schema(
        summary="Propose a new organization",
        description=(
            "Any signed-in person may propose an organization; they become its "
            "editor, and it waits for verification by cluster staff."
        ),
        request=serializers.OrganizationInputSerializer,
        responses={
            201: serializers.OrganizationSerializer,
        },
    ),
    update=extend_schema(
        summary="Replace an organization's profile",
        request=serializers.OrganizationUpdateInputSerializer,
        responses={
            200: serializers.OrganizationSerializer,
            202: serializers.ProfileChangeProposedSerializer,
        },
    ),
    partial_update=extend_schema(
        summary="Change an organization's profile",
        description=(
            "Cluster staff changes apply at once (200). An editor's changes to a "
            "published (verified) profile wait for moderation (202) and the "
            "published profile stays as it is until then. Send the `version` you "
            "read: without it nothing is saved (428), and when someone else "
            "changed the profile since, you are told so (409)."
        ),
        request=serializers.OrganizationUpdateInputSerializer,
        responses={
            200: serializers.OrganizationSerializer,
            202: serializers.ProfileChangeProposedSerializer,
        },
    ),
)
class OrganizationViewSet(
    VisibleObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The ecosystem directory: organizations everyone may see, and their editing."""

    lookup_field = "slug"
    permission_classes = [OrganizationAccess]
    serializer_class = serializers.OrganizationSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filter_backends = [filters.FilterBackend]
    filterset_class = OrganizationFilter
    not_found_message = _("There is no organization at this address that you may see.")

    def get_queryset(self) -> QuerySet[Organization]:
        return with_card_data(organizations_visible_to(self.request.user))

    def create(self, request):
        serializer = serializers.OrganizationInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        organization = services.create_organization(
            by=request.user, **serializer.validated_data
        )
        location = api_reverse(
            "api:organization-detail",
            kwargs={"slug": organization.slug},
            request=request,
        )
        return self.visible_response(
            organization, status=status.HTTP_201_CREATED, headers={"Location": location}
        )

    def update(self, request, slug=None, partial=False):
        organization = self.get_object()
        require_version(request)
        serializer = serializers.OrganizationUpdateInputSerializer(
            organization,
            data=request.data,
            partial=partial,
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        version = fields.pop("version", None)
        try:
            outcome = services.save_profile(
                organization, by=request.user, expected_version=version, **fields
            )
        except StaleVersionError as error:
            raise self._stale(organization, version) from error
        organization = self.get_queryset().get(pk=organization.pk)
        if outcome.awaits_moderation:
            data = serializers.ProfileChangeProposedSerializer(
                {
                    "detail": gettext(
                        "Your changes wait for moderation by cluster staff; the "
                        "published profile stays as it is until they approve them."
                    ),
                    "revision": outcome.revision,
                    "organization": organization,
                },
                context=self.get_serializer_context(),
            ).data
            return Response(data, status=status.HTTP_202_ACCEPTED)
        return Response(self.get_serializer(organization).data)

    def partial_update(self, request, slug=None):
        return self.update(request, slug=slug, partial=True)

    def _stale(self, organization: Organization, version: int) -> Conflict:
        current = Organization.objects.values_list("version", flat=True).get(
            pk=organization.pk
        )
        message = gettext(
            "This organization changed since you read it: you sent version "
            "%(sent)s, it is now at version %(current)s. Nothing was saved; read "
            "it again and send your changes based on the current version."
        ) % {"sent": version, "current": current}
        return Conflict(detail=message, errors={"version": [message]})


class FilteredReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A public, read-only vocabulary whose list takes validated filters."""

    permission_classes = [AllowAny]
    filter_serializer_class: type[drf_serializers.Serializer]
    # filter_function(queryset, validated_filters) -> queryset
    filter_function: staticmethod

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return self.filter_function(
            queryset, validated_filters(self.filter_serializer_class, self.request)
        )


@extend_schema_view(
    list=extend_schema(
        summary="KVED-2010 sections and divisions",
        parameters=[filters.SectorFilterSerializer],
    ),
    retrieve=extend_schema(summary="One sector"),
)
class SectorViewSet(FilteredReadOnlyViewSet):
    queryset = Sector.objects.select_related("parent").order_by("code")
    serializer_class = serializers.SectorSerializer
    lookup_field = "code"
    filter_serializer_class = filters.SectorFilterSerializer
    filter_function = staticmethod(filters.filter_sectors)


@extend_schema_view(
    list=extend_schema(
        summary="Technology tags", parameters=[filters.TagFilterSerializer]
    ),
    retrieve=extend_schema(summary="One technology tag"),
)
class TagViewSet(FilteredReadOnlyViewSet):
    queryset = Tag.objects.order_by("slug")
    serializer_class = serializers.TagSerializer
    lookup_field = "slug"
    filter_serializer_class = filters.TagFilterSerializer
    filter_function = staticmethod(filters.filter_tags)


@extend_schema_view(
    list=extend_schema(
        summary="Places in Ukraine (KATOTTG)",
        parameters=[filters.PlaceFilterSerializer],
    ),
    retrieve=extend_schema(summary="One place"),
)
class PlaceViewSet(FilteredReadOnlyViewSet):
    queryset = Place.objects.select_related("parent").order_by("code")
    serializer_class = serializers.PlaceSerializer
    lookup_field = "code"
    filter_serializer_class = filters.PlaceFilterSerializer
    filter_function = staticmethod(filters.filter_places)


class AuthTokenView(ObtainAuthToken):
    """Exchange an e-mail address and password for an API token."""

    serializer_class = serializers.AuthTokenInputSerializer
    # The request carries credentials, not a session: no CSRF, no session login.
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, ScopedRateThrottle]
    throttle_scope = "auth_token"

    @extend_schema(
        summary="Get an API token",
        description=(
            "Send it with every request as the header `Authorization: Token <token>`. "
            "People with two-factor sign-in on also send `otp` (a code from their "
            "authenticator app or a recovery code); platform admins, cluster staff, "
            "city officers and reviewers get a token only once they have set up "
            "two-factor sign-in on the site. A new password ends the person's tokens."
        ),
        request=serializers.AuthTokenInputSerializer,
        responses={
            200: serializers.AuthTokenSerializer,
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(
            user=serializer.validated_data["user"]
        )
        return Response({"token": token.key})


ROOT_LINKS = {
    "organizations": "api:organization-list",
    "sectors": "api:sector-list",
    "tags": "api:tag-list",
    "places": "api:place-list",
    "token": "api:token",
    "schema": "api:schema",
    "docs": "api:docs",
}


@extend_schema(
    summary="Links to the API's resources",
    responses=inline_serializer(
        "ApiRoot", {name: drf_serializers.URLField() for name in ROOT_LINKS}
    ),
)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request):
    return Response(
        {key: api_reverse(name, request=request) for key, name in ROOT_LINKS.items()}
    )


class HttpResponsePermanentRedirectKeepingMethod(HttpResponseRedirectBase):
    status_code = 308


@csrf_exempt
def moved(request, to: str, **kwargs):
    """An address from before the path convention (api.urls): a permanent redirect
    to its new address, with the query string; 301 for reads, 308 (same method and
    body) for the rest. Anyone may follow it: the new address decides."""
    target = reverse("api:root") + to.format(**kwargs)
    if request.META.get("QUERY_STRING"):
        target = f"{target}?{request.META['QUERY_STRING']}"
    if request.method in ("GET", "HEAD"):
        return HttpResponsePermanentRedirect(target)
    return HttpResponsePermanentRedirectKeepingMethod(target)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
def not_found(request, *args, **kwargs):
    """Unknown API addresses answer JSON, like the rest of the API."""
    raise NotFound


class ApiDocsView(TemplateView):
    """A page for people: what the API offers, and where its OpenAPI document is."""

    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["schema_url"] = reverse("api:schema")
        context["reference_url"] = reverse("api:docs-reference")
        context["endpoint_groups"] = docs.endpoint_groups()
        return context


class ApiReferenceView(SpectacularSwaggerSplitView):
    """The interactive reference (Swagger UI) of the OpenAPI document, its assets
    served from the drf-spectacular-sidecar package (no CDN) and its set-up script
    from this address (no inline script, for the Content Security Policy)."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
