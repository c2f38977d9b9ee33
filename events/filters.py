"""The events list's filters: one FilterSet for the page and the API, over
queries.filter_events (which also holds the list's one ordering)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from directory.filters import FilterForm
from events import queries
from events.models import Event


class EventFilter(django_filters.FilterSet):
    """Upcoming or past, kind, and words; an invalid value is left out (the page
    shows it; the API answers 400 before filtering)."""

    WHEN = (("upcoming", _("Upcoming")), ("past", _("Past")))

    when = django_filters.ChoiceFilter(label=_("When"), choices=WHEN, empty_label=None)
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Event.Kind.choices, empty_label=_("All kinds")
    )
    q = django_filters.CharFilter(label=_("Search events"), max_length=200)

    class Meta:
        model = Event
        fields: list = []
        form = FilterForm

    def values(self) -> dict:
        """Keyword arguments for queries.filter_events."""
        data = {}
        if self.is_bound:
            self.form.is_valid()
            data = self.form.cleaned_data
        return {
            "when": data.get("when") or "upcoming",
            "kind": data.get("kind") or "",
            "q": data.get("q") or "",
        }

    def filter_queryset(self, queryset):
        return queries.filter_events(queryset, **self.values())
