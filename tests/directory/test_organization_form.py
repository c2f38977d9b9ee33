"""The profile form's sector checklist and technology tag grid."""

import re

from django.urls import reverse
from django.utils import translation

from directory.forms import OrganizationForm
from directory.models import Sector
from tests.directory.test_views import form_data
from tests.factories import TagFactory


def edit_url(organization):
    with translation.override("en"):
        return reverse(
            "directory:organization-edit", kwargs={"slug": organization.slug}
        )


def test_sector_sections_are_details_opened_where_ticked(client, organization, editor):
    organization.sectors.add(Sector.objects.get(code="62"))
    client.force_login(editor)

    body = client.get(edit_url(organization)).content.decode()

    assert (
        body.count('class="sector-section"')
        == Sector.objects.filter(level=Sector.Level.SECTION).count()
    )
    assert body.count("data-sector-section open>") == 1
    assert "Whole section J" in body
    assert "<span data-count-number>1</span>" in body
    assert "Ctrl/Cmd" not in body
    assert "<select" not in body.split('id="id_sectors"')[1].split("</fieldset>")[0]


def test_sector_checklist_marks_ticked_boxes_and_chips(db):
    division = Sector.objects.get(code="62")
    with translation.override("en"):
        form = OrganizationForm(initial={"sectors": [division.pk]})
        html = str(form["sectors"])

    assert f'value="{division.pk}"' in html
    assert html.count(" checked") == 1
    assert html.count("data-chip-for=") == Sector.objects.count()
    chips = re.findall(r'data-chip-for="[^"]+"( hidden)?>(.*?)</li>', html)
    assert [text for hidden, text in chips if not hidden] == [
        f"62 · {division.name_en}"
    ]


def test_ticked_section_and_division_are_saved(client, organization, staff):
    section = Sector.objects.get(code="J")
    division = Sector.objects.get(code="62")
    tag = TagFactory(name_en="Cloud computing")
    client.force_login(staff)

    response = client.post(
        edit_url(organization),
        form_data(organization, sectors=[section.pk, division.pk], tags=[tag.pk]),
    )

    assert response.status_code == 302
    assert set(organization.sectors.all()) == {section, division}
    assert list(organization.tags.all()) == [tag]


def test_unknown_sector_is_rejected_and_other_ticks_kept(client, organization, staff):
    division = Sector.objects.get(code="62")
    client.force_login(staff)

    response = client.post(
        edit_url(organization),
        form_data(organization, sectors=[division.pk, 999999]),
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_sectors"' in body
    assert "999999 is not one of the available choices" in body
    assert f'value="{division.pk}" class="form-check-input is-invalid" ' in body


def test_tag_grid_has_a_filter_box_hidden_until_script_runs(
    client, organization, editor
):
    TagFactory(name_en="Cloud computing")
    client.force_login(editor)

    body = client.get(edit_url(organization)).content.decode()

    assert 'class="tag-filter" data-tag-filter-box hidden' in body
    assert '<label class="form-label small mb-1" for="id_tags_filter">' in body
    assert "js/organization-form.js" in body


def test_tags_follow_the_ukrainian_alphabet(db):
    for slug, name in [
        ("law", "Юридичні"),
        ("iot", "Інтернет речей"),
        ("ai", "Штучний"),
    ]:
        TagFactory(slug=slug, name_uk=name)

    with translation.override("uk"):
        labels = [label for _pk, label in OrganizationForm().fields["tags"].choices]

    positions = [
        labels.index(name) for name in ("Інтернет речей", "Штучний", "Юридичні")
    ]
    assert positions == sorted(positions)
