"""API representations. Both language columns travel as they are (name_uk, name_en)."""

import zoneinfo
from collections.abc import Mapping

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from accounts.permissions import must_use_two_factor
from accounts.two_factor import services as two_factor_services
from api.exceptions import LockedOut
from core.routing import slug_url
from directory import permissions
from directory.models import (
    PROFILE_FIELDS,
    STAFF_FIELDS,
    Organization,
    Place,
    ProfileRevision,
    Sector,
    Tag,
)
from directory.queries import sectors_of, tags_of
from directory.validators import validate_edrpou, validate_one_identifier


class ZonedTimesMixin:
    """For input serializers of things with their own `time_zone` (events, calls):
    times with an offset are taken as they are; times without one are read in the
    thing's zone (the one sent, else the instance's, else `default_zone`), not in
    the zone of whoever sends them."""

    zoned_time_fields: tuple[str, ...] = ()
    default_zone = "UTC"

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)  # "expected a dictionary": 400
        raw = {key: data.get(key) for key in self.zoned_time_fields}
        value = super().to_internal_value(data)
        zone_name = (
            value.get("time_zone")
            or getattr(self.instance, "time_zone", None)
            or self.default_zone
        )
        zone = zoneinfo.ZoneInfo(zone_name)
        for key, text in raw.items():
            if key in value and isinstance(text, str) and _is_naive(text):
                value[key] = value[key].replace(tzinfo=None).replace(tzinfo=zone)
        return value


def _is_naive(text: str) -> bool:
    """An ISO 8601 date-time without "Z" or an offset after its date."""
    tail = text[10:]
    return not (tail.endswith("Z") or "+" in tail or tail.count("-") > 0)


class SectorSerializer(serializers.ModelSerializer):
    """A KVED-2010 section or division."""

    parent = serializers.CharField(
        source="parent.code",
        allow_null=True,
        help_text=_("The section a division belongs to."),
    )

    class Meta:
        model = Sector
        fields = ["code", "level", "parent", "name_uk", "name_en"]


class SectorBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "name_uk", "name_en"]


class TagSerializer(serializers.ModelSerializer):
    """A technology tag."""

    class Meta:
        model = Tag
        fields = ["slug", "name_uk", "name_en"]


class PlaceSerializer(serializers.ModelSerializer):
    """A place in Ukraine, by its KATOTTG code."""

    parent = serializers.CharField(
        source="parent.code",
        allow_null=True,
        help_text=_("KATOTTG code of the place this one is part of."),
    )

    class Meta:
        model = Place
        fields = ["code", "category", "parent", "name_uk", "name_en"]


class PlaceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["code", "name_uk", "name_en"]


# The row builder's own field for times (in the current zone): reading self.fields
# would build every declared field of the serializer per request, for nothing.
_TIMES = serializers.DateTimeField()


class OrganizationSerializer(serializers.ModelSerializer):
    """An organization as the API shows it.

    `rntrc` (a sole proprietor's taxpayer number) is personal data: it is present
    only for the organization's editors and cluster staff (the directory's
    predicate, whose edited organizations are read once per request).
    """

    country = serializers.CharField(
        source="country.code", help_text=_("ISO 3166 two-letter code.")
    )
    place = PlaceBriefSerializer(allow_null=True)
    sectors = SectorBriefSerializer(many=True)
    tags = TagSerializer(many=True)
    logo = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    rntrc = serializers.CharField(
        required=False,
        allow_null=True,
        help_text=_("Only shown to the organization's editors and cluster staff."),
    )

    class Meta:
        model = Organization
        # Everything an editor or staff can set, plus what the platform records.
        fields = [
            "slug",
            *PROFILE_FIELDS,
            *STAFF_FIELDS,
            "verification",
            "version",
            "created_at",
            "updated_at",
            "url",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_logo(self, organization) -> str | None:
        if not organization.logo:
            return None
        return self._absolute(organization.logo.url)

    @extend_schema_field(serializers.URLField())
    def get_url(self, organization) -> str:
        """The organization's page in the directory."""
        return self._page_url(organization.slug)

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @cached_property
    def _page_url(self):
        """slug → the page's absolute URL, from one reverse and one absolute prefix
        (the serializer of a list is one instance for all its rows)."""
        path = slug_url("directory:organization-detail")
        prefix = self._absolute("/")[:-1]  # scheme and host
        return lambda slug: prefix + path(slug)

    def to_representation(self, organization):
        """The fields of Meta.fields, in their order, built directly: DRF's field
        by field machinery (nested serializers for the place, sectors and tags)
        was most of a list's time. tests/api/test_organizations.py holds this to
        ModelSerializer's own output."""
        place = organization.place
        since = organization.cluster_member_since
        times = _TIMES
        data = {
            "slug": organization.slug,
            "name_uk": organization.name_uk,
            "name_en": organization.name_en,
            "kind": organization.kind,
            "description_uk": organization.description_uk,
            "description_en": organization.description_en,
            "edrpou": organization.edrpou,
            "rntrc": organization.rntrc,
            "country": organization.country.code,
            "place": None
            if place is None
            else {
                "code": place.code,
                "name_uk": place.name_uk,
                "name_en": place.name_en,
            },
            "locality": organization.locality,
            "address": organization.address,
            "sectors": [
                {
                    "code": sector.code,
                    "name_uk": sector.name_uk,
                    "name_en": sector.name_en,
                }
                for sector in sectors_of(organization)
            ],
            "tags": [
                {"slug": tag.slug, "name_uk": tag.name_uk, "name_en": tag.name_en}
                for tag in tags_of(organization)
            ],
            "size": organization.size,
            "founded_year": organization.founded_year,
            "website": organization.website,
            "email": organization.email,
            "phone": organization.phone,
            "logo": self.get_logo(organization),
            "visibility": organization.visibility,
            "cluster_status": organization.cluster_status,
            "cluster_member_since": None if since is None else since.isoformat(),
            "verification": organization.verification,
            "version": organization.version,
            "created_at": times.to_representation(organization.created_at),
            "updated_at": times.to_representation(organization.updated_at),
            "url": self._page_url(organization.slug),
        }
        if not self._may_see_private_identifiers(organization):
            del data["rntrc"]
        return data

    def _may_see_private_identifiers(self, organization) -> bool:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return permissions.can_see_private_identifiers(user, organization)


class OrganizationInputSerializer(serializers.ModelSerializer):
    """What a client may send to create or change an organization.

    Validated data goes to directory.services; this serializer never saves.
    """

    place = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Place.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("KATOTTG code of the place in Ukraine."),
    )
    sectors = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Sector.objects.all(),
        many=True,
        required=False,
        help_text=_("KVED codes of sections or divisions."),
    )
    tags = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Tag.objects.all(),
        many=True,
        required=False,
        help_text=_("Identifiers of technology tags."),
    )
    logo = serializers.ImageField(
        required=False,
        allow_null=True,
        help_text=_("An image file (multipart upload); null removes the logo."),
    )
    edrpou = serializers.CharField(
        label=_("EDRPOU code"),
        max_length=8,
        required=False,
        allow_null=True,
        allow_blank=True,
        validators=[
            validate_edrpou,
            UniqueValidator(
                queryset=Organization.objects.all(),
                message=_("Another organization already has this EDRPOU code."),
            ),
        ],
        help_text=_("For Ukrainian legal entities: 8 digits with a check digit."),
    )

    class Meta:
        model = Organization
        fields = [*PROFILE_FIELDS, *STAFF_FIELDS]
        extra_kwargs = {
            "cluster_status": {"help_text": _("Cluster staff only.")},
            "cluster_member_since": {"help_text": _("Cluster staff only.")},
        }

    def validate(self, attrs):
        errors = {}
        user = getattr(self.context.get("request"), "user", None)
        settable = permissions.settable_fields(user)
        for field in STAFF_FIELDS:
            if field in attrs and field not in settable:
                errors[field] = [gettext("Only cluster staff may change this.")]
        try:
            validate_one_identifier(
                self._value(attrs, "edrpou"), self._value(attrs, "rntrc")
            )
        except DjangoValidationError as invalid:
            errors.update(invalid.message_dict)
        if errors:
            raise serializers.ValidationError(errors)
        if "logo" in attrs and attrs["logo"] is None:
            attrs["logo"] = ""  # the service reads "" as "remove the logo"
        return attrs

    def _value(self, attrs, field):
        """The value after this change: sent, else the current one when patching."""
        if field in attrs:
            return attrs[field]
        return getattr(self.instance, field, None)


class OrganizationUpdateInputSerializer(OrganizationInputSerializer):
    """A change to an organization, with the version it was based on."""

    version = serializers.IntegerField(
        min_value=1,
        help_text=_(
            "The version you read. Without it nothing is saved and the answer is "
            "428 Precondition Required; if the organization changed since, nothing "
            "is saved and the answer is 409 Conflict."
        ),
    )

    class Meta(OrganizationInputSerializer.Meta):
        fields = [*OrganizationInputSerializer.Meta.fields, "version"]


class ProfileRevisionSerializer(serializers.ModelSerializer):
    """Changes an editor proposed to a published profile, waiting for moderation."""

    changed_fields = serializers.SerializerMethodField(
        help_text=_("The fields the proposal changes.")
    )

    class Meta:
        model = ProfileRevision
        fields = ["id", "status", "base_version", "changed_fields", "created_at"]

    def get_changed_fields(self, revision) -> list[str]:
        return sorted(revision.changes)


class ProfileChangeProposedSerializer(serializers.Serializer):
    """The answer when changes wait for moderation (202 Accepted)."""

    detail = serializers.CharField()
    revision = ProfileRevisionSerializer()
    organization = OrganizationSerializer(
        help_text=_("The organization as published now, without the proposed changes.")
    )


class ErrorSerializer(serializers.Serializer):
    """Every error answer: a sentence, and messages for each field at fault."""

    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Messages for each field; empty when no field is at fault."),
    )


class AuthTokenInputSerializer(serializers.Serializer):
    """E-mail and password (and, with two-factor sign-in on, a code), exchanged
    for an API token."""

    email = serializers.EmailField()
    password = serializers.CharField(
        trim_whitespace=False, style={"input_type": "password"}, write_only=True
    )
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        write_only=True,
        help_text=_(
            "For people with two-factor sign-in on: a code from the authenticator "
            "app or a recovery code. People who must use two-factor sign-in set it "
            "up on the site before they can get a token."
        ),
    )

    def validate(self, attrs):
        # django-axes counts failures and locks out on the plain HttpRequest.
        http_request = self.context["request"]._request
        user = authenticate(
            request=http_request,
            username=attrs["email"].lower(),
            password=attrs["password"],
        )
        if getattr(http_request, "axes_locked_out", False):
            # AxesMiddleware would swap the answer for its HTML page; answer JSON.
            http_request.axes_locked_out = False
            raise LockedOut
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                gettext("The e-mail address or password is not correct."),
                code="authorization",
            )
        self._check_second_factor(user, attrs.get("otp", ""), http_request)
        attrs["user"] = user
        return attrs

    def _check_second_factor(self, user, code, http_request):
        """The same second factor as the sign-in page; a wrong code counts as a
        failed sign-in (django-axes), as on the page."""
        if not two_factor_services.has_authenticator(user):
            if must_use_two_factor(user):
                raise serializers.ValidationError(
                    gettext(
                        "Your role requires two-factor sign-in: sign in on the site "
                        "once and set it up, then ask for a token with a code."
                    ),
                    code="two_factor_setup_required",
                )
            return
        if not code:
            raise serializers.ValidationError(
                {
                    "otp": gettext(
                        "Enter the code from your authenticator app or a recovery code."
                    )
                },
                code="two_factor_required",
            )
        try:
            two_factor_services.check_code(user, code)
        except DjangoValidationError as error:
            user_login_failed.send(
                sender=__name__,
                credentials={"username": user.email},
                request=http_request,
            )
            if getattr(http_request, "axes_locked_out", False):
                http_request.axes_locked_out = False
                raise LockedOut from error
            raise serializers.ValidationError(
                {"otp": error.messages}, code="wrong_code"
            ) from error


class AuthTokenSerializer(serializers.Serializer):
    token = serializers.CharField()
