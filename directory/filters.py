"""The directory list's search, filters and order: one FilterSet for the API
(GET /api/v1/organizations/), the page's under the names its address has always
used, both over queries.filter_organizations, the one search and the one table of
orderings (queries.ORGANIZATION_ORDERINGS)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.filters import FilterForm, LenientFilterSet, select_filter
from directory import queries, search
from directory.models import Organization, Place, Sector, Tag


class StrictBooleanField(forms.NullBooleanField):
    """true/false (and their usual spellings) or nothing; anything else is an
    error, where Django's NullBooleanField would quietly read it as "unknown"."""

    widget = forms.TextInput  # NullBooleanSelect would read any other word as None
    TRUE = {"true", "t", "yes", "y", "on", "1"}
    FALSE = {"false", "f", "no", "n", "off", "0"}

    def to_python(self, value):
        if value in (None, "", True, False):
            return None if value == "" else value
        text = str(value).lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        if text == "null":
            return None
        raise ValidationError(gettext("Must be a valid boolean."), code="invalid")

    def validate(self, value):
        pass


class _LookupField(forms.CharField):
    """A code or slug that must name an existing row; cleaned to the row."""

    model = None
    lookup = ""
    uppercase = True
    message = None  # each subclass names what is missing

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        key = value.upper() if self.uppercase else value
        found = self.model.objects.filter(**{self.lookup: key}).first()
        if found is None:
            raise ValidationError(
                str(self.message) % {"code": value, "slug": value}, code="unknown"
            )
        return found


class SectorField(_LookupField):
    model, lookup = Sector, "code"
    message = _("There is no sector with the code %(code)s.")


class TagField(_LookupField, forms.SlugField):
    model, lookup, uppercase = Tag, "slug", False
    message = _("There is no technology tag %(slug)s.")


class PlaceField(_LookupField):
    model, lookup = Place, "code"
    message = _("There is no place with the KATOTTG code %(code)s.")


class CountryField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        code = value.upper()
        if not countries.name(code):
            raise ValidationError(
                gettext("%(code)s is not a two-letter country code.") % {"code": value},
                code="unknown",
            )
        return code


def _lookup_filter(field_class, **kwargs):
    filter_ = django_filters.CharFilter(**kwargs)
    filter_.field_class = field_class
    return filter_


class OrganizationFilterSet(LenientFilterSet):
    """What both lists share: filtering through queries.filter_organizations, then
    the search, then the order (a search without an order keeps relevance)."""

    class Meta:
        model = Organization
        fields: list = []
        form = FilterForm

    @property
    def search_text(self) -> str:
        return (self.values().get("q") or "").strip()

    def filter_queryset(self, queryset):
        data = self.values()
        queryset = queries.filter_organizations(
            queryset,
            kind=data.get("kind") or "",
            sector=data.get("sector") or None,
            tag=data.get("tag") or None,
            place=data.get("place") or None,
            country=data.get("country") or "",
            cluster_member=self.cluster_membership(),
        )
        if data.get("verification"):
            queryset = queryset.filter(verification=data["verification"])
        if self.search_text:
            queryset = search.search_organizations(queryset, self.search_text)
        if self.order_key == "relevance":
            return queryset
        return queries.order_organizations(queryset, self.order_key)


class OrganizationFilter(OrganizationFilterSet):
    """The filters of GET /api/v1/organizations/."""

    q = django_filters.CharFilter(
        max_length=200, help_text=_("Words to search for, in Ukrainian or English.")
    )
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices)
    sector = _lookup_filter(
        SectorField,
        max_length=8,
        help_text=_("A KVED code; a section includes its divisions."),
    )
    tag = _lookup_filter(TagField, help_text=_("A technology tag."))
    place = _lookup_filter(
        PlaceField,
        max_length=19,
        help_text=_("A KATOTTG code; a place includes the places inside it."),
    )
    country = _lookup_filter(
        CountryField,
        max_length=2,
        min_length=2,
        help_text=_("A two-letter ISO 3166 country code."),
    )
    cluster_member = django_filters.BooleanFilter(
        help_text=_("true: members of the IT Cluster only; false: everyone else.")
    )
    cluster_member.field_class = StrictBooleanField
    verification = django_filters.ChoiceFilter(
        choices=Organization.Verification.choices,
        help_text=_(
            "Verified organizations are public; others are listed only for their "
            "editors and cluster staff."
        ),
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for key in queries.ORGANIZATION_ORDERINGS],
        help_text=_("Sort order; without it, search results come by relevance."),
    )

    def cluster_membership(self) -> str:
        return {True: "yes", False: "no"}.get(self.values().get("cluster_member"), "")

    @property
    def order_key(self) -> str:
        chosen = self.values().get("ordering")
        return chosen or ("relevance" if self.search_text else "name_uk")


class DirectoryFilter(OrganizationFilterSet):
    """The directory page's search box, filters and sorting (choices from the
    directory's vocabularies, so a bad value reads as "Select a valid choice")."""

    SORT_CHOICES = [
        ("", _("Recommended")),
        ("relevance", _("Best match")),
        ("name", _("Name A–Z")),
        ("-name", _("Name Z–A")),
        ("newest", _("Newest first")),
        ("founded", _("Oldest founded first")),
    ]
    CLUSTER_CHOICES = [
        ("yes", _("Members only")),
        ("no", _("Not members")),
    ]
    FILTERS = ("kind", "sector", "tag", "place", "country", "cluster")

    q = django_filters.CharFilter(
        label=_("Search"),
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name, technology, service…"),
                "autocomplete": "off",
            }
        ),
    )
    kind = select_filter(_("Kind"), Organization.Kind.choices)
    # Choices from the vocabularies, read per request (see __init__).
    sector = select_filter(_("Sector (KVED)"))
    tag = select_filter(_("Technology"))
    place = select_filter(_("Place"))
    country = select_filter(_("Country"))
    cluster = select_filter(
        _("IT Cluster"),
        CLUSTER_CHOICES,
        empty_label=pgettext_lazy("cluster filter", "Any"),
    )
    sort = select_filter(_("Sort by"), SORT_CHOICES, empty_label=None)

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["sector"].extra["choices"] = queries.sector_choices()
        self.filters["tag"].extra["choices"] = queries.tag_choices()
        self.filters["place"].extra["choices"] = queries.place_choices()
        self.filters["country"].extra["choices"] = sorted(
            (
                (code, countries.name(code))
                for code in queries.countries_in_directory(user)
            ),
            key=lambda choice: choice[1],
        )

    def clean_values(self) -> dict:
        data = dict(super().clean_values())
        if data.get("sector"):
            data["sector"] = Sector.objects.filter(code=data["sector"]).first()
        if data.get("tag"):
            data["tag"] = Tag.objects.filter(slug=data["tag"]).first()
        if data.get("place"):
            data["place"] = Place.objects.filter(code=data["place"]).first()
        return data

    def cluster_membership(self) -> str:
        return self.values().get("cluster") or ""

    @property
    def order_key(self) -> str:
        """A key of queries.ORGANIZATION_ORDERINGS, or "relevance" (search order)."""
        return queries.organization_ordering(
            self.values().get("sort") or "", searching=bool(self.search_text)
        )

    def active_filter_count(self) -> int:
        data = self.values()
        return sum(1 for name in self.FILTERS if data.get(name))
