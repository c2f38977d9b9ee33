"""Form plumbing shared by every app: the renderer that draws each field group the
same way, and the widgets that field group knows how to lay out."""

from django import forms
from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    """`{{ form.field.as_field_group }}` draws core/forms/field.html: label, widget,
    help text and errors with Bootstrap's classes (settings.FORM_RENDERER).

    Each group keeps a bottom margin, except in forms that set `fields_in_grid =
    True`: their fields sit in the columns of a grid row, whose gutters space them."""

    field_template_name = "core/forms/field.html"


class InlineCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes side by side on one line rather than one under another."""

    inline = True
