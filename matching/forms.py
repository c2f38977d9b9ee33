"""Forms of matching: needs and offers, their filters, moderation, match profiles."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from core.forms import BootstrapMixin, ListFilterMixin
from core.validators import check_plausible_dates
from core.widgets import FastSelect
from directory import queries as directory_queries
from directory.forms import (
    GroupedSectorField,
    PlaceChoiceField,
    SectorChecklist,
    alphabetical,
)
from directory.models import Organization, Place, Sector, Tag
from matching.models import NEED_OFFER_FIELDS, MatchProfile, NeedOffer


def _tag_choices():
    return sorted(
        ((tag.pk, str(tag.name)) for tag in Tag.objects.all()),
        key=lambda choice: alphabetical(choice[1]),
    )


def _country_choices():
    return sorted(countries, key=lambda choice: alphabetical(str(choice[1])))


class PickerMixin:
    """The directory's sector checklist and tag grid on `sectors` and `tags`."""

    def set_up_pickers(self):
        self.fields["sectors"].choices = self.fields["sectors"].grouped_choices()
        self.fields["tags"].queryset = Tag.objects.all()
        self.fields["tags"].choices = _tag_choices()


class NeedOfferForm(PickerMixin, BootstrapMixin, forms.ModelForm):
    """A need or offer: both languages side by side, vocabulary from the directory."""

    class Meta:
        model = NeedOffer
        fields = NEED_OFFER_FIELDS
        field_classes = {"sectors": GroupedSectorField, "place": PlaceChoiceField}
        widgets = {
            "kind": forms.RadioSelect,
            "title_uk": forms.TextInput(attrs={"lang": "uk"}),
            "title_en": forms.TextInput(attrs={"lang": "en"}),
            "description_uk": forms.Textarea(attrs={"rows": 5, "lang": "uk"}),
            "description_en": forms.Textarea(attrs={"rows": 5, "lang": "en"}),
            "sectors": SectorChecklist,
            "tags": forms.CheckboxSelectMultiple,
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "country": FastSelect,
        }
        help_texts = {
            "place": _("Where in Ukraine, if it is tied to a place."),
            "country": _("The country, if it is outside Ukraine or not tied to one."),
            "valid_until": _("It stops being public after this date unless renewed."),
        }

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        check_plausible_dates(self, "valid_until")
        self.fields["organization"].queryset = organizations
        self.fields["organization"].empty_label = None
        self.fields["place"].choices = self.fields["place"].tree_choices()
        self.fields["country"].choices = [("", "—"), *_country_choices()]
        self.fields["title_uk"].label = _("Title in Ukrainian")
        self.fields["title_en"].label = _("Title in English")
        self.fields["description_uk"].label = _("Description in Ukrainian")
        self.fields["description_en"].label = _("Description in English")
        self.set_up_pickers()
        self.style_widgets()


class NeedOfferFilterForm(ListFilterMixin, BootstrapMixin, forms.Form):
    """Search, filters and sorting of the public list (GET)."""

    SORT_CHOICES = [
        ("newest", _("Newest first")),
        ("expiring", _("Ending soonest")),
        ("title", _("Title A–Z")),
    ]
    FILTERS = ("kind", "category", "tag", "sector", "place")

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("What, where…")}
        ),
    )
    kind = forms.ChoiceField(label=_("Type"), required=False, widget=FastSelect)
    category = forms.ChoiceField(label=_("Category"), required=False, widget=FastSelect)
    tag = forms.ChoiceField(label=_("Technology"), required=False, widget=FastSelect)
    sector = forms.ChoiceField(
        label=_("Sector (KVED)"), required=False, widget=FastSelect
    )
    place = forms.ChoiceField(label=_("Place"), required=False, widget=FastSelect)
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=SORT_CHOICES, widget=FastSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        any_choice = [("", pgettext_lazy("filter", "Any"))]
        self.fields["kind"].choices = any_choice + list(NeedOffer.Kind.choices)
        self.fields["category"].choices = any_choice + list(NeedOffer.Category.choices)
        self.fields["tag"].choices = any_choice + directory_queries.tag_choices()
        self.fields["sector"].choices = any_choice + directory_queries.sector_choices()
        self.fields["place"].choices = any_choice + directory_queries.place_choices()
        self.style_widgets()

    def filters(self) -> dict:
        tag = self._value("tag")
        sector = self._value("sector")
        place = self._value("place")
        return {
            "kind": self._value("kind"),
            "category": self._value("category"),
            "tag": Tag.objects.filter(slug=tag).first() if tag else None,
            "sector": Sector.objects.filter(code=sector).first() if sector else None,
            "place": Place.objects.filter(code=place).first() if place else None,
        }


class MatchProfileForm(PickerMixin, BootstrapMixin, forms.ModelForm):
    """ "Your interests": what a person looks for in partners."""

    intents = forms.MultipleChoiceField(
        label=_("You are looking for"),
        choices=MatchProfile.Intent.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries of interest"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Where your partners should be. Hold Ctrl to pick several."),
    )

    class Meta:
        model = MatchProfile
        fields = [
            "organization",
            "intents",
            "tags",
            "sectors",
            "countries",
            "ticket_min",
            "ticket_max",
            "ticket_currency",
            "about_uk",
            "about_en",
        ]
        field_classes = {"sectors": GroupedSectorField}
        widgets = {
            "sectors": SectorChecklist,
            "tags": forms.CheckboxSelectMultiple,
            "about_uk": forms.Textarea(attrs={"rows": 3, "lang": "uk"}),
            "about_en": forms.Textarea(attrs={"rows": 3, "lang": "en"}),
        }
        help_texts = {
            "organization": _("Recommendations also use this organization's profile."),
            "ticket_min": _("For investors: the amounts you invest."),
        }

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = organizations
        if queryset is None:
            queryset = Organization.objects.none()
        self.fields["organization"].queryset = queryset
        self.fields["organization"].required = False
        self.fields["countries"].choices = _country_choices()
        self.set_up_pickers()
        self.style_widgets()
