"""Form plumbing shared by every app: Bootstrap's classes on widgets, the renderer
that draws each field group the same way, and the widgets it knows how to lay out."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class BootstrapMixin:
    """Bootstrap's classes on every widget once `style_widgets()` runs (after
    __init__ has put the final widgets in place); invalid fields marked after
    validation."""

    def style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(
                widget,
                (forms.RadioSelect, forms.CheckboxInput, forms.CheckboxSelectMultiple),
            ):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


class StyledMixin(BootstrapMixin):
    """BootstrapMixin for forms whose widgets are final once the fields are declared."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class ListFilterMixin:
    """A list page's filter form: its values once validated ("" for an unbound
    form), the search text, the order and how many of its `FILTERS` are set."""

    FILTERS: tuple = ()

    def _value(self, name: str) -> str:
        if not self.is_bound:
            return ""
        return getattr(self, "cleaned_data", {}).get(name) or ""

    @property
    def search_text(self) -> str:
        return self._value("q").strip()

    @property
    def ordering(self) -> str:
        return self._value("sort") or "newest"

    def active_filter_count(self) -> int:
        return sum(1 for name in self.FILTERS if self._value(name))


class ReasonForm(StyledMixin, forms.Form):
    """Why staff reject a listing (a need or offer, a role); mailed to its editors."""

    reason = forms.CharField(
        label=_("Reason for rejection"),
        help_text=_("Sent to the organization's editors."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class FormRenderer(DjangoTemplates):
    """`{{ form.field.as_field_group }}` draws core/forms/field.html: label, widget,
    help text and errors with Bootstrap's classes (settings.FORM_RENDERER).

    Each group keeps a bottom margin, except in forms that set `fields_in_grid =
    True`: their fields sit in the columns of a grid row, whose gutters space them."""

    field_template_name = "core/forms/field.html"

    def render(self, template_name, context, request=None):
        # Every field group of every form page comes here: written in Python, the
        # same HTML as the template's, without a template render per field.
        if template_name == self.field_template_name and set(context) == {"field"}:
            return field_group_html(context["field"])
        return super().render(template_name, context, request)


def field_group_html(field) -> str:
    """core/forms/field.html's output for one bound field, character for character
    (tests/core/test_shared_markup.py compares the two for every kind of field)."""
    if field.is_hidden:
        return str(field)
    widget = field.field.widget
    input_type = getattr(widget, "input_type", None)
    multiple = getattr(widget, "allow_multiple_selected", False)
    errors = field.errors
    label = conditional_escape(field.label)
    grid = getattr(field.form, "fields_in_grid", False)
    classes = ("" if grid else "mb-3") + (" has-error" if errors else "")
    help_text = field.help_text
    auto_id = conditional_escape(field.auto_id)
    if input_type == "checkbox" and not multiple:
        body = (
            f'\n    <div class="form-check">{field} <label class="form-check-label" '
            f'for="{conditional_escape(field.id_for_label)}">{label}</label></div>\n  '
        )
    elif input_type == "radio" or (multiple and input_type == "checkbox"):
        inline = getattr(widget, "inline", False)
        described = f' aria-describedby="{auto_id}_helptext"' if help_text else ""
        choices = "".join(
            f'<div class="form-check{" form-check-inline me-0" if inline else ""}">'
            f'{choice.tag()} <label class="form-check-label" '
            f'for="{conditional_escape(choice.id_for_label)}">'
            f"{conditional_escape(choice.choice_label)}</label></div>"
            for choice in field
        )
        body = (
            f"\n    <fieldset{described}>\n"
            f'      <legend class="form-label fs-6 fw-semibold">{label}</legend>\n'
            f'      <div class="{"d-flex flex-wrap gap-3" if inline else ""}">\n'
            f"      {choices}\n      </div>\n    </fieldset>\n  "
        )
    else:
        required = (
            ' <span class="required-mark" aria-hidden="true">*</span>'
            if field.field.required
            else ""
        )
        body = (
            f'\n    <label class="form-label" '
            f'for="{conditional_escape(field.id_for_label)}">{label}{required}</label>'
            f"\n    {field}\n  "
        )
    help_html = (
        f'<div class="form-text" id="{auto_id}_helptext">'
        f"{conditional_escape(help_text)}</div>"
        if help_text
        else ""
    )
    error_html = (
        f'<div class="invalid-feedback d-block" id="{auto_id}_error">'
        + "<br>".join(conditional_escape(error) for error in errors)
        + "</div>"
        if errors
        else ""
    )
    return mark_safe(  # every value above is escaped or already safe HTML
        f'<div class="{classes}">\n  {body}\n  {help_html}\n  {error_html}\n</div>'
    )


class InlineCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes side by side on one line rather than one under another."""

    inline = True
