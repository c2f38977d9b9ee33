"""Input of the exchange's pages. Forms validate; services change state."""

import zoneinfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin
from core.models import NOTE_MAX, max_length
from core.validators import check_plausible_dates
from core.widgets import FastTextarea
from directory.models import Organization, Tag
from exchange.models import (
    CALL_FIELDS,
    CRITERION_FIELDS,
    LANGUAGE_LABELS,
    TEXT_FIELDS,
    TEXT_LABELS,
    Call,
    CallPhase,
    Criterion,
    Submission,
)

CURRENCIES = [("", "—"), ("UAH", "UAH"), ("USD", "USD"), ("EUR", "EUR")]
# The site's zone first, then the partners' abroad.
COMMON_ZONES = list(
    dict.fromkeys(
        [
            settings.TIME_ZONE,
            "America/Denver",
            "America/Los_Angeles",
            "America/New_York",
            "Europe/Berlin",
            "UTC",
        ]
    )
)


def zone_choices() -> list[tuple[str, str]]:
    others = sorted(zoneinfo.available_timezones() - set(COMMON_ZONES))
    return [(z, z) for z in COMMON_ZONES] + [(z, z) for z in others]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class CallForm(BootstrapMixin, forms.ModelForm):
    """A call's texts, dates (read in the call's own time zone) and settings."""

    time_zone = forms.ChoiceField(
        label=_("Time zone of the call"), choices=zone_choices
    )

    class Meta:
        model = Call
        fields = [*CALL_FIELDS, "eligible_organizations"]
        widgets = {
            "opens_at": DateTimeLocalInput(),
            "closes_at": DateTimeLocalInput(),
            "description_uk": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
            "eligibility_uk": forms.Textarea(attrs={"rows": 3}),
            "eligibility_en": forms.Textarea(attrs={"rows": 3}),
            "eligible_organizations": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "opens_at": _("In the call's time zone."),
            "closes_at": _("In the call's time zone."),
        }

    def __init__(self, *args, can_change_organizer=True, **kwargs):
        super().__init__(*args, **kwargs)
        check_plausible_dates(self, "opens_at", "closes_at")
        self.fields["organizer"].queryset = Organization.objects.alive().order_by(
            "name_uk"
        )
        self.fields["eligible_organizations"].queryset = (
            Organization.objects.alive()
            .filter(verification=Organization.Verification.VERIFIED, country="UA")
            .order_by("name_uk")
        )
        if not can_change_organizer:
            self.fields["organizer"].disabled = True
        self.style_widgets()

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("title_uk") or cleaned.get("title_en")):
            self.add_error(
                "title_uk", _("Give the call a title in at least one language.")
            )
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The call must close after it opens."))
        return cleaned


class CriterionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = CRITERION_FIELDS
        widgets = {
            "description_uk": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def has_changed(self):
        """A new row without a name is an unused row, whatever its boxes say."""
        if self.instance.pk is None and self.is_bound:
            names = [
                self.data.get(self.add_prefix(f), "") for f in ("name_uk", "name_en")
            ]
            if not any(n.strip() for n in names):
                return False
        return super().has_changed()

    def clean(self):
        cleaned = super().clean()
        if self.has_changed() and not (
            cleaned.get("name_uk") or cleaned.get("name_en")
        ):
            self.add_error("name_uk", _("Name the criterion in at least one language."))
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if low is not None and high is not None and high <= low:
            self.add_error(
                "scale_max", _("The highest score must be above the lowest.")
            )
        weight = cleaned.get("weight")
        if weight is not None and weight < 0:
            self.add_error("weight", _("The weight cannot be negative."))
        return cleaned


CriterionFormSet = inlineformset_factory(
    Call, Criterion, form=CriterionForm, extra=2, can_delete=True
)


class CallPhaseForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = CallPhase
        fields = [
            "starts_at",
            "submitters_can_edit",
            "reviewers_see_other_reviews",
            "reviewers_see_names",
        ]
        widgets = {"starts_at": DateTimeLocalInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_plausible_dates(self, "starts_at")
        self.style_widgets()


CallPhaseFormSet = inlineformset_factory(
    Call, CallPhase, form=CallPhaseForm, extra=0, can_delete=False
)


class PhaseForm(BootstrapMixin, forms.Form):
    phase = forms.ChoiceField(label=_("Active phase"), choices=Call.Phase.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


def _links_from_text(text: str) -> list[str]:
    validate = URLValidator(schemes=["http", "https"])
    links = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            validate(line)
        except ValidationError as error:
            raise ValidationError(
                _("“%(link)s” is not a web address (https://…)."),
                params={"link": line},
            ) from error
        links.append(line)
    return links


class SubmissionForm(BootstrapMixin, forms.Form):
    """Both languages side by side; nothing is required to save a draft."""

    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[("", "—"), *Submission.Stage.choices],
        required=False,
    )
    asks = forms.MultipleChoiceField(
        label=_("You ask for"),
        choices=Submission.Ask.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    funding_amount = forms.DecimalField(
        label=_("Funding amount"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    funding_currency = forms.ChoiceField(
        label=_("Currency"), choices=CURRENCIES, required=False
    )
    links = forms.CharField(
        label=_("Links"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=NOTE_MAX,
        help_text=_("One web address per line: website, demo, video."),
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Technology tags"),
        queryset=Tag.objects.order_by("slug"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in TEXT_FIELDS:
            for lang in ("uk", "en"):
                widget = (
                    forms.TextInput()
                    if field == "title"
                    else forms.Textarea(attrs={"rows": 4 if field != "summary" else 3})
                )
                self.fields[f"{field}_{lang}"] = forms.CharField(
                    label=LANGUAGE_LABELS[field, lang],
                    required=False,
                    widget=widget,
                    max_length=max_length(Submission, f"{field}_{lang}"),
                )
                self.fields[f"{field}_{lang}"].widget.attrs["lang"] = lang
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = Organization.objects.filter(
                pk__in=[o.pk for o in organizations]
            )
            self._only_organization = (
                organizations[0] if len(organizations) == 1 else None
            )
            if self._only_organization is not None:
                self.fields["organization"].initial = organizations[0].pk
                self.fields["organization"].widget = forms.HiddenInput()
            else:
                self.fields["organization"].required = True
        self.style_widgets()

    def clean_organization(self):
        value = self.cleaned_data.get("organization")
        return value or getattr(self, "_only_organization", None)

    def clean_links(self):
        return _links_from_text(self.cleaned_data.get("links", ""))

    def text_pairs(self):
        """(Ukrainian field, English field) per text, for the side-by-side layout."""
        return [(self[f"{f}_uk"], self[f"{f}_en"]) for f in TEXT_FIELDS]

    @staticmethod
    def initial_from(submission: Submission) -> dict:
        initial = {
            f"{f}_{lang}": getattr(submission, f"{f}_{lang}")
            for f in TEXT_FIELDS
            for lang in ("uk", "en")
        }
        initial.update(
            stage=submission.stage,
            asks=submission.asks,
            funding_amount=submission.funding_amount,
            funding_currency=submission.funding_currency,
            links="\n".join(submission.links),
            tags=list(submission.tags.all()),
        )
        return initial

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("organization", None)
        return data


class TranslationForm(BootstrapMixin, forms.Form):
    """The text fields of one language, added to a submitted project."""

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        for field in TEXT_FIELDS:
            self.fields[field] = forms.CharField(
                label=TEXT_LABELS[field],
                required=False,
                max_length=max_length(Submission, f"{field}_{language}"),
                widget=forms.TextInput()
                if field == "title"
                else forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[field].widget.attrs["lang"] = language
        self.style_widgets()


class AttachmentForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("PDF document"),
        help_text=_("PDF only, up to 20 MB."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class MessageForm(BootstrapMixin, forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        widget=FastTextarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class SubmissionFilterForm(BootstrapMixin, forms.Form):
    SORT_CHOICES = [
        ("-updated", _("Recently changed")),
        ("title", _("Title A–Z")),
        ("-submitted", _("Recently submitted")),
    ]
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *Submission.Status.choices],
        required=False,
    )
    sort = forms.ChoiceField(label=_("Sort"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()
