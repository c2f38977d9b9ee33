"""Passports are tagged PDF/UA-1 in the language of the page they come from."""

import pytest
from django.urls import reverse
from django.utils import translation

from investments import pdf
from tests.investments.fixtures import demo_portfolio
from tests.pdf_checks import assert_accessible_pdf, link_targets

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "other"), [("uk", "en"), ("en", "uk")])
def test_passport_is_tagged_and_leads_with_the_page_language(client, language, other):
    project = demo_portfolio()[0]
    with translation.override(language):
        url = reverse("investments:project-passport", kwargs={"slug": project.slug})
    page_url = pdf.public_url(project, language)
    first = getattr(project, f"title_{language}")
    second = getattr(project, f"title_{other}")

    response = client.get(url)

    assert response["Content-Language"] == language
    reader = assert_accessible_pdf(
        response.content, language=language, title=f"{first} / {second}"
    )
    text = "".join(page.extract_text() for page in reader.pages)
    assert text.index(first) < text.index(second)
    assert page_url in link_targets(response.content)
    # Copied across its line break, the printed address keeps every character.
    assert page_url in text.replace("\n", "")
    assert f"/{language}/" in page_url
    assert reader.xmp_metadata.dc_creator == [
        getattr(project.owner, f"name_{language}")
    ]


def test_passport_qr_code_goes_to_the_page_in_its_language():
    project = demo_portfolio()[0]

    english = pdf.passport_context(project, language="en")
    ukrainian = pdf.passport_context(project, language="uk")

    assert english["qr"] == pdf.qr_data_uri(pdf.public_url(project, "en"))
    assert ukrainian["qr"] == pdf.qr_data_uri(pdf.public_url(project, "uk"))
    assert english["qr"] != ukrainian["qr"]


def test_each_language_has_its_own_stored_passport(client):
    project = demo_portfolio()[0]

    for language in ("uk", "en"):
        with translation.override(language):
            client.get(
                reverse("investments:project-passport", kwargs={"slug": project.slug})
            )

    storage = pdf.private_storage()
    assert storage.exists(pdf.passport_name(project, "uk"))
    assert storage.exists(pdf.passport_name(project, "en"))


def test_url_parts_keep_every_character():
    url = "https://mist.example.org/uk/investments/projects/smart-street-lighting/"

    parts = pdf.url_parts(url)

    assert "".join(parts) == url
    assert all(part.endswith("/") for part in parts)


def test_pitch_book_is_tagged_in_ukrainian_with_every_page_in_its_structure():
    demo_portfolio()

    content = pdf.render_pitch_book()

    reader = assert_accessible_pdf(
        content,
        language="uk",
        title="Каталог проєктів інвестиційного форуму / Investment forum pitch book",
    )
    assert reader.xmp_metadata.dc_creator == ["Mist"]
    assert reader.xmp_metadata.dc_description["x-default"] == ("2 проєкти · 2 projects")
    # Every page belongs to the one structure tree (no page merged in untagged).
    parents = [page.get("/StructParents") for page in reader.pages]
    assert None not in parents
    assert len(set(parents)) == len(reader.pages)
    # Page numbers are WeasyPrint's text in the embedded font.
    assert reader.pages[2].extract_text().rstrip().endswith("1")
