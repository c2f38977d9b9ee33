"""Input of the directory's pages: filters, the profile form, moderation decisions."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries
from PIL import Image

from core.forms import BootstrapMixin
from core.widgets import FastSelect
from directory import permissions, queries
from directory.models import (
    PROFILE_FIELDS,
    STAFF_FIELDS,
    Organization,
    Place,
    Sector,
    Tag,
)

UKRAINIAN_ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP", "GIF": "GIF"}


def alphabetical(text: str) -> tuple:
    """Sort key: Latin first, then Cyrillic in Ukrainian order (і after и)."""
    key = []
    for char in str(text).lower():
        position = UKRAINIAN_ALPHABET.find(char)
        key.append((1, position, "") if position >= 0 else (0, 0, char))
    return tuple(key)


class DirectoryFilterForm(BootstrapMixin, forms.Form):
    """The directory's search box, filters and sorting (GET)."""

    SORT_CHOICES = [
        ("", _("Recommended")),
        ("relevance", _("Best match")),
        ("name", _("Name A–Z")),
        ("-name", _("Name Z–A")),
        ("newest", _("Newest first")),
        ("founded", _("Oldest founded first")),
    ]
    CLUSTER_CHOICES = [
        ("", pgettext_lazy("cluster filter", "Any")),
        ("yes", _("Members only")),
        ("no", _("Not members")),
    ]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name, technology, service…"),
                "autocomplete": "off",
            }
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=FastSelect)
    sector = forms.ChoiceField(
        label=_("Sector (KVED)"), required=False, widget=FastSelect
    )
    tag = forms.ChoiceField(label=_("Technology"), required=False, widget=FastSelect)
    place = forms.ChoiceField(label=_("Place"), required=False, widget=FastSelect)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=FastSelect)
    cluster = forms.ChoiceField(
        label=_("IT Cluster"),
        required=False,
        choices=CLUSTER_CHOICES,
        widget=FastSelect,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=SORT_CHOICES, widget=FastSelect
    )

    FILTERS = ("kind", "sector", "tag", "place", "country", "cluster")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        any_choice = [("", pgettext_lazy("filter", "Any"))]
        self.fields["kind"].choices = any_choice + list(Organization.Kind.choices)
        self.fields["sector"].choices = any_choice + queries.sector_choices()
        self.fields["tag"].choices = any_choice + queries.tag_choices()
        self.fields["place"].choices = any_choice + queries.place_choices()
        self.fields["country"].choices = any_choice + sorted(
            (
                (code, countries.name(code))
                for code in queries.countries_in_directory(user)
            ),
            key=lambda choice: choice[1],
        )
        self.style_widgets()

    def filters(self) -> dict:
        """Keyword arguments for queries.filter_organizations from the valid fields."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        result = {
            "kind": data.get("kind", ""),
            "country": data.get("country", ""),
            "cluster_member": data.get("cluster", ""),
        }
        if data.get("sector"):
            result["sector"] = Sector.objects.filter(code=data["sector"]).first()
        if data.get("tag"):
            result["tag"] = Tag.objects.filter(slug=data["tag"]).first()
        if data.get("place"):
            result["place"] = Place.objects.filter(code=data["place"]).first()
        return result

    @property
    def search_text(self) -> str:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return (data.get("q") or "").strip()

    @property
    def ordering(self) -> str:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        sort = data.get("sort") or ""
        if sort == "relevance" and not self.search_text:
            return "name"
        return sort or ("relevance" if self.search_text else "name")

    def active_filter_count(self) -> int:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return sum(1 for name in self.FILTERS if data.get(name))


class SectorGroup:
    """A KVED section as a group of the sector choices (its code and name)."""

    def __init__(self, code: str, name: str):
        self.code = code
        self.name = name

    def __str__(self):
        return f"{self.code} · {self.name}" if self.code else str(self.name)


class SectorChecklist(forms.CheckboxSelectMultiple):
    """Checkboxes per KVED section, each section a <details> opened when ticked."""

    template_name = "directory/widgets/sector_checklist.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        sections = []
        for group, options, _index in context["widget"]["optgroups"]:
            ticked = sum(1 for option in options if option["selected"])
            sections.append(
                {
                    "code": getattr(group, "code", ""),
                    "name": getattr(group, "name", group),
                    "options": options,
                    "ticked": ticked,
                }
            )
        context["widget"]["sections"] = sections
        context["widget"]["chosen"] = [
            option
            for section in sections
            for option in section["options"]
            if option["selected"]
        ]
        return context


class GroupedSectorField(forms.ModelMultipleChoiceField):
    """KVED sectors grouped by section; the section itself is selectable too."""

    widget = SectorChecklist

    def __init__(self, queryset=None, **kwargs):
        super().__init__(queryset=Sector.objects.all(), **kwargs)

    def grouped_choices(self):
        sectors = list(Sector.objects.order_by("code"))
        by_parent: dict[int | None, list[Sector]] = {}
        for sector in sectors:
            by_parent.setdefault(sector.parent_id, []).append(sector)
        groups = []
        for section in by_parent.get(None, []):
            if section.level != Sector.Level.SECTION:
                continue
            options = [
                (
                    section.pk,
                    _("Whole section %(code)s") % {"code": section.code},
                )
            ]
            options += [
                (d.pk, f"{d.code} · {d.name}") for d in by_parent.get(section.pk, [])
            ]
            groups.append((SectorGroup(section.code, section.name), options))
        loose = [
            (s.pk, f"{s.code} · {s.name}")
            for s in by_parent.get(None, [])
            if s.level != Sector.Level.SECTION
        ]
        if loose:
            groups.append((SectorGroup("", _("Other")), loose))
        return groups


class PlaceChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset=None, **kwargs):
        super().__init__(queryset=Place.objects.all(), **kwargs)

    def tree_choices(self):
        codes = dict(Place.objects.values_list("code", "pk"))
        return [("", "—")] + [
            (codes[code], label) for code, label in queries.place_choices()
        ]


class OrganizationForm(BootstrapMixin, forms.ModelForm):
    """An organization's profile: both languages side by side, identifiers checked."""

    class LegalForm:
        ENTITY = "entity"
        SOLE_PROPRIETOR = "sole_proprietor"
        NONE = "none"

    LEGAL_FORM_CHOICES = [
        (LegalForm.ENTITY, _("Legal entity registered in Ukraine (EDRPOU code)")),
        (LegalForm.SOLE_PROPRIETOR, _("Sole proprietor, FOP (taxpayer number)")),
        (LegalForm.NONE, _("Not registered in Ukraine")),
    ]

    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        choices=LEGAL_FORM_CHOICES,
        widget=forms.RadioSelect,
        initial=LegalForm.ENTITY,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Organization
        fields = [*PROFILE_FIELDS, *STAFF_FIELDS]
        field_classes = {"sectors": GroupedSectorField, "place": PlaceChoiceField}
        widgets = {
            "description_uk": forms.Textarea(attrs={"rows": 6, "lang": "uk"}),
            "description_en": forms.Textarea(attrs={"rows": 6, "lang": "en"}),
            "name_uk": forms.TextInput(attrs={"lang": "uk"}),
            "name_en": forms.TextInput(attrs={"lang": "en"}),
            "sectors": SectorChecklist,
            "tags": forms.CheckboxSelectMultiple,
            "cluster_member_since": forms.DateInput(attrs={"type": "date"}),
            "logo": forms.ClearableFileInput(
                attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
            ),
        }
        help_texts = {
            "edrpou": _("8 digits, as in the Unified State Register."),
            "rntrc": _(
                "10 digits. Personal data: only the organization's editors and "
                "cluster staff see it."
            ),
            "sectors": _(
                "KVED-2010 sections and divisions. Open a section to tick its "
                "divisions, or tick the whole section."
            ),
            "logo": _("PNG, JPEG, WebP or GIF, up to 2 MB."),
            "locality": _("For organizations abroad: city or region."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in set(self.Meta.fields) - set(permissions.settable_fields(user)):
            del self.fields[name]
        self.fields["sectors"].choices = self.fields["sectors"].grouped_choices()
        self.fields["place"].choices = self.fields["place"].tree_choices()
        self.fields["tags"].queryset = Tag.objects.all()
        self.fields["tags"].choices = sorted(
            ((tag.pk, str(tag.name)) for tag in Tag.objects.all()),
            key=lambda choice: alphabetical(choice[1]),
        )
        self.fields["name_uk"].label = _("Name in Ukrainian")
        self.fields["name_en"].label = _("Name in English")
        self.fields["description_uk"].label = _("Description in Ukrainian")
        self.fields["description_en"].label = _("Description in English")
        self.style_widgets()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            if self.instance.rntrc:
                self.fields["legal_form"].initial = self.LegalForm.SOLE_PROPRIETOR
            elif self.instance.edrpou:
                self.fields["legal_form"].initial = self.LegalForm.ENTITY
            else:
                self.fields["legal_form"].initial = self.LegalForm.NONE

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or not hasattr(logo, "content_type"):
            return logo  # unchanged or cleared
        if logo.size > LOGO_MAX_BYTES:
            raise ValidationError(
                _("The logo is %(size)s MB; the limit is 2 MB."),
                code="logo_too_large",
                params={"size": f"{logo.size / 1024 / 1024:.1f}"},
            )
        image_format = getattr(getattr(logo, "image", None), "format", None)
        if image_format is None:
            try:
                logo.seek(0)
                image_format = Image.open(logo).format
            except Exception:
                image_format = None
            logo.seek(0)
        if image_format not in LOGO_FORMATS:
            raise ValidationError(
                _("Upload the logo as PNG, JPEG, WebP or GIF."), code="logo_format"
            )
        return logo

    def clean(self):
        cleaned = super().clean()
        legal_form = cleaned.get("legal_form")
        edrpou = (cleaned.get("edrpou") or "").strip()
        rntrc = (cleaned.get("rntrc") or "").strip()
        if legal_form == self.LegalForm.ENTITY:
            if not edrpou and "edrpou" not in self.errors:
                self.add_error(
                    "edrpou", _("A legal entity needs its 8-digit EDRPOU code.")
                )
            cleaned["rntrc"] = None
        elif legal_form == self.LegalForm.SOLE_PROPRIETOR:
            if not rntrc and "rntrc" not in self.errors:
                self.add_error(
                    "rntrc",
                    _("A sole proprietor needs the 10-digit taxpayer number."),
                )
            cleaned["edrpou"] = None
            self.errors.pop("edrpou", None)
        elif legal_form == self.LegalForm.NONE:
            cleaned["edrpou"] = None
            cleaned["rntrc"] = None
            self.errors.pop("edrpou", None)
            self.errors.pop("rntrc", None)
        if legal_form == self.LegalForm.ENTITY:
            self.errors.pop("rntrc", None)
        return cleaned

    def _post_clean(self):
        # Identifiers of the other legal form are dropped before the model checks.
        if self.cleaned_data.get("legal_form") != self.LegalForm.ENTITY:
            self.cleaned_data["edrpou"] = None
        if self.cleaned_data.get("legal_form") != self.LegalForm.SOLE_PROPRIETOR:
            self.cleaned_data["rntrc"] = None
        super()._post_clean()

    def profile_data(self) -> dict:
        """The cleaned profile fields, as the services take them."""
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name in self.fields and name in self.cleaned_data
        }


class ReasonForm(BootstrapMixin, forms.Form):
    """Why staff reject an organization or a change; e-mailed to the editors."""

    reason = forms.CharField(
        label=_("Reason (sent to the organization's editors)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()
