"""The review form's score scale draws what RadioSelect's options drew, in Python."""

import pytest
from django import forms
from django.template import Context, Template

from reviews.forms import ReviewForm
from reviews.widgets import ScoreScale

pytestmark = pytest.mark.django_db

# The review page's markup of one scale before ScoreScale: RadioSelect's option
# templates, the empty choice left out.
RADIO_SELECT_SCALE = Template(
    '{% for choice in field %}{% if choice.data.value != "" %}'
    '<span class="score-choice">{{ choice.tag }}<label class="btn btn-outline-primary'
    ' btn-sm" for="{{ choice.id_for_label }}">{{ choice.choice_label }}</label></span>'
    "{% endif %}{% endfor %}"
)


def _scales(form):
    return [str(form[f"score_{c.pk}"]) for c in form.criteria]


def _as_radio_select(form):
    for criterion in form.criteria:
        field = form.fields[f"score_{criterion.pk}"]
        field.widget = forms.RadioSelect(
            attrs=dict(field.widget.attrs), choices=field.choices
        )
    return [
        RADIO_SELECT_SCALE.render(Context({"field": form[f"score_{c.pk}"]}))
        for c in form.criteria
    ]


@pytest.mark.parametrize(
    "data",
    [
        None,  # a new review
        {"score_{0}": "3", "score_{1}": "10"},  # a saved one
        {"score_{0}": "9", "score_{1}": "x"},  # refused: aria-invalid on each input
    ],
)
def test_score_scale_draws_what_radio_select_drew(criteria, data):
    if data is not None:
        data = {
            key.format(*(c.pk for c in criteria)): value for key, value in data.items()
        }

    form = ReviewForm(data, criteria=criteria)
    drawn = _scales(form)
    reference = _as_radio_select(ReviewForm(data, criteria=criteria))

    assert drawn == reference
    assert all(
        isinstance(form.fields[f"score_{c.pk}"].widget, ScoreScale) for c in criteria
    )
    if data and "9" in data.values():
        assert 'aria-invalid="true"' in drawn[0]
    assert drawn[1].count('type="radio"') == 10  # 1–10, no empty choice


def test_score_scale_escapes_its_labels_and_values():
    widget = ScoreScale(
        attrs={"class": "btn-check"}, choices=[("", "—"), ('"a"', "<b>")]
    )

    drawn = widget.render("score_1", '"a"', attrs={"id": "id_score_1"})

    assert drawn == (
        '<span class="score-choice"><input type="radio" name="score_1" '
        'value="&quot;a&quot;" class="btn-check" id="id_score_1_1" checked>'
        '<label class="btn btn-outline-primary btn-sm" for="id_score_1_1">'
        "&lt;b&gt;</label></span>"
    )
