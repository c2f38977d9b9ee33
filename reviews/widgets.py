"""Widgets of the review form."""

import html

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from core.widgets import html_attributes


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
        before = html_attributes(own)
        after = html_attributes(
            {key: val for key, val in attrs.items() if key not in own}
        )
        if any(key in own for key in attrs):  # the field overrides the widget's
            before = html_attributes({**own, **attrs})
            after = ""
        selected = {str(v) for v in self.format_value(value)}
        name = html.escape(name)
        parts = []
        for index, (option_value, label) in enumerate(self.choices):
            option_value = "" if option_value is None else str(option_value)
            if option_value == "":
                continue
            option_id = (
                html.escape(self.id_for_label(base_id, index)) if base_id else ""
            )
            id_attr = f' id="{option_id}"' if base_id else ""
            checked = " checked" if option_value in selected else ""
            parts.append(
                f'<span class="score-choice"><input type="radio" name="{name}" '
                f'value="{html.escape(option_value)}"{before}{id_attr}{after}{checked}>'
                f'<label class="btn btn-outline-primary btn-sm" for="{option_id}">'
                f"{conditional_escape(label)}</label></span>"
            )
        return mark_safe("".join(parts))  # every name, value and label is escaped
