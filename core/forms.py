"""Form plumbing shared by every app: Bootstrap's classes on widgets, the renderer
that draws each field group the same way, and the widgets it knows how to lay out."""

from django import forms
from django.forms.renderers import DjangoTemplates
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


class InlineCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes side by side on one line rather than one under another."""

    inline = True
