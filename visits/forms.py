"""Forms of delegation visits: they validate input; services do the work.
Times are entered in the deployment's zone (settings.TIME_ZONE)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import StyledMixin
from directory.models import Organization, Sector, Tag
from visits.models import VISIT_FIELDS, ItemOutcome, ProgrammeItem, Visit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)


def _site_zone_aware(value):
    """A datetime typed in the deployment's zone, whatever zone the reader uses."""
    if value is None:
        return None
    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
    return timezone.make_aware(naive, timezone.get_default_timezone())


class SiteZoneTimesMixin:
    """starts_at/ends_at read (and shown) in the deployment's zone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = timezone.get_default_timezone()
        for name in ("starts_at", "ends_at"):
            value = self.initial.get(name)
            if value is not None and timezone.is_aware(value):
                self.initial[name] = timezone.make_naive(value, zone)

    def clean(self):
        data = super().clean()
        for name in ("starts_at", "ends_at"):
            if data.get(name):
                data[name] = _site_zone_aware(data[name])
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


class VisitForm(StyledMixin, forms.Form):
    """The visit's details."""

    organization = forms.ModelChoiceField(
        label=_("Partner organization abroad"), queryset=Organization.objects.none()
    )
    title_uk = forms.CharField(label=_("Title (Ukrainian)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    starts_on = forms.DateField(label=_("First day"), widget=DATE)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE)
    cities = forms.CharField(
        label=_("Cities"),
        max_length=200,
        required=False,
        help_text=_("Separated by commas."),
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"), queryset=Tag.objects.order_by("name_uk"), required=False
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.filter(level=Sector.Level.DIVISION).order_by("code"),
        required=False,
    )
    needs = forms.CharField(
        label=_("What the delegation looks for"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    interpreter_needs = forms.CharField(
        label=_("Interpreter needs"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    host = forms.ModelChoiceField(
        label=_("Host"), queryset=User.objects.none(), required=False
    )
    is_public = forms.BooleanField(
        label=_("Show to every signed-in person"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            deleted_at__isnull=True
        ).order_by("name_en", "name_uk")
        self.fields["host"].queryset = User.objects.filter(
            is_active=True, role__in=("staff", "admin")
        ).order_by("full_name")


def visit_initial(visit: Visit) -> dict:
    initial = {name: getattr(visit, name) for name in VISIT_FIELDS}
    initial["tags"] = list(visit.tags.all())
    initial["sectors"] = list(visit.sectors.all())
    return initial


def item_initial(item: ProgrammeItem) -> dict:
    initial = {
        name: getattr(item, name)
        for name in ("kind", "title_uk", "title_en", "place", "starts_at", "ends_at")
    }
    initial["organization"] = item.organization_id
    return initial


class MemberForm(StyledMixin, forms.Form):
    email = forms.EmailField(
        label=_("Member's e-mail"),
        help_text=_("They sign in with their own account on Mist."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No account uses this address: invite the person to Mist first.")
            )
        self.cleaned_data["user"] = user
        return email


class ItemForm(SiteZoneTimesMixin, StyledMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ProgrammeItem.Kind.choices)
    title_uk = forms.CharField(label=_("Title (Ukrainian)"), max_length=200)
    title_en = forms.CharField(
        label=_("Title (English)"), max_length=200, required=False
    )
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    organization = forms.ModelChoiceField(
        label=_("Host organization"),
        queryset=Organization.objects.none(),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            deleted_at__isnull=True
        ).order_by("name_uk")


class InvitationForm(SiteZoneTimesMixin, StyledMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none()
    )
    starts_at = forms.DateTimeField(label=_("Proposed start"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Proposed end"), widget=DATETIME)
    reasons = forms.CharField(
        label=_("Why they should meet"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            deleted_at__isnull=True
        ).order_by("name_uk")


class DisruptionForm(SiteZoneTimesMixin, StyledMixin, forms.Form):
    starts_at = forms.DateTimeField(label=_("Lost from"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Until"), widget=DATETIME)
    reason = forms.ChoiceField(
        label=_("Why"),
        choices=[
            ("air_raid", _("Air-raid alert")),
            ("power_cut", _("Power cut")),
        ],
    )
    confirm = forms.BooleanField(
        label=_("Yes, change the programme of this day and tell everyone."),
        required=False,
    )


class OutcomeForm(StyledMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("What came of it"),
        choices=ItemOutcome.Outcome.choices,
        widget=forms.RadioSelect,
    )
    agreed = forms.CharField(
        label=_("What was agreed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class FollowUpForm(StyledMixin, forms.Form):
    text = forms.CharField(
        label=_("What follows"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Due"), widget=DATE)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class B2BSessionForm(SiteZoneTimesMixin, StyledMixin, forms.Form):
    """A B2B session for the delegation at an event, cut into slots."""

    event = forms.ModelChoiceField(label=_("Event"), queryset=None)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    slot_minutes = forms.IntegerField(
        label=_("Slot length (minutes)"), min_value=10, max_value=120, initial=20
    )
    tables = forms.IntegerField(
        label=_("Number of tables"), min_value=1, max_value=200, initial=5
    )

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events
