"""Form widgets shared by every app."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A <select> whose options are rendered straight from its choices in Python.

    forms.Select builds a dict per option and renders it through two template
    includes; a filter form with ~500 options (KVED sectors, tags, places,
    countries) then spends most of the directory page's time there. The HTML is
    equivalent to forms.Select's.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        final_attrs = self.build_attrs(self.attrs, attrs)
        parts = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):  # an <optgroup>
                inner = "".join(self._option(v, lbl, selected) for v, lbl in label)
                parts.append(
                    f'<optgroup label="{escape(option_value)}">{inner}</optgroup>'
                )
            else:
                parts.append(self._option(option_value, label, selected))
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final_attrs),
            mark_safe("".join(parts)),  # every value and label below is escaped
        )

    @staticmethod
    def _option(value, label, selected: set[str]) -> str:
        value = "" if value is None else str(value)
        mark = " selected" if value in selected else ""
        return f'<option value="{escape(value)}"{mark}>{escape(label)}</option>'


class PrivateFileInput(forms.ClearableFileInput):
    """A file input for a file in private storage: names the current file without a
    link (private files have no URL; only their permission-checked views serve them),
    so forms such as the admin's render instead of failing on `file.url`."""

    template_name = "core/widgets/private_file_input.html"

    def is_initial(self, value):
        return bool(value and getattr(value, "name", ""))
