"""Shared plumbing in core: pages of a list, the field group template, stale saves."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory

from core.concurrency import StaleVersionError, check_version
from core.forms import InlineCheckboxSelectMultiple, StyledMixin
from core.pagination import paginate


def test_paginate_reads_the_page_and_falls_back_to_the_last():
    request = RequestFactory().get("/", {"page": "9"})

    page = paginate(request, list(range(45)), 20)

    assert page.number == 3
    assert list(page.object_list) == list(range(40, 45))


def test_paginate_takes_a_known_count_instead_of_counting():
    page = paginate(RequestFactory().get("/"), list(range(5)), 2, count=50)

    assert page.paginator.num_pages == 25


def test_pagination_links_keep_the_other_parameters():
    request = RequestFactory().get("/", {"q": "kharkiv", "page": "2"})
    page = paginate(request, list(range(60)), 20)

    html = render_to_string(
        "core/_pagination.html", {"page_obj": page}, request=request
    )

    assert 'href="?q=kharkiv&amp;page=1" rel="prev"' in html
    assert 'href="?q=kharkiv&amp;page=3" rel="next"' in html
    assert 'aria-current="page"><span class="page-link">2</span>' in html
    assert "hx-get" not in html


class SampleForm(StyledMixin, forms.Form):
    name = forms.CharField(label="Name", help_text="As in the register.")
    agree = forms.BooleanField(label="I agree", required=False)
    languages = forms.MultipleChoiceField(
        label="Languages",
        choices=[("uk", "Ukrainian"), ("en", "English")],
        widget=InlineCheckboxSelectMultiple,
    )


def test_field_group_draws_label_help_and_errors_with_bootstrap_classes():
    form = SampleForm(data={})

    html = form["name"].as_field_group()

    assert '<div class="mb-3 has-error">' in html
    assert '<span class="required-mark" aria-hidden="true">*</span>' in html
    assert 'class="form-control is-invalid"' in html
    assert 'aria-describedby="id_name_helptext' in html
    assert '<div class="form-text" id="id_name_helptext">As in the register.' in html
    assert '<div class="invalid-feedback d-block" id="id_name_error">' in html


def test_field_group_draws_checkboxes_as_form_checks():
    form = SampleForm()

    checkbox = form["agree"].as_field_group()
    inline = form["languages"].as_field_group()

    assert '<div class="form-check"><input type="checkbox"' in checkbox
    assert '<legend class="form-label fs-6 fw-semibold">Languages</legend>' in inline
    assert inline.count("form-check form-check-inline") == 2


def test_check_version_refuses_another_version_only():
    check_version(3, None, "stale")
    check_version(3, 3, "stale")

    with pytest.raises(StaleVersionError) as caught:
        check_version(3, 2, "stale")

    assert isinstance(caught.value, ValidationError)
    assert caught.value.code == "stale_version"
    assert caught.value.messages == ["stale"]
