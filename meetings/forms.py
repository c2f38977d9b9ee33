"""Forms of the meetings app: they validate input; services do the work."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import StyledMixin
from directory.models import Organization
from meetings.models import B2BSession, Meeting, SessionParticipant, Weekday


class MeetingRequestForm(StyledMixin, forms.Form):
    """Ask a person of an organization for a meeting."""

    recipient = forms.ModelChoiceField(
        label=_("Person to meet"), queryset=User.objects.none(), empty_label=None
    )
    requester_organization = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Myself"),
    )
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("What you would like to talk about."),
    )

    def __init__(self, *args, recipients, own_organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients
        self.fields["requester_organization"].queryset = own_organizations
        if not own_organizations.exists():
            del self.fields["requester_organization"]


class ProposeTimeForm(StyledMixin, forms.Form):
    """Pick a start among the common windows; the length is fixed per choice."""

    starts_at = forms.ChoiceField(label=_("Time"))
    minutes = forms.TypedChoiceField(
        label=_("Length"),
        coerce=int,
        choices=[(30, _("30 minutes")), (45, _("45 minutes")), (60, _("1 hour"))],
        initial=30,
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].choices = choices

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        try:
            return dt.datetime.fromisoformat(value).astimezone(dt.UTC)
        except ValueError:
            raise forms.ValidationError(_("Choose a time from the list.")) from None


class OutcomeForm(StyledMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("What came of it?"),
        choices=Meeting.Outcome.choices,
        widget=forms.RadioSelect,
    )
    interest = forms.ModelChoiceField(
        label=_("The expression of interest that followed"),
        queryset=None,
        required=False,
        empty_label=_("None yet"),
        help_text=_("Only with “Expression of interest”."),
    )
    note = forms.CharField(
        label=_("Notes (only the two of you and the organizers' totals use them)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, interests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interest"].queryset = interests
        self.fields["interest"].label_from_instance = lambda interest: (
            f"{interest.project.code} · {interest.project.title} · "
            f"{interest.get_stage_display()}"
        )
        if not interests.exists():
            del self.fields["interest"]

    def clean(self):
        data = super().clean()
        if data.get("interest") and data.get("outcome") != Meeting.Outcome.INTEREST:
            self.add_error(
                "interest",
                _("Link an interest only to “Expression of interest”."),
            )
        return data


class WorkingHoursForm(StyledMixin, forms.Form):
    """One optional start/end pair per weekday, in the person's own zone."""

    def __init__(self, *args, initial_rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        current = {w: (s, e) for w, s, e in initial_rows}
        for weekday, label in Weekday.choices:
            start, end = current.get(weekday, (None, None))
            self.fields[f"start_{weekday}"] = forms.TimeField(
                label=_("%(day)s from") % {"day": label},
                required=False,
                initial=start,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.fields[f"end_{weekday}"] = forms.TimeField(
                label=_("%(day)s until") % {"day": label},
                required=False,
                initial=end,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
        self.style_widgets()

    def days(self):
        for weekday, label in Weekday.choices:
            yield label, self[f"start_{weekday}"], self[f"end_{weekday}"]

    def clean(self):
        data = super().clean()
        rows = []
        for weekday, _label in Weekday.choices:
            start, end = data.get(f"start_{weekday}"), data.get(f"end_{weekday}")
            if start is None and end is None:
                continue
            if start is None or end is None:
                self.add_error(f"end_{weekday}", _("Give both a start and an end."))
            elif end <= start:
                self.add_error(f"end_{weekday}", _("The end must be after the start."))
            else:
                rows.append((weekday, start, end))
        data["rows"] = rows
        return data


class SessionForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = B2BSession
        fields = ["title", "slot_minutes", "rule"]


class SlotRangeForm(StyledMixin, forms.Form):
    """A stretch of the session cut into slots; times in the event's zone."""

    starts_at = forms.DateTimeField(
        label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args, zone, **kwargs):
        self.zone = zone
        super().__init__(*args, **kwargs)

    def _aware(self, value):
        return timezone.make_naive(value).replace(tzinfo=self.zone)

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at"):
            data["starts_at"] = self._aware(data["starts_at"])
            data["ends_at"] = self._aware(data["ends_at"])
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("ends_at", _("The end must be after the start."))
        return data


class DisruptionForm(SlotRangeForm):
    confirm = forms.BooleanField(
        label=_("Yes, move every meeting in this time range and tell everyone."),
        required=False,
    )


class TablesForm(StyledMixin, forms.Form):
    count = forms.IntegerField(label=_("Number of tables"), min_value=1, max_value=200)
    capacity = forms.IntegerField(
        label=_("Meetings per table at once"), min_value=1, max_value=20, initial=1
    )


class ParticipantGroupForm(StyledMixin, forms.Form):
    group = forms.ChoiceField(
        label=_("Group"), choices=SessionParticipant.Group.choices
    )
