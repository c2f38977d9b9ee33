"""PDF documents from HTML templates (WeasyPrint), and pictures of them for tests.

Every document is tagged PDF/UA-1 (`pdf_variant="pdf/ua-1"`): a structure tree from
the HTML, /MarkInfo /Marked true, /Lang from the `lang` of the template's <html>,
the title shown in the window, and XMP metadata: dc:title from <title>, dc:creator
from <meta name="author">, dc:description (the PDF's Subject) from <meta
name="description">, and dc:language, which WeasyPrint leaves out and render_pdf()
adds. Links (<a href>) stay clickable. Templates set every text's font, the page
margin boxes' too, so every font is embedded (DejaVu covers Cyrillic); no PDF falls
back to a standard font such as Helvetica, which is not embedded.

Static files (CSS, images) are read from disk through the staticfiles finders, so a
PDF renders without a web server.

WeasyPrint is imported only when a PDF is made: it costs about a second at import
(Pango, HarfBuzz, fontTools), which no web or worker process should pay at start
(tests/core/test_startup_imports.py).
"""

import functools
import subprocess
import tempfile
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

STATIC_PREFIX = "/static/"
PDF_VARIANT = "pdf/ua-1"


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class _StaticFilesFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"file", "data"})

        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                if STATIC_PREFIX not in url:
                    raise ValueError(f"only static files may be read: {url}")
                found = finders.find(url.split(STATIC_PREFIX, 1)[1])
                if not found:
                    raise ValueError(f"no such static file: {url}")
                url = Path(found).as_uri()
            return super().fetch(url, headers)

    return _StaticFilesFetcher


def StaticFilesFetcher():
    """A WeasyPrint URL fetcher that reads `/static/...` through the staticfiles
    finders and allows data: URLs; refuses everything else, so printing never
    reaches the network."""
    return _fetcher_class()()


def _language_description(language: str) -> bytes:
    from xml.sax.saxutils import escape

    return (
        '<rdf:Description rdf:about="" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag>"
        "</dc:language></rdf:Description>"
    ).encode()


def _with_xmp_language(metadata) -> None:
    """Add dc:language (the document's /Lang) to the XMP WeasyPrint writes."""
    if not metadata.lang:
        return
    generate = metadata.generate_rdf_metadata
    extra = _language_description(metadata.lang)

    def generate_with_language(*args, **kwargs):
        return generate(*args, **kwargs).replace(b"</rdf:RDF>", extra + b"</rdf:RDF>")

    metadata.generate_rdf_metadata = generate_with_language


def html_to_pdf(html: str) -> bytes:
    """`html` (a whole document with <html lang>, <title> and author and description
    <meta>s) as tagged PDF/UA-1 bytes."""
    from weasyprint import HTML

    document = HTML(
        string=html, base_url="file:///", url_fetcher=StaticFilesFetcher()
    ).render(pdf_variant=PDF_VARIANT)
    _with_xmp_language(document.metadata)
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` with `context` to tagged PDF/UA-1 bytes."""
    return html_to_pdf(render_to_string(template_name, context))


def pdf_page_images(pdf: bytes, *, resolution: int = 60) -> list[bytes]:
    """PNG pictures of every page, by poppler's pdftoppm (proves the PDF renders)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(resolution), str(source), f"{folder}/page"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return [page.read_bytes() for page in sorted(Path(folder).glob("page*.png"))]
