"""The forum PDFs render (pictures by pdftoppm) with Cyrillic and English text."""

import io
from decimal import Decimal

import pypdf
import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from core.pdf import pdf_page_images
from investments import pdf
from investments.models import InvestmentProject
from tests.investments.fixtures import demo_portfolio


def text_of(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.django_db
def test_passport_renders_both_languages_on_one_or_two_pages():
    project = demo_portfolio()[0]

    content = pdf.render_passport(project)

    pages = pdf_page_images(content)
    assert 1 <= len(pages) <= 2
    assert all(page.startswith(b"\x89PNG") for page in pages)
    text = text_of(content)
    assert "Розумне вуличне освітлення" in text
    assert "Smart street lighting" in text


@pytest.mark.django_db
def test_passport_view_serves_and_caches_the_pdf(client):
    project = demo_portfolio()[0]
    url = reverse("investments:project-passport", kwargs={"slug": project.slug})

    first = client.get(url)
    second = client.get(url)

    assert first["Content-Type"] == "application/pdf"
    assert first.content == second.content
    assert pdf.private_storage().exists(pdf.passport_name(project))


@pytest.mark.django_db
def test_passport_of_a_draft_is_not_found_for_visitors(client):
    draft = InvestmentProject.objects.get(pk=demo_portfolio()[2].pk)

    response = client.get(
        reverse("investments:project-passport", kwargs={"slug": draft.slug})
    )

    assert response.status_code == 404


def test_map_marker_lies_inside_the_city_box():
    marker = pdf.map_marker(49.99, 36.29)
    assert marker["image"].endswith(pdf.MAP_IMAGE)
    assert 0 < float(marker["left"]) < 100
    assert 0 < float(marker["top"]) < 100
    assert pdf.map_marker(48.0, 36.23) is None
    assert pdf.map_marker(None, None) is None


def test_the_shared_map_image_is_a_static_file():
    assert finders.find(pdf.MAP_IMAGE)


def test_amounts_read_the_same_in_both_languages():
    assert pdf.amount(Decimal("1250000.50"), "EUR") == "1\u00a0250\u00a0000\u00a0EUR"
    assert pdf.coordinates(Decimal("49.99"), Decimal("36.23")) == (
        "49.99000° N, 36.23000° E"
    )


@pytest.mark.django_db
def test_pitch_book_has_contents_and_every_published_project():
    demo_portfolio()

    content = pdf.render_pitch_book()

    pages = pdf_page_images(content)
    assert len(pages) >= 4  # cover, contents, two projects
    assert all(page.startswith(b"\x89PNG") for page in pages)
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = text_of(content)
    assert "Центр обробки даних" in text
    assert "Smart street lighting" in text
    assert "Secret draft project" not in text
    # Passports are numbered from 1 after the cover and contents (i, ii).
    assert reader.page_labels == ["i", "ii", "1", "2"]
    assert reader.pages[2].extract_text().rstrip().endswith("1")
    assert reader.pages[3].extract_text().rstrip().endswith("2")
    # The contents give each project's page, link to it, and so does the outline.
    contents = reader.pages[1].extract_text()
    assert "KH-SC-0001" in contents
    assert "Розумне вуличне освітлення" in contents
    assert [line for line in contents.splitlines() if line.strip() in ("1", "2")]
    targets = [reader.get_destination_page_number(item) for item in reader.outline[1:]]
    assert sorted(targets) == [2, 3]
    assert [item.title for item in reader.outline[1:]] == [
        "KH-SC-0001 · Розумне вуличне освітлення / Smart street lighting",
        "KH-SC-0002 · Центр обробки даних",
    ]
    # Each contents line links its title and its page number to the passport.
    names = reader.named_destinations
    linked = [
        reader.get_destination_page_number(names[str(annotation.get_object()["/Dest"])])
        for annotation in reader.pages[1]["/Annots"]
    ]
    assert sorted(set(linked)) == [2, 3]


@pytest.mark.django_db
def test_pitch_book_page_prepares_in_background_then_downloads(
    client, officer, django_capture_on_commit_callbacks
):
    demo_portfolio()
    client.force_login(officer)
    url = reverse("investments:pitch-book")
    assert client.get(url).context["state"] == "missing"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)  # eager in tests: built at once after the commit

    response = client.get(url, headers={"HX-Request": "true"})
    assert reverse("investments:pitch-book-download") in response.content.decode()
    assert "<html" not in response.content.decode()
    download = client.get(reverse("investments:pitch-book-download"))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
