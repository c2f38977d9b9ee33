"""Widgets of the review form."""

import html

from django import forms
from django.utils.safestring import mark_safe


class ScoreScale(forms.RadioSelect):
    """A criterion's scale as a row of toggle buttons: each value's radio input
    (Bootstrap's `btn-check`) followed by its label, the empty choice left out (no
    button unscores; a criterion left blank stays blank).

    Drawn in Python in one pass: RadioSelect renders two templates per option, a
    third of the review page's time for a rubric of five 1–5 criteria. The inputs
    are RadioSelect's own, attribute for attribute and in its order (the widget's,
    the option's id `<id>_<index>`, the bound field's such as `aria-invalid`, then
    `checked`); the legend and the fieldset stay in the page's template.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        base_id = attrs.pop("id", None) or self.attrs.get("id")
        own = {key: val for key, val in self.attrs.items() if key != "id"}
        before = _attributes(own)
        after = _attributes({key: val for key, val in attrs.items() if key not in own})
        if any(key in own for key in attrs):  # the field overrides the widget's
            before = _attributes({**own, **attrs})
            after = ""
        selected = {str(v) for v in self.format_value(value)}
        name = _escape(name)
        parts = []
        for index, (option_value, label) in enumerate(self.choices):
            option_value = "" if option_value is None else str(option_value)
            if option_value == "":
                continue
            option_id = _escape(self.id_for_label(base_id, index)) if base_id else ""
            id_attr = f' id="{option_id}"' if base_id else ""
            checked = " checked" if option_value in selected else ""
            parts.append(
                f'<span class="score-choice"><input type="radio" name="{name}" '
                f'value="{_escape(option_value)}"{before}{id_attr}{after}{checked}>'
                f'<label class="btn btn-outline-primary btn-sm" for="{option_id}">'
                f"{_escape(label)}</label></span>"
            )
        return mark_safe("".join(parts))  # every name, value and label is escaped


def _attributes(attrs: dict) -> str:
    """HTML attributes as Django's attrs.html writes them: in order, True as a bare
    name, False left out, anything else as its text."""
    parts = []
    for key, value in attrs.items():
        if value is True:
            parts.append(f" {key}")
        elif value is not False:
            parts.append(f' {key}="{_escape(value)}"')
    return "".join(parts)


def _escape(text) -> str:
    """conditional_escape's text as a plain str: safe strings as they are."""
    if hasattr(text, "__html__"):
        return str(text.__html__())
    return html.escape(str(text))
