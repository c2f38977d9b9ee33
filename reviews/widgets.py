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
        if "id" in attrs:  # first, as BoundField hands it to each option
            attrs = {"id": attrs.pop("id"), **attrs}
        # Each option's attributes around its own id, as RadioSelect.create_option
        # merges them: the widget's, then the bound field's.
        merged = self.build_attrs(self.attrs, attrs)
        keys = list(merged)
        base_id = merged.get("id")
        split = keys.index("id") if base_id else len(keys)
        before = html_attributes({key: merged[key] for key in keys[:split]})
        after = html_attributes({key: merged[key] for key in keys[split + 1 :]})
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
