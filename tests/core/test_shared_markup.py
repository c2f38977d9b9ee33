"""Shared markup made faster must stay the same: FastSelect's and FastTextarea's HTML
against Django's Select and Textarea, and the language switch's addresses (reversed
once per page and language)."""

import re

import pytest
from django import forms
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation
from django.utils.translation import gettext_lazy

from core.forms import InlineCheckboxSelectMultiple
from core.templatetags.mist import language_links
from core.widgets import FastSelect, FastTextarea

CHOICES = [
    ("", gettext_lazy("Any")),
    ("a&b", 'Tom & "Jerry" <i>'),
    ("2", "Назва «ТОВ» ' апостроф"),
    ("group <1>", [("3", "<script>"), ("4", gettext_lazy("Directory"))]),
]


def _same_spacing(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("language", ["uk", "en"])
@pytest.mark.parametrize("value", ["", "a&b", "3", "4"])
def test_fast_select_renders_what_select_renders(language, value):
    with translation.override(language):
        expected = forms.Select(choices=CHOICES).render("f", value, {"id": "x"})
        got = FastSelect(choices=CHOICES).render("f", value, {"id": "x"})
    assert _same_spacing(got) == _same_spacing(expected)
    assert "<script>" not in got
    assert "&lt;script&gt;" in got


@pytest.mark.parametrize("value", [None, "", "Tom & \"Jerry\" <i>\n'ще'", 42])
@pytest.mark.parametrize(
    "attrs",
    [
        {"id": "x"},
        {"id": "x", "aria-invalid": "true", "required": True, "disabled": False},
    ],
)
def test_fast_textarea_renders_what_textarea_renders(value, attrs):
    widget_attrs = {"rows": 3, "class": "form-control", "data-x": 'a"b'}

    expected = forms.Textarea(attrs=widget_attrs).render("body", value, attrs)
    got = FastTextarea(attrs=widget_attrs).render("body", value, attrs)

    assert got == expected


def _links(path: str, query: str = "") -> dict[str, str]:
    request = RequestFactory().get(path + (f"?{query}" if query else ""))
    request.resolver_match = resolve(path)
    return {link["code"]: link["url"] for link in language_links({"request": request})}


def test_language_links_name_the_same_page_in_each_language():
    with translation.override("uk"):
        links = _links("/uk/directory/o/some-org/", "page=2&q=%D0%B0")
    assert links == {
        "uk": "/uk/directory/o/some-org/?page=2&q=%D0%B0",
        "en": "/en/directory/o/some-org/?page=2&q=%D0%B0",
    }


def test_language_links_differ_per_page_although_reversed_once():
    with translation.override("en"):
        first = _links("/en/events/e/one/")
        second = _links("/en/events/e/two/")
        again = _links("/en/events/e/one/")
    assert first["uk"] == "/uk/events/e/one/"
    assert second["uk"] == "/uk/events/e/two/"
    assert again == first


class _EveryKindForm(forms.Form):
    """One field of each kind the shared field template draws differently."""

    text = forms.CharField(label='Name & "title"', help_text="<b>Shown</b> & told")
    optional = forms.CharField(required=False, label=gettext_lazy("Directory"))
    notes = forms.CharField(widget=FastTextarea(attrs={"rows": 3}), max_length=5)
    area = forms.CharField(widget=forms.Textarea, required=False)
    pick = forms.ChoiceField(choices=CHOICES[:3], widget=FastSelect)
    plain_pick = forms.ChoiceField(choices=CHOICES[:3], required=False)
    agree = forms.BooleanField(label="I <agree>", help_text="Really")
    optional_agree = forms.BooleanField(required=False)
    radio = forms.ChoiceField(
        choices=CHOICES[:3], widget=forms.RadioSelect, help_text="One of them"
    )
    many = forms.MultipleChoiceField(
        choices=CHOICES[:3], widget=forms.CheckboxSelectMultiple, required=False
    )
    inline = forms.MultipleChoiceField(
        choices=CHOICES[:3], widget=InlineCheckboxSelectMultiple
    )
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    upload = forms.FileField(required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    amount = forms.IntegerField(min_value=1, required=False)


class _GridForm(_EveryKindForm):
    fields_in_grid = True


def _field_forms():
    from exchange.forms import AttachmentForm, MessageForm
    from reviews.forms import ConflictForm, ReviewForm

    invalid = {"notes": "too long by far", "amount": "0", "radio": "nope", "when": "x"}
    return [
        _EveryKindForm(),
        _EveryKindForm(invalid),
        _GridForm(invalid),
        _EveryKindForm(initial={"text": "<i>", "agree": True, "many": ["a&b"]}),
        MessageForm(),
        AttachmentForm(),
        ConflictForm(),
        ConflictForm({}),
        ReviewForm(criteria=()),
        ReviewForm({}, criteria=()),
    ]


@pytest.mark.parametrize("language", ["uk", "en"])
def test_field_groups_written_in_python_match_the_field_template(language):
    """core.forms.FormRenderer writes each field group in Python: the same HTML as
    core/forms/field.html, for every kind of field, with help text and errors."""
    from django.forms.renderers import DjangoTemplates

    from core.forms import FormRenderer

    renderer = FormRenderer()
    with translation.override(language):
        for form in _field_forms():
            form.is_bound and form.is_valid()
            for field in form:
                expected = DjangoTemplates.render(
                    renderer, renderer.field_template_name, {"field": field}
                )
                assert field.as_field_group() == expected, (type(form), field.name)
