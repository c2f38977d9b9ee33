"""What the list pages' FilterSets (page and API alike) share: their base class and
form, the empty choice's label and the select filter built with it."""

import django_filters
from django import forms
from django.utils.translation import pgettext_lazy

from core.forms import StyledMixin
from core.widgets import FastSelect

# The empty choice of a filter's select.
ANY = pgettext_lazy("filter", "Any")


def select_filter(label, choices=None, *, empty_label=ANY, **kwargs):
    """A ChoiceFilter drawn as a select, "Any" first unless `empty_label` says
    otherwise; without `choices` the FilterSet sets them per request."""
    if choices is not None:
        kwargs["choices"] = choices
    return django_filters.ChoiceFilter(
        label=label, empty_label=empty_label, widget=FastSelect, **kwargs
    )


class FilterForm(StyledMixin, forms.Form):
    """A FilterSet's form with the site's widget classes."""


class _OwnFields(dict):
    """A form class's fields that belong to one form alone: copied shallowly where
    Form.__init__ deep-copies them (with every choice of every select)."""

    def __deepcopy__(self, memo):
        return dict(self)


class LenientFilterSet(django_filters.FilterSet):
    """A FilterSet whose invalid values are left out rather than emptying the list:
    a page shows their errors next to the rest of the results; the API's
    FilterBackend answers 400 before filtering."""

    class Meta:
        form = FilterForm

    def get_form_class(self):
        """django-filters builds a form class per FilterSet from the fields of its
        own filter copies, and the FilterSet makes one form of it: the deep copy of
        those fields the form would make (a third of building it, for the
        directory's few hundred choices) copies what no one else holds."""
        form_class = super().get_form_class()
        form_class.base_fields = _OwnFields(form_class.base_fields)
        return form_class

    def values(self) -> dict:
        """The valid values, read once."""
        if not hasattr(self, "_values"):
            self._values = {}
            if self.is_bound:
                self.form.is_valid()
                self._values = self.clean_values()
        return self._values

    def clean_values(self) -> dict:
        return self.form.cleaned_data
