import io

import pytest
from pypdf import PdfReader

from core.pdf import pdf_page_images, render_pdf


@pytest.fixture
def pdf_template(tmp_path, settings):
    (tmp_path / "sample.html").write_text(
        '<html><head><link rel="stylesheet" href="/static/css/mist.css"></head>'
        "<body><h1>Харків — Kharkiv</h1><p>{{ text }}</p></body></html>",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return "sample.html"


def test_render_pdf_keeps_cyrillic_text_and_renders_to_pictures(pdf_template):
    pdf = render_pdf(pdf_template, {"text": "Інвестиційний паспорт"})

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    pictures = pdf_page_images(pdf)

    assert "Харків" in text
    assert "Інвестиційний паспорт" in text
    assert len(pictures) == 1
    assert pictures[0].startswith(b"\x89PNG")


def test_render_pdf_refuses_network_resources(tmp_path, settings):
    (tmp_path / "remote.html").write_text(
        '<img src="https://example.org/a.png"><p>x</p>', encoding="utf-8"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    pdf = render_pdf("remote.html", {})

    assert pdf.startswith(b"%PDF")


def test_render_pdf_is_tagged_pdf_ua_with_language_and_metadata(tmp_path, settings):
    from tests.pdf_checks import assert_accessible_pdf, link_targets

    (tmp_path / "tagged.html").write_text(
        '<html lang="en"><head><title>Agenda</title>'
        '<meta name="author" content="Mist"><meta name="description" content="Plan">'
        '<link rel="stylesheet" href="/static/css/meetings-pdf.css"></head>'
        '<body><h1>Agenda</h1><p><a href="https://mist.example.org/en/">Mist</a></p>'
        "</body></html>",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    pdf = render_pdf("tagged.html", {})

    reader = assert_accessible_pdf(pdf, language="en", title="Agenda")
    assert reader.xmp_metadata.dc_creator == ["Mist"]
    assert reader.xmp_metadata.dc_description["x-default"] == "Plan"
    assert reader.metadata["/Subject"] == "Plan"
    assert link_targets(pdf) == ["https://mist.example.org/en/"]
