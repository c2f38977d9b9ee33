"""Query-string filters of the API lists, validated like any other input."""

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from rest_framework import serializers

from directory import queries, search
from directory.models import Organization, Place, Sector, Tag

# The API names columns; ties break on the primary key so pages never overlap.
ORGANIZATION_ORDERINGS = {
    "name_uk": ["name_uk", "pk"],
    "-name_uk": ["-name_uk", "-pk"],
    # An empty English name sorts as the Ukrainian one, as on the English pages.
    "name_en": [queries.name_in("en").asc(), "pk"],
    "-name_en": [queries.name_in("en").desc(), "-pk"],
    "created_at": ["created_at", "pk"],
    "-created_at": ["-created_at", "-pk"],
    "founded_year": [F("founded_year").asc(nulls_last=True), "name_uk", "pk"],
    "-founded_year": [F("founded_year").desc(nulls_last=True), "name_uk", "pk"],
}


class OrganizationFilterSerializer(serializers.Serializer):
    """The filters of GET /api/v1/organizations/."""

    q = serializers.CharField(
        required=False,
        max_length=200,
        help_text=_("Words to search for, in Ukrainian or English."),
    )
    kind = serializers.ChoiceField(choices=Organization.Kind.choices, required=False)
    sector = serializers.CharField(
        required=False,
        max_length=8,
        help_text=_("A KVED code; a section includes its divisions."),
    )
    tag = serializers.SlugField(required=False, help_text=_("A technology tag."))
    place = serializers.CharField(
        required=False,
        max_length=19,
        help_text=_("A KATOTTG code; a place includes the places inside it."),
    )
    country = serializers.CharField(
        required=False,
        max_length=2,
        min_length=2,
        help_text=_("A two-letter ISO 3166 country code."),
    )
    cluster_member = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("true: members of the IT Cluster only; false: everyone else."),
    )
    verification = serializers.ChoiceField(
        choices=Organization.Verification.choices,
        required=False,
        help_text=_(
            "Verified organizations are public; others are listed only for their "
            "editors and cluster staff."
        ),
    )
    ordering = serializers.ChoiceField(
        choices=list(ORGANIZATION_ORDERINGS),
        required=False,
        help_text=_("Sort order; without it, search results come by relevance."),
    )

    def validate_sector(self, value: str) -> Sector:
        sector = Sector.objects.filter(code=value.upper()).first()
        if sector is None:
            raise serializers.ValidationError(
                gettext("There is no sector with the code %(code)s.") % {"code": value}
            )
        return sector

    def validate_tag(self, value: str) -> Tag:
        tag = Tag.objects.filter(slug=value).first()
        if tag is None:
            raise serializers.ValidationError(
                gettext("There is no technology tag %(slug)s.") % {"slug": value}
            )
        return tag

    def validate_place(self, value: str) -> Place:
        place = Place.objects.filter(code=value.upper()).first()
        if place is None:
            raise serializers.ValidationError(
                gettext("There is no place with the KATOTTG code %(code)s.")
                % {"code": value}
            )
        return place

    def validate_country(self, value: str) -> str:
        code = value.upper()
        if not countries.name(code):
            raise serializers.ValidationError(
                gettext("%(code)s is not a two-letter country code.") % {"code": value}
            )
        return code


def filter_organizations(queryset: QuerySet, filters: dict) -> QuerySet:
    """Apply the validated filters of OrganizationFilterSerializer: the directory's
    own filters, then search, then the order asked for (search keeps relevance)."""
    cluster_member = filters.get("cluster_member")
    queryset = queries.filter_organizations(
        queryset,
        kind=filters.get("kind", ""),
        sector=filters.get("sector"),
        tag=filters.get("tag"),
        place=filters.get("place"),
        country=filters.get("country", ""),
        cluster_member={True: "yes", False: "no"}.get(cluster_member, ""),
    )
    if filters.get("verification"):
        queryset = queryset.filter(verification=filters["verification"])
    if query := (filters.get("q") or "").strip():
        queryset = search.search_organizations(queryset, query)
    if ordering := filters.get("ordering"):
        queryset = queryset.order_by(*ORGANIZATION_ORDERINGS[ordering])
    elif not query:
        queryset = queryset.order_by(*ORGANIZATION_ORDERINGS["name_uk"])
    return queryset


class SectorFilterSerializer(serializers.Serializer):
    """The filters of GET /api/v1/sectors/."""

    level = serializers.ChoiceField(choices=Sector.Level.choices, required=False)
    parent = serializers.CharField(
        required=False, max_length=8, help_text=_("Divisions of this section.")
    )


def filter_sectors(queryset: QuerySet, filters: dict) -> QuerySet:
    if filters.get("level"):
        queryset = queryset.filter(level=filters["level"])
    if filters.get("parent"):
        queryset = queryset.filter(parent__code=filters["parent"].upper())
    return queryset


class PlaceFilterSerializer(serializers.Serializer):
    """The filters of GET /api/v1/places/."""

    parent = serializers.CharField(
        required=False,
        max_length=19,
        help_text=_("Places directly inside this KATOTTG code."),
    )
    category = serializers.CharField(
        required=False, max_length=1, help_text=_("KATOTTG category letter.")
    )


def filter_places(queryset: QuerySet, filters: dict) -> QuerySet:
    if filters.get("parent"):
        queryset = queryset.filter(parent__code=filters["parent"].upper())
    if filters.get("category"):
        queryset = queryset.filter(category=filters["category"].upper())
    return queryset


class TagFilterSerializer(serializers.Serializer):
    """The filters of GET /api/v1/tags/."""

    q = serializers.CharField(
        required=False, max_length=100, help_text=_("Part of a name or identifier.")
    )


def filter_tags(queryset: QuerySet, filters: dict) -> QuerySet:
    if query := (filters.get("q") or "").strip():
        queryset = queryset.filter(
            Q(slug__icontains=query)
            | Q(name_uk__icontains=query)
            | Q(name_en__icontains=query)
        )
    return queryset
