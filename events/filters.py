"""The events list's filters: one FilterSet for the page and the API, over
queries.filter_events (which also holds the list's one ordering)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterForm, LenientFilterSet
from events import queries
from events.models import Event


class EventFilter(LenientFilterSet):
    """Upcoming or past, kind, and words."""

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

    def clean_values(self) -> dict:
        """Keyword arguments for queries.filter_events."""
        data = super().clean_values()
        return {
            "when": data.get("when") or "upcoming",
            "kind": data.get("kind") or "",
            "q": data.get("q") or "",
        }

    def filter_queryset(self, queryset):
        return queries.filter_events(queryset, **self.values())
