"""Forms of the events app: input validation only."""

import datetime
import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import time_zone_choices
from core.forms import BootstrapMixin
from core.validators import validate_plausible_date
from directory.models import Organization
from events.models import Event


def _wall_clock(value: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The wall-clock time a person typed, read in the event's own zone (Django
    made it aware in the viewer's zone)."""
    return value.replace(tzinfo=None).replace(tzinfo=zone)


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(BootstrapMixin, forms.ModelForm):
    """An event's details; start and end are typed in the event's own time zone."""

    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    starts_at = forms.DateTimeField(
        label=_("Starts (in the event's time zone)"),
        widget=LocalDateTimeInput(),
        validators=[validate_plausible_date],
    )
    ends_at = forms.DateTimeField(
        label=_("Ends (in the event's time zone)"),
        widget=LocalDateTimeInput(),
        validators=[validate_plausible_date],
    )
    online_url = forms.URLField(
        label=_("Online link"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "organizer",
            "title_uk",
            "title_en",
            "description_uk",
            "description_en",
            "time_zone",
            "starts_at",
            "ends_at",
            "venue_uk",
            "venue_en",
            "online_url",
            "capacity",
            "is_public",
        ]
        widgets = {
            "description_uk": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, organizers=None, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            zone = instance.zone
            kwargs.setdefault("initial", {}).update(
                starts_at=instance.starts_at.astimezone(zone).replace(tzinfo=None),
                ends_at=instance.ends_at.astimezone(zone).replace(tzinfo=None),
            )
        super().__init__(*args, **kwargs)
        self.fields["organizer"].queryset = (
            organizers if organizers is not None else Organization.objects.none()
        )
        self.fields["time_zone"].initial = (
            instance.time_zone if instance is not None else "Europe/Kyiv"
        )
        self.style_widgets()

    def clean(self):
        data = super().clean()
        name = data.get("time_zone")
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if name and starts and ends:
            zone = zoneinfo.ZoneInfo(name)
            data["starts_at"] = _wall_clock(starts, zone)
            data["ends_at"] = _wall_clock(ends, zone)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("ends_at", _("The end must come after the start."))
        if (
            not data.get("venue_uk")
            and not data.get("venue_en")
            and not data.get("online_url")
        ):
            self.add_error("venue_uk", _("Give a venue or an online link."))
        return data

    def _post_clean(self):
        # The service validates the model; the view hands it cleaned_data.
        pass

    def event_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class EventFilterForm(BootstrapMixin, forms.Form):
    """The list view's filters."""

    WHEN = (("upcoming", _("Upcoming")), ("past", _("Past")))

    when = forms.ChoiceField(label=_("When"), choices=WHEN, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *Event.Kind.choices],
        required=False,
    )
    q = forms.CharField(label=_("Search events"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def filters(self) -> dict:
        if not self.is_valid():
            return {"when": "upcoming"}
        data = self.cleaned_data
        return {
            "when": data.get("when") or "upcoming",
            "kind": data.get("kind") or "",
            "q": data.get("q") or "",
        }


class RegistrationForm(forms.Form):
    """Which of the person's organizations they come for (optional)."""

    organization = forms.ModelChoiceField(
        label=_("Coming for"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Myself"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            self.fields["organization"].queryset = Organization.objects.filter(
                memberships__user=user
            ).order_by("name_uk")
        self.fields["organization"].widget.attrs["class"] = "form-select"
