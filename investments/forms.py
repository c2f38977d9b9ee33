"""Input of the investments pages: catalogue filters, the project form, the pipeline."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin
from core.validators import check_plausible_dates
from directory.models import Organization, Place, Sector, Tag
from investments import services
from investments.choices import DOCUMENT_TYPE_CHOICES, SDG_CHOICES, SECTOR_CHOICES
from investments.models import (
    BUDGET_LINE_FIELDS,
    FUNDING_SOURCE_FIELDS,
    INDICATOR_FIELDS,
    BudgetLine,
    FundingSource,
    Indicator,
    Interest,
    InvestmentProject,
    ProjectDocument,
)


def district_choices():
    """The city and its districts (KATOTTG), for filters and the project form."""
    from django.core.cache import cache

    from core.translation import active_language

    city = settings.MIST_CITY_KATOTTG
    key = f"investments:districts:{city}:{active_language()}"
    choices = cache.get(key)
    if choices is None:
        places = Place.objects.filter(Q(code=city) | Q(parent__code=city))
        choices = [(place.pk, str(place.name)) for place in places.order_by("code")]
        cache.set(key, choices, 600)
    return choices


def _list_field(label, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(),
    )


class ProjectForm(BootstrapMixin, forms.ModelForm):
    """The officer's project form (both languages side by side)."""

    fields_in_grid = True  # the row's gutters space the fields

    sdgs = forms.TypedMultipleChoiceField(
        label=_("Sustainable Development Goals"),
        choices=SDG_CHOICES,
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    project_sector = forms.MultipleChoiceField(
        label=_("Sector (OC4IDS)"),
        choices=SECTOR_CHOICES,
        required=True,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    instruments = forms.MultipleChoiceField(
        label=_("Financing instruments"),
        choices=InvestmentProject.Instrument.choices,
        required=True,
        widget=forms.CheckboxSelectMultiple,
    )
    dream_ids = _list_field(_("DREAM project IDs"), _("Separate several with commas."))
    prozorro_ids = _list_field(
        _("Prozorro tender IDs"),
        _("For example UA-2026-01-15-000123-a; comma-separated."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = InvestmentProject
        fields = (*services.PROJECT_FIELDS, "tags", "sectors")
        widgets = {
            "summary_uk": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "description_uk": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "problem_uk": forms.Textarea(attrs={"rows": 3}),
            "problem_en": forms.Textarea(attrs={"rows": 3}),
            "risks_uk": forms.Textarea(attrs={"rows": 3}),
            "risks_en": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "tags": forms.SelectMultiple(attrs={"size": 6}),
            "sectors": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_plausible_dates(self, "starts_on", "ends_on")
        self.fields["owner"].queryset = Organization.objects.alive().filter(
            kind__in=[
                Organization.Kind.CITY_BODY,
                Organization.Kind.COMMUNAL_ENTERPRISE,
            ]
        )
        city = settings.MIST_CITY_KATOTTG
        self.fields["place"].queryset = Place.objects.filter(
            Q(code=city) | Q(parent__code=city)
        ).order_by("code")
        self.fields["tags"].queryset = Tag.objects.all()
        self.fields["sectors"].queryset = Sector.objects.filter(
            level=Sector.Level.SECTION
        )
        self.fields["sectors"].required = False
        self.fields["tags"].required = False
        if self.instance.pk:
            self.initial["version"] = self.instance.version
            self.initial["dream_ids"] = ", ".join(self.instance.dream_ids)
            self.initial["prozorro_ids"] = ", ".join(self.instance.prozorro_ids)
        self.style_widgets()

    def _ids(self, name):
        raw = self.cleaned_data.get(name) or ""
        return [
            part.strip() for part in raw.replace(";", ",").split(",") if part.strip()
        ]

    def clean_dream_ids(self):
        return self._ids("dream_ids")

    def clean_prozorro_ids(self):
        return self._ids("prozorro_ids")

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def service_fields(self) -> dict:
        """The cleaned values the services take."""
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        data["tags"] = list(data["tags"] or [])
        data["sectors"] = list(data["sectors"] or [])
        data["sdgs"] = sorted(data["sdgs"] or [])
        return data


class BudgetLineForm(BootstrapMixin, forms.ModelForm):
    fields_in_grid = True  # the row's gutters space the fields

    class Meta:
        model = BudgetLine
        fields = BUDGET_LINE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class FundingSourceForm(BootstrapMixin, forms.ModelForm):
    fields_in_grid = True  # the row's gutters space the fields

    class Meta:
        model = FundingSource
        fields = FUNDING_SOURCE_FIELDS
        widgets = {
            "secured_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_plausible_dates(self, "secured_on")
        self.style_widgets()


class IndicatorForm(BootstrapMixin, forms.ModelForm):
    fields_in_grid = True  # the row's gutters space the fields

    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


def part_formset(form, *, extra=2):
    return forms.inlineformset_factory(
        InvestmentProject,
        form._meta.model,
        form=form,
        extra=extra,
        can_delete=True,
    )


BudgetLineFormSet = part_formset(BudgetLineForm)
FundingSourceFormSet = part_formset(FundingSourceForm, extra=1)
IndicatorFormSet = part_formset(IndicatorForm, extra=1)


def formset_rows(formset) -> list[dict]:
    """The kept rows of a valid formset as plain dicts (for the services)."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        if form.cleaned_data.get("DELETE") or not form.cleaned_data:
            continue
        rows.append({name: form.cleaned_data.get(name) for name in form._meta.fields})
    return rows


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"), choices=InvestmentProject.Status.choices
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class DocumentForm(BootstrapMixin, forms.Form):
    fields_in_grid = True  # the row's gutters space the fields

    title_uk = forms.CharField(label=_("Title (Ukrainian)"), max_length=255)
    title_en = forms.CharField(
        label=_("Title (English)"), max_length=255, required=False
    )
    document_type = forms.ChoiceField(
        label=_("Document type"), choices=DOCUMENT_TYPE_CHOICES
    )
    access = forms.ChoiceField(
        label=_("Access"), choices=ProjectDocument.Access.choices
    )
    file = forms.FileField(label=_("File"))

    MAX_BYTES = 25 * 1024 * 1024

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 25 MB."))
        return file


class PhotoForm(BootstrapMixin, forms.Form):
    fields_in_grid = True  # the row's gutters space the fields

    image = forms.ImageField(label=_("Photo"))
    caption_uk = forms.CharField(
        label=_("Caption (Ukrainian)"), max_length=255, required=False
    )
    caption_en = forms.CharField(
        label=_("Caption (English)"), max_length=255, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class InterestForm(BootstrapMixin, forms.Form):
    """An investor's expression of interest."""

    fields_in_grid = True  # the row's gutters space the fields

    instrument = forms.ChoiceField(
        label=_("Instrument"), choices=InvestmentProject.Instrument.choices
    )
    amount = forms.DecimalField(
        label=_("Indicative amount"),
        min_value=Decimal("0.01"),
        max_digits=16,
        decimal_places=2,
    )
    currency = forms.ChoiceField(
        label=_("Currency"), choices=InvestmentProject.Currency.choices, initial="USD"
    )
    message = forms.CharField(
        label=_("Message to the city"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None and project.instruments:
            self.fields["instrument"].choices = [
                choice
                for choice in InvestmentProject.Instrument.choices
                if choice[0] in project.instruments
            ]
        self.style_widgets()


class TermsForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I accept the confidentiality terms."),
        required=True,
    )


class MoveInterestForm(BootstrapMixin, forms.Form):
    fields_in_grid = True  # the row's gutters space the fields

    stage = forms.ChoiceField(label=_("Stage"), choices=Interest.Stage.choices)
    reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("Internal note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    amount = forms.DecimalField(
        label=_("Amount secured"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=18,
        decimal_places=2,
        help_text=_(
            "At the stage “Funded”: recorded as a funding source of the project."
        ),
    )
    currency = forms.ChoiceField(
        label=_("Currency"), choices=InvestmentProject.Currency.choices, required=False
    )
    secured_on = forms.DateField(
        label=_("Secured on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("stage") == Interest.Stage.DECLINED
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Say why the interest is declined."))
        if data.get("amount") and data.get("stage") != Interest.Stage.FUNDED:
            self.add_error(
                "amount", _("Funding is recorded only at the stage “Funded”.")
            )
        return data

    def funding(self) -> dict | None:
        """The funding to record with the move, if an amount was given."""
        data = self.cleaned_data
        if not data.get("amount"):
            return None
        return {
            "amount": data["amount"],
            "currency": data.get("currency") or "",
            "secured_on": data.get("secured_on"),
        }


class VerificationRequestForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("About you and your fund"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


def initial_from_submission(submission) -> dict:
    """The project form's starting values taken from an accepted submission."""
    initial = {
        name: getattr(submission, name, "")
        for name in (
            "title_uk",
            "title_en",
            "summary_uk",
            "summary_en",
            "problem_uk",
            "problem_en",
        )
    }
    initial["description_uk"] = submission.solution_uk
    initial["description_en"] = submission.solution_en
    if submission.funding_amount:
        initial["financing_sought"] = submission.funding_amount
        if submission.funding_currency in InvestmentProject.Currency.values:
            initial["financing_currency"] = submission.funding_currency
    initial["tags"] = list(submission.tags.values_list("pk", flat=True))
    return initial
