"""Forms of the reviews app: input checks only; services do the work."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin, InlineCheckboxSelectMultiple, StyledMixin
from core.models import max_length
from core.widgets import FastSelect, FastTextarea
from directory.models import Organization, Sector, Tag
from reviews.models import (
    Decision,
    DecisionTemplate,
    OutboxMessage,
    Recommendation,
    Review,
    ReviewerInvitation,
)
from reviews.widgets import ScoreScale


class StyledForm(StyledMixin, forms.Form):
    pass


class StyledModelForm(StyledMixin, forms.ModelForm):
    pass


LANGUAGE_CHOICES = [("uk", _("Ukrainian")), ("en", _("English"))]


class InviteReviewerForm(StyledForm):
    email = forms.EmailField(label=_("E-mail"))
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=LANGUAGE_CHOICES, initial="en"
    )
    message = forms.CharField(
        label=_("Personal message"),
        required=False,
        max_length=max_length(ReviewerInvitation, "message"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewerProfileForm(StyledForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages I read"),
        choices=LANGUAGE_CHOICES,
        widget=InlineCheckboxSelectMultiple,
    )
    max_load = forms.IntegerField(
        label=_("Maximum number of reviews"), min_value=0, max_value=200, initial=10
    )
    expertise = forms.ModelMultipleChoiceField(
        label=_("Expertise"),
        queryset=Tag.objects.order_by("slug"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    expertise_sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors of expertise"),
        queryset=Sector.objects.filter(level=Sector.Level.SECTION).order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    ties = forms.ModelMultipleChoiceField(
        label=_("Organizations I have ties with"),
        help_text=_(
            "Employers, clients, investments, family: you will not review them."
        ),
        queryset=Organization.objects.filter(deleted_at__isnull=True).order_by(
            "name_uk"
        ),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class ConflictForm(StyledForm):
    ANSWERS = [
        ("none", _("I have no conflict of interest")),
        ("conflict", _("I have a conflict")),
    ]
    answer = forms.ChoiceField(
        label=_("Conflict of interest"), choices=ANSWERS, widget=forms.RadioSelect
    )
    detail = forms.CharField(
        label=_("What is the conflict?"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == "conflict" and not data.get("detail", "").strip():
            self.add_error("detail", _("Say briefly what the conflict is."))
        return data


class ReviewForm(BootstrapMixin, forms.Form):
    """The rubric's criteria as score fields, then the texts."""

    comments_to_submitters = forms.CharField(
        label=_("Comments to the submitters"),
        required=False,
        max_length=max_length(Review, "comments_to_submitters"),
        widget=FastTextarea(attrs={"rows": 6}),
    )
    confidential_notes = forms.CharField(
        label=_("Confidential notes to the organizers"),
        help_text=_("The submitters never see these."),
        required=False,
        max_length=max_length(Review, "confidential_notes"),
        widget=FastTextarea(attrs={"rows": 3}),
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=[("", "—"), *Recommendation.choices],
        required=False,
        widget=FastSelect,
    )
    offers_mentoring = forms.BooleanField(
        label=_("I offer to mentor this team"), required=False
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        score_fields = {}
        for criterion in self.criteria:
            choices = [("", "—")] + [
                (str(v), str(v))
                for v in range(criterion.scale_min, criterion.scale_max + 1)
            ]
            score_fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=str(criterion.name),
                help_text=str(criterion.description),
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=ScoreScale(attrs={"class": "btn-check"}),
            )
        # Scores come first, in rubric order.
        self.fields = {**score_fields, **self.fields}
        self.style_widgets()
        for name in score_fields:
            self.fields[name].widget.attrs["class"] = "btn-check"

    @staticmethod
    def initial_from(review: Review | None) -> dict:
        """The form's values from a saved review (none for a new one)."""
        if review is None:
            return {}
        initial = {
            "comments_to_submitters": review.comments_to_submitters,
            "confidential_notes": review.confidential_notes,
            "recommendation": review.recommendation,
            "offers_mentoring": review.offers_mentoring,
        }
        for score in review.scores.all():
            initial[f"score_{score.criterion_id}"] = score.value
        return initial

    def review_fields(self) -> dict:
        """The cleaned texts and choices, without the scores (see `scores`)."""
        return {
            k: v for k, v in self.cleaned_data.items() if not k.startswith("score_")
        }

    def scores(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}

    def score_fields(self):
        return [(c, self[f"score_{c.pk}"]) for c in self.criteria]


class DecisionForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    resubmit_by = forms.DateTimeField(
        label=_("Resubmit by"),
        required=False,
        help_text=_("Only for “revise and resubmit”; in the call's time zone."),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    note_uk = forms.CharField(
        label=_("Note (Ukrainian)"),
        required=False,
        max_length=max_length(Decision, "note_uk"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note_en = forms.CharField(
        label=_("Note (English)"),
        required=False,
        max_length=max_length(Decision, "note_en"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionTemplateForm(StyledModelForm):
    class Meta:
        model = DecisionTemplate
        fields = ["subject_uk", "subject_en", "body_uk", "body_en"]
        widgets = {
            "body_uk": forms.Textarea(attrs={"rows": 8}),
            "body_en": forms.Textarea(attrs={"rows": 8}),
        }


class OutboxMessageForm(StyledModelForm):
    class Meta:
        model = OutboxMessage
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}


def _select():
    return forms.Select(attrs={"class": "form-select"})


class DashboardFilterForm(forms.Form):
    PROGRESS = [
        ("", _("Any progress")),
        ("complete", _("All reviews in")),
        ("incomplete", _("Reviews missing")),
    ]
    DECISIONS = [
        ("", _("Any decision")),
        ("none", _("No decision yet")),
        *Decision.Outcome.choices,
    ]
    ORDERINGS = [
        ("rank", _("Rank (normalized)")),
        ("-total", _("Lowest weighted total")),
        ("total", _("Highest weighted total")),
        ("title", _("Title")),
        ("reviews", _("Fewest reviews")),
        ("spread", _("Largest disagreement")),
    ]
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    progress = forms.ChoiceField(
        label=_("Progress"), choices=PROGRESS, required=False, widget=_select()
    )
    decision = forms.ChoiceField(
        label=_("Decision"), choices=DECISIONS, required=False, widget=_select()
    )
    ROUNDS = [
        ("", _("Any round")),
        ("1", _("Round 1")),
        ("2", _("Round 2")),
        ("3", _("Round 3")),
    ]
    round = forms.TypedChoiceField(
        label=_("Review round"),
        choices=ROUNDS,
        coerce=int,
        empty_value=None,
        required=False,
        widget=_select(),
    )
    disagreement = forms.BooleanField(
        label=_("Only strong disagreement"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    ordering = forms.ChoiceField(
        label=_("Sort by"), choices=ORDERINGS, required=False, widget=_select()
    )

    def values(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "q": (data.get("q") or "").strip(),
            "progress": data.get("progress") or "",
            "decision": data.get("decision") or "",
            "round": data.get("round") or None,
            "disagreement": bool(data.get("disagreement")),
            "ordering": data.get("ordering") or "rank",
        }


class RoundReviewersForm(StyledForm):
    """Who reviews a later round: the previous round's reviewers are ticked."""

    reviewers = forms.ModelMultipleChoiceField(
        label=_("Reviewers of this round"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one reviewer.")},
    )

    def __init__(self, *args, call_reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reviewers"]
        field.queryset = call_reviewers
        field.label_from_instance = lambda r: r.user.get_full_name() or r.user.email
