"""What the list pages' FilterSets (page and API alike) share: the empty choice's
label and the select filter built with it."""

import django_filters
from django.utils.translation import pgettext_lazy

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
