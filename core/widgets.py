"""Form widgets shared by every app."""

import html

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A <select> whose options are rendered straight from its choices in Python.

    forms.Select builds a dict per option and renders it through two template
    includes; a filter form with ~500 options (KVED sectors, tags, places,
    countries) then spends most of the directory page's time there. The HTML is
    equivalent to forms.Select's.

    Values and labels are escaped with the standard library's html.escape, which
    is what django.utils.html.escape calls, without its lazy-string wrapper and
    SafeString per call (a third of the time for a few hundred options).
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        final_attrs = self.build_attrs(self.attrs, attrs)
        parts = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):  # an <optgroup>
                inner = "".join(self._option(v, lbl, selected) for v, lbl in label)
                parts.append(
                    f'<optgroup label="{_escape(option_value)}">{inner}</optgroup>'
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
        return f'<option value="{_escape(value)}"{mark}>{_escape(label)}</option>'


class FastTextarea(forms.Textarea):
    """A <textarea> written in Python, byte for byte what forms.Textarea's template
    writes (a newline after the opening tag, the value escaped, attributes in
    order), without the two template renders per field: for forms drawn on every
    view of a busy page (the submission page's question box, the review form)."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        return mark_safe(  # the name, attributes and value are escaped
            f'<textarea name="{_conditional_escape(name)}"'
            f"{html_attributes(self.build_attrs(self.attrs, attrs))}>\n"
            f"{_conditional_escape(value) if value else ''}</textarea>"
        )


def html_attributes(attrs: dict) -> str:
    """Attributes as Django's widget template attrs.html writes them: in order, True
    as a bare name, False left out, anything else as its escaped text."""
    parts = []
    for key, value in attrs.items():
        if value is True:
            parts.append(f" {key}")
        elif value is not False:
            parts.append(f' {key}="{_escape(value)}"')
    return "".join(parts)


def _escape(text) -> str:
    """django.utils.html.escape's text (lazy strings too), as a plain str."""
    return html.escape(str(text))


def _conditional_escape(text) -> str:
    """conditional_escape's text as a plain str: safe strings as they are."""
    if hasattr(text, "__html__"):
        return str(text.__html__())
    return html.escape(str(text))


class PrivateFileInput(forms.ClearableFileInput):
    """A file input for a file in private storage: names the current file without a
    link (private files have no URL; only their permission-checked views serve them),
    so forms such as the admin's render instead of failing on `file.url`."""

    template_name = "core/widgets/private_file_input.html"

    def is_initial(self, value):
        return bool(value and getattr(value, "name", ""))
