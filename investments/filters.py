"""The investment catalogue's search, filters and order: one FilterSet for the API
(GET /api/v1/investment-projects/), the page's with its own choices, both over
queries.filter_projects, queries.search_projects and queries.sort_projects."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import ANY, FilterForm, LenientFilterSet, select_filter
from core.translation import active_language
from core.widgets import FastSelect
from directory.models import Place
from investments import money, queries
from investments.choices import SDG_CHOICES, SECTOR_CHOICES
from investments.forms import district_choices
from investments.models import InvestmentProject


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ProjectFilterSet(LenientFilterSet):
    """What both catalogues share. `rates` (money.rates_on) may be passed when the
    caller has them already; else they are read only if an amount needs them."""

    class Meta:
        model = InvestmentProject
        fields: list = []
        form = FilterForm

    def __init__(self, data=None, queryset=None, *, rates=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.rates = rates

    @property
    def search_text(self) -> str:
        return (self.values().get("q") or "").strip()

    @property
    def currency_code(self) -> str:
        return self.values().get("currency") or "USD"

    @property
    def ordering(self) -> str:
        return self.values().get("sort") or "newest"

    def district_place(self):
        return self.values().get("district")

    def needed_rates(self) -> dict | None:
        data = self.values()
        if self.rates is None and (
            data.get("amount_min") is not None
            or data.get("amount_max") is not None
            or self.ordering in ("amount", "-amount")
        ):
            self.rates = money.rates_on(queries.CURRENCIES)
        return self.rates

    def matching(self, queryset=None):
        """The projects that pass the filters and the search, in no set order."""
        data = self.values()
        projects = self.queryset.all() if queryset is None else queryset
        projects = queries.filter_projects(
            projects,
            sector=data.get("sector") or "",
            instrument=data.get("instrument") or "",
            readiness=data.get("readiness") or "",
            status=data.get("status") or "",
            sdg=data.get("sdg"),
            district=self.district_place(),
            amount_min=data.get("amount_min"),
            amount_max=data.get("amount_max"),
            currency=self.currency_code,
            rates=self.needed_rates(),
        )
        if self.search_text:
            projects = queries.search_projects(projects, self.search_text)
        return projects

    def in_order(self, projects):
        return queries.sort_projects(
            projects,
            self.ordering,
            language=active_language(),
            currency=self.currency_code,
            rates=self.needed_rates(),
        )

    def filter_queryset(self, queryset):
        return self.in_order(self.matching(queryset))


class ProjectFilter(ProjectFilterSet):
    """The filters of GET /api/v1/investment-projects/."""

    q = django_filters.CharFilter(max_length=200)
    sector = django_filters.ChoiceFilter(choices=SECTOR_CHOICES)
    instrument = django_filters.ChoiceFilter(
        choices=InvestmentProject.Instrument.choices
    )
    readiness = django_filters.ChoiceFilter(choices=InvestmentProject.Readiness.choices)
    status = django_filters.ChoiceFilter(choices=InvestmentProject.Status.choices)
    sdg = IntegerFilter(min_value=1, max_value=17)
    district = django_filters.CharFilter(max_length=19, help_text="KATOTTG code")
    amount_min = django_filters.NumberFilter(max_digits=16, decimal_places=2)
    amount_max = django_filters.NumberFilter(max_digits=16, decimal_places=2)
    currency = django_filters.ChoiceFilter(choices=InvestmentProject.Currency.choices)
    sort = django_filters.ChoiceFilter(choices=[(key, key) for key in queries.SORTS])

    def district_place(self) -> Place | None:
        if not hasattr(self, "_district"):
            code = self.values().get("district")
            self._district = Place.objects.filter(code=code).first() if code else None
        return self._district

    def matching(self, queryset=None):
        projects = super().matching(queryset)
        if self.values().get("district") and self.district_place() is None:
            return projects.none()  # a KATOTTG code the directory does not know
        return projects


def _amount_widget():
    return forms.NumberInput(attrs={"inputmode": "numeric"})


class CatalogueFilter(ProjectFilterSet):
    """Search, filters and sorting of the public catalogue page."""

    SORT_CHOICES = [
        ("newest", _("Newest first")),
        ("-amount", _("Largest financing first")),
        ("amount", _("Smallest financing first")),
        ("readiness", _("Most ready first")),
        ("title", _("Title A–Z")),
    ]
    FILTERS = ("sector", "instrument", "readiness", "sdg", "district")

    q = django_filters.CharFilter(label=_("Search"), max_length=200)
    sector = select_filter(_("Sector"), SECTOR_CHOICES)
    instrument = select_filter(_("Instrument"), InvestmentProject.Instrument.choices)
    readiness = select_filter(_("Readiness"), InvestmentProject.Readiness.choices)
    sdg = django_filters.TypedChoiceFilter(
        label=_("Sustainable Development Goal"),
        choices=[("", ANY), *SDG_CHOICES],
        coerce=int,
        empty_value=None,
        widget=FastSelect,
    )
    # Choices read per request (see __init__).
    district = django_filters.TypedChoiceFilter(
        label=_("District"), coerce=int, empty_value=None, widget=FastSelect
    )
    amount_min = django_filters.NumberFilter(
        label=_("Amount from"), min_value=0, max_digits=16, widget=_amount_widget()
    )
    amount_max = django_filters.NumberFilter(
        label=_("Amount up to"), min_value=0, max_digits=16, widget=_amount_widget()
    )
    currency = select_filter(
        _("Show amounts in"), InvestmentProject.Currency.choices, empty_label=None
    )
    sort = select_filter(_("Sort by"), SORT_CHOICES, empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["district"].extra["choices"] = [("", ANY), *district_choices()]

    def active_filter_count(self) -> int:
        data = self.values()
        names = (*self.FILTERS, "amount_min", "amount_max")
        return sum(1 for name in names if data.get(name))
