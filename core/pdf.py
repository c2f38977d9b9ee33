"""PDF documents from HTML templates (WeasyPrint), and pictures of them for tests.

Fonts come from the system (DejaVu covers Cyrillic); static files (CSS, images) are
read from disk through the staticfiles finders, so a PDF renders without a web server.

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


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` with `context` to PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(
        string=html, base_url="file:///", url_fetcher=StaticFilesFetcher()
    ).write_pdf()


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
