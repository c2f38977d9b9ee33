"""Forms of talent: the specialist profile with consent, roles, filters, invitations."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import BootstrapMixin, InlineCheckboxSelectMultiple, ListFilterMixin
from core.validators import check_plausible_dates
from core.widgets import FastSelect
from directory import queries as directory_queries
from directory.forms import PlaceChoiceField
from directory.models import Tag
from matching.forms import _country_choices, _tag_choices
from talent.models import (
    ROLE_FIELDS,
    Condition,
    Offer,
    Role,
    Seniority,
    SpecialistProfile,
)

LANGUAGE_CHOICES = [
    ("uk", _("Ukrainian")),
    ("en", _("English")),
    ("pl", _("Polish")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("cs", _("Czech")),
]
CONSENT_TEXT = _(
    "I agree that Mist keeps this profile to count me in the city's figures and, "
    "at the visibility I chose, to show it. I can download or delete it at any time."
)


class ProfileForm(BootstrapMixin, forms.ModelForm):
    """The specialist profile: private by default, saved only with consent."""

    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        widget=InlineCheckboxSelectMultiple,
        required=False,
    )
    conditions = forms.MultipleChoiceField(
        label=_("Conditions that matter to you"),
        choices=Condition.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent = forms.BooleanField(label=CONSENT_TEXT, required=False)

    class Meta:
        model = SpecialistProfile
        fields = [
            "intent",
            "timeframe",
            "skills",
            "free_skills",
            "seniority",
            "years_experience",
            "languages",
            "country_now",
            "city_now",
            "place_before",
            "conditions",
            "conditions_note",
            "phone",
            "visibility",
            "digest_enabled",
        ]
        field_classes = {"place_before": PlaceChoiceField}
        widgets = {
            "intent": forms.RadioSelect,
            "timeframe": forms.RadioSelect,
            "visibility": forms.RadioSelect,
            "skills": InlineCheckboxSelectMultiple,
            "country_now": FastSelect,
        }
        help_texts = {
            "visibility": _(
                "Only counted: nobody sees your profile, it only adds to the city's "
                "figures. Organizations: editors of verified local organizations see "
                "your skills and intent; your contacts only after you accept an "
                "invitation."
            ),
            "phone": _("Shown only to an organization whose invitation you accept."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = Tag.objects.all()
        self.fields["skills"].choices = _tag_choices()
        self.fields["place_before"].choices = self.fields["place_before"].tree_choices()
        self.fields["country_now"].choices = [("", "—"), *_country_choices()]
        self.fields["timeframe"].choices = SpecialistProfile.Timeframe.choices
        self.fields["intent"].choices = SpecialistProfile.Intent.choices
        self.fields["visibility"].choices = SpecialistProfile.Visibility.choices
        if self.instance.pk and self.instance.consent_at:
            self.initial.setdefault("consent", True)
        self.style_widgets()

    def clean_consent(self):
        if not self.cleaned_data.get("consent"):
            raise forms.ValidationError(
                _("Agree to how Mist uses your profile to save it."), code="consent"
            )
        return True


class RoleForm(BootstrapMixin, forms.ModelForm):
    """A return-friendly role: both languages side by side."""

    offers = forms.MultipleChoiceField(
        label=_("What you offer to people who return"),
        choices=Offer.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Role
        fields = ROLE_FIELDS
        widgets = {
            "work_mode": forms.RadioSelect,
            "title_uk": forms.TextInput(attrs={"lang": "uk"}),
            "title_en": forms.TextInput(attrs={"lang": "en"}),
            "description_uk": forms.Textarea(attrs={"rows": 5, "lang": "uk"}),
            "description_en": forms.Textarea(attrs={"rows": 5, "lang": "en"}),
            "skills": InlineCheckboxSelectMultiple,
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "valid_until": _("It stops being public after this date unless renewed."),
            "salary_min": _("Optional; per month."),
        }

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        check_plausible_dates(self, "valid_until")
        self.fields["organization"].queryset = organizations
        self.fields["organization"].empty_label = None
        self.fields["skills"].queryset = Tag.objects.all()
        self.fields["skills"].choices = _tag_choices()
        self.style_widgets()


class RoleFilterForm(ListFilterMixin, BootstrapMixin, forms.Form):
    """Search, filters and sorting of the public role list (GET)."""

    SORT_CHOICES = [
        ("newest", _("Newest first")),
        ("expiring", _("Ending soonest")),
        ("title", _("Title A–Z")),
    ]
    FILTERS = ("work_mode", "seniority", "offer", "tag")

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    work_mode = forms.ChoiceField(
        label=_("Where the work is done"), required=False, widget=FastSelect
    )
    seniority = forms.ChoiceField(
        label=_("Seniority"), required=False, widget=FastSelect
    )
    offer = forms.ChoiceField(label=_("Offers"), required=False, widget=FastSelect)
    tag = forms.ChoiceField(label=_("Skill"), required=False, widget=FastSelect)
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=SORT_CHOICES, widget=FastSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        any_choice = [("", pgettext_lazy("filter", "Any"))]
        self.fields["work_mode"].choices = any_choice + list(Role.WorkMode.choices)
        self.fields["seniority"].choices = any_choice + list(Seniority.choices)
        self.fields["offer"].choices = any_choice + list(Offer.choices)
        self.fields["tag"].choices = any_choice + directory_queries.tag_choices()
        self.style_widgets()

    def filters(self) -> dict:
        tag = self._value("tag")
        return {
            "work_mode": self._value("work_mode"),
            "seniority": self._value("seniority"),
            "offer": self._value("offer"),
            "tag": Tag.objects.filter(slug=tag).first() if tag else None,
        }


class InviteForm(BootstrapMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=None, empty_label=None
    )
    role = forms.ModelChoiceField(label=_("Role"), queryset=None, required=False)
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, organizations, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["role"].queryset = roles
        self.style_widgets()


class SurveyForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Survey answers (CSV or XLSX)"),
        help_text=_("Check it first (a dry run writes nothing), then import."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()
