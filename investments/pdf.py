"""The forum's PDFs: a bilingual investment passport per project, and the pitch book of
all published projects with a table of contents (WeasyPrint through core.pdf).

The pitch book is rendered in parts: the passports in chunks, laid out side by side in
worker processes (each chunk a whole document), then the cover and contents last, with
page numbers taken from the chunks' page counts; pypdf merges them, stamps the page
numbers, and adds the outline and the contents' links. Layout cost was what made one
big document slow; the templates avoid what WeasyPrint lays out slowly (see
static/css/investments-pdf.css).

Generated files are kept in private storage under `investments/pdf/`, keyed by what
they show (a project's version and last change; the pitch book's set of projects), so
a cached file is never stale and a new one is made only when something changed.
"""

import datetime
import gc
import hashlib
import io
import logging
import math
import multiprocessing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone, translation

from core.pdf import StaticFilesFetcher, render_pdf
from core.storage import private_storage
from investments import money
from investments.models import InvestmentProject
from investments.oc4ids.export import published_projects

FOLDER = "investments/pdf"
MAP_WIDTH, MAP_HEIGHT = 240, 160
# Pitch book parts: passports per chunk, and processes laying chunks out at once.
CHUNK_SIZE = 40
WORKERS = 2
# Stamped page numbers: where the stylesheet's @bottom-right box puts them (A4, pt).
MM = 72 / 25.4
PAGE_NUMBER_RIGHT, PAGE_NUMBER_BASELINE, PAGE_NUMBER_SIZE = 15 * MM, 7 * MM, 8
ANCHOR_PREFIX = "project-"  # a passport's id
TOC_PREFIX = "page-of-"  # where the contents line of a project wants its page number

logger = logging.getLogger(__name__)


def public_url(project: InvestmentProject, language: str) -> str:
    with translation.override(language):
        return f"{settings.SITE_URL.rstrip('/')}{project.get_absolute_url()}"


def url_parts(url: str) -> list[str]:
    """`url` cut after each "/": a printed link breaks only there (each part is kept
    whole), so no line ends in a hyphen that a PDF reader would drop on copying."""
    parts = url.split("/")
    return [part + "/" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def qr_data_uri(url: str) -> str:
    """A QR code of `url` as a small PNG data: URI (segno, no network): one raster
    image draws far faster than an SVG of hundreds of modules."""
    import segno

    return segno.make(url, error="m").png_data_uri(scale=4, border=2)


MAP_IMAGE = "img/investments-pdf-map.png"  # static file, made by draw_map_base()


def draw_map_base() -> bytes:
    """The schematic map every passport shares (PNG): the city's rough outline, a
    river and a grid. Saved as static/img/investments-pdf-map.png (a static file, not
    a data: URI, so the HTML stays small and WeasyPrint embeds it once); after
    changing the drawing, run `investments.pdf.save_map_base()` (manage.py shell).
    """
    from PIL import Image, ImageDraw

    scale = 3 * 4  # drawn large and scaled down by 4: smooth edges at 3x size
    image = Image.new("RGB", (MAP_WIDTH * scale, MAP_HEIGHT * scale), "#eef3f7")
    draw = ImageDraw.Draw(image)

    def points(*pairs):
        return [(x * scale, y * scale) for x, y in pairs]

    for i in range(1, 4):
        x, y = MAP_WIDTH * i / 4, MAP_HEIGHT * i / 4
        draw.line(points((x, 0), (x, MAP_HEIGHT)), fill="#c9d3dd", width=scale // 2)
        draw.line(points((0, y), (MAP_WIDTH, y)), fill="#c9d3dd", width=scale // 2)
    outline = points(
        (40, 30), (120, 12), (200, 34), (226, 92), (190, 146), (96, 150), (30, 120)
    )
    draw.polygon(outline, fill="#dfe8df", outline="#8aa38a", width=scale)
    river = [  # two cubic Béziers as a polyline
        _bezier((60, 150), (90, 110), (110, 90), (120, 60), t / 16) for t in range(17)
    ] + [_bezier((120, 60), (128, 40), (150, 30), (170, 10), t / 16) for t in range(17)]
    draw.line(points(*river), fill="#7fb0d6", width=2 * scale, joint="curve")
    image = image.resize((MAP_WIDTH * 3, MAP_HEIGHT * 3), Image.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def save_map_base() -> None:
    path = Path(settings.BASE_DIR) / "static" / MAP_IMAGE
    path.write_bytes(draw_map_base())


def _bezier(p0, p1, p2, p3, t):
    u = 1 - t
    return tuple(
        u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d
        for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
    )


def map_marker(latitude, longitude, box: dict | None = None) -> dict | None:
    """Where the project's point lies on the schematic map, in percent from its left
    and top; None when the project has no point or it lies outside the city's box
    (MIST_MAP_BOUNDS, the schematic of the city)."""
    box = box or settings.MIST_MAP_BOUNDS
    if latitude is None or longitude is None:
        return None
    lat, lon = float(latitude), float(longitude)
    if not (box["south"] <= lat <= box["north"] and box["west"] <= lon <= box["east"]):
        return None
    return {
        "image": static(MAP_IMAGE),
        "left": f"{(lon - box['west']) / (box['east'] - box['west']) * 100:.2f}",
        "top": f"{(box['north'] - lat) / (box['north'] - box['south']) * 100:.2f}",
    }


def coordinates(latitude, longitude) -> str:
    if latitude is None or longitude is None:
        return ""
    lat, lon = float(latitude), float(longitude)
    return (
        f"{abs(lat):.5f}° {'N' if lat >= 0 else 'S'}, "
        f"{abs(lon):.5f}° {'E' if lon >= 0 else 'W'}"
    )


def amount(value, currency: str) -> str:
    """`1 250 001 EUR`: whole units, no-break spaces between thousands (reads the
    same in both languages)."""
    if value is None:
        return "—"
    return f"{Decimal(value):,.0f}".replace(",", "\u00a0") + f"\u00a0{currency}"


def _secured(project: InvestmentProject) -> dict:
    """Funding secured, in the financing currency where rates allow (with the rate
    used), else per currency."""
    sources = list(project.funding_sources.all())
    target = project.financing_currency
    total, notes, by_currency = Decimal(0), [], {}
    for source in sources:
        by_currency[source.currency] = (
            by_currency.get(source.currency, 0) + source.amount
        )
    per_currency = "; ".join(amount(v, c) for c, v in by_currency.items()) or "—"
    try:
        for currency, value in by_currency.items():
            conversion = money.convert(value, currency, target)
            total += conversion.amount
            if currency != target:
                notes.append(
                    f"1 {currency} = {conversion.rate:.4f} {target}"
                    f" ({conversion.rate_date or ''} {conversion.source})".strip()
                )
    except money.RateMissing:
        return {
            "total": None,
            "by_currency": by_currency,
            "notes": [],
            "text": per_currency,
        }
    return {
        "total": total,
        "currency": target,
        "by_currency": by_currency,
        "notes": notes,
        "text": amount(total, target) if sources else "—",
    }


def _section(project: InvestmentProject, language: str) -> dict:
    """The texts of one language (labels come from the template's {% language %})."""

    def text(name):
        return (getattr(project, f"{name}_{language}", "") or "").strip()

    with translation.override(language):
        return {
            "language": language,
            "title": text("title"),
            "summary": text("summary") or text("description"),
            "problem": text("problem"),
            "readiness": str(project.get_readiness_display()),
            "status": str(project.get_status_display()),
            "type": str(project.get_project_type_display()),
            "strategy_area": project.strategy_area_label,
            "sectors": project.sector_labels,
            "instruments": project.instrument_labels,
            "sdgs": project.sdg_labels,
            "owner": (
                getattr(project.owner, f"name_{language}", "")
                or str(project.owner.name)
            ),
            "place": (
                getattr(project.place, f"name_{language}", "") if project.place else ""
            ),
            "indicators": [
                {
                    "name": getattr(i, f"name_{language}", "") or str(i.name),
                    "unit": i.unit,
                    "baseline": i.baseline,
                    "target": i.target,
                    "target_year": i.target_year,
                }
                for i in project.indicators.all()
            ],
            "url": (url := public_url(project, language)),
            "url_parts": url_parts(url),
        }


LANGUAGES = ("uk", "en")


def passport_context(
    project: InvestmentProject, *, language: str = "uk", qr: bool = True
) -> dict:
    """What a passport shows, `language` first: its texts lead, and its link and QR
    code go to the project's page in that language. `qr=False` leaves the QR code to
    be drawn later (`with_qr`): the pitch book draws them in its worker processes."""
    other = "en" if language == "uk" else "uk"
    context = {
        "project": project,
        "uk": (uk := _section(project, "uk")),
        "en": (en := _section(project, "en")),
        "first": (first := uk if language == "uk" else en),
        "second": uk if other == "uk" else en,
        "sections": [first, en if first is uk else uk],
        "total_cost": amount(project.total_cost, project.currency),
        "financing_sought": amount(
            project.financing_sought, project.financing_currency
        ),
        "secured": _secured(project),
        "map": map_marker(project.latitude, project.longitude),
        "coordinates": coordinates(project.latitude, project.longitude),
        "generated_at": timezone.now(),
    }
    return with_qr(context) if qr else context


def with_qr(context: dict) -> dict:
    context["qr"] = qr_data_uri(context["first"]["url"])
    return context


def with_pdf_data(projects: QuerySet[InvestmentProject]) -> QuerySet[InvestmentProject]:
    return projects.select_related("owner", "place").prefetch_related(
        "budget_lines", "funding_sources", "indicators"
    )


def render_passport(project: InvestmentProject, language: str = "uk") -> bytes:
    """The bilingual investment passport of one project (one or two A4 pages),
    `language` first."""
    context = {"p": passport_context(project, language=language)}
    return render_pdf("investments/pdf/passport.html", context)


# The pitch book.


@dataclass
class Part:
    """One rendered document of the pitch book."""

    pdf: bytes
    pages: int
    anchors: dict[str, tuple[int, tuple]]  # name -> (page index, (x1, y1, x2, y2) pt)
    links: list[tuple[int, str, tuple]]  # (page index, anchor, (x1, y1, x2, y2) pt)


def _render_part(html: str) -> Part:
    """Lay out and write one document; positions in PDF points from the page's
    bottom left."""
    from weasyprint import HTML

    # The box tree is large and is freed by reference counting: the cyclic
    # collector's passes over it cost a good part of the layout time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        document = HTML(
            string=html, base_url="file:///", url_fetcher=StaticFilesFetcher()
        ).render()
        anchors, links = {}, []
        for index, page in enumerate(document.pages):
            for name, rect in page.anchors.items():
                anchors.setdefault(name, (index, _points(rect, page.height)))
            for link_type, target, rect, _box in page.links:
                if link_type == "internal":
                    links.append((index, target, _points(rect, page.height)))
            page.links = []  # their targets are in other parts: linked after the merge
        return Part(document.write_pdf(), len(document.pages), anchors, links)
    finally:
        if collecting:
            gc.enable()


def _points(rect, page_height) -> tuple:
    """WeasyPrint's (x1, y1, x2, y2) in CSS px from the top left -> PDF points from
    the bottom left."""
    x1, y1, x2, y2 = rect
    return (x1 * 0.75, (page_height - y2) * 0.75, x2 * 0.75, (page_height - y1) * 0.75)


# Work for the render processes, set before they fork (so nothing is pickled on the
# way in): a list of (template name, context) pairs.
_TASKS: list[tuple[str, dict]] = []


def _run_task(index: int) -> Part:
    template, context = _TASKS[index]
    for item in context.get("items", ()):
        with_qr(item)
    return _render_part(render_to_string(template, context))


def _render_parts(tasks: list[tuple[str, dict]], workers: int) -> list[Part]:
    """Render the documents, `workers` at a time in forked processes when that is
    possible (not inside a daemonic process such as a Celery prefork worker)."""
    global _TASKS
    _TASKS = tasks
    try:
        if (
            workers > 1
            and len(tasks) > 1
            and not multiprocessing.current_process().daemon
            and "fork" in multiprocessing.get_all_start_methods()
        ):
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                return pool.map(_run_task, range(len(tasks)), chunksize=1)
        return [_run_task(index) for index in range(len(tasks))]
    finally:
        _TASKS = []


class _Stamper:
    """Writes page numbers onto merged pages in DejaVu Sans, embedded like every other
    text: WeasyPrint lays out the ten digits of each style once (a tiny page each),
    the digits become form XObjects shared by the whole book, and every number is a
    row of them, right-aligned (DejaVu's digits all have one width)."""

    BOX = 20.0  # pt: a digit's page is BOX x BOX, the digit at its left
    # style: (size in pt, colour, weight, digit advance in em from the font's hmtx)
    STYLES = {
        "regular": (8.0, "#666677", "normal", 1303 / 2048),
        "bold": (9.0, "#1d2733", "bold", 1425 / 2048),
    }

    def __init__(self, writer):
        self.writer = writer
        self.texts: dict[int, list[tuple[float, float, str, str]]] = {}

    def add(self, page, right, baseline, digits, *, font="regular"):
        self.texts.setdefault(page, []).append((right, baseline, digits, font))

    def _digits_pdf(self) -> bytes:
        from weasyprint import HTML

        pages = "".join(
            f'<p class="{style}">{digit}</p>'
            for style in self.STYLES
            for digit in "0123456789"
        )
        rules = "".join(
            f".{name} {{ font-size: {size:g}pt; color: {color}; font-weight: {bold} }}"
            for name, (size, color, bold, _advance) in self.STYLES.items()
        )
        html = (
            f"<html><head><style>@page {{ size: {self.BOX:g}pt; margin: 0 }}"
            f"body {{ margin: 0 }} p {{ margin: 0; break-after: page;"
            f" line-height: {self.BOX:g}pt; font-family: 'DejaVu Sans' }}{rules}"
            f"</style></head><body>{pages}</body></html>"
        )
        return HTML(string=html).write_pdf()

    def _digit_forms(self) -> dict[str, object]:
        """Name (/MistRegular3) -> the digit's form XObject, added to the writer."""
        from pypdf import PdfReader
        from pypdf.generic import (
            ArrayObject,
            DecodedStreamObject,
            FloatObject,
            NameObject,
        )

        reader = PdfReader(io.BytesIO(self._digits_pdf()))
        names = [
            f"/Mist{style.title()}{digit}"
            for style in self.STYLES
            for digit in "0123456789"
        ]
        forms = {}
        for name, page in zip(names, reader.pages, strict=True):
            form = DecodedStreamObject()
            form.set_data(page.get_contents().get_data())
            form[NameObject("/Type")] = NameObject("/XObject")
            form[NameObject("/Subtype")] = NameObject("/Form")
            form[NameObject("/BBox")] = ArrayObject(
                [
                    FloatObject(0),
                    FloatObject(0),
                    FloatObject(self.BOX),
                    FloatObject(self.BOX),
                ]
            )
            form[NameObject("/Resources")] = page["/Resources"].clone(self.writer)
            forms[name] = self.writer._add_object(form)
        return forms

    def apply(self):
        from pypdf.generic import (
            ArrayObject,
            DecodedStreamObject,
            DictionaryObject,
            NameObject,
        )

        if not self.texts:
            return
        forms = self._digit_forms()
        save = DecodedStreamObject()
        save.set_data(b"q")
        save = self.writer._add_object(save)
        for index, texts in self.texts.items():
            drawing, used = [], set()
            for right, baseline, digits, style in texts:
                size, _color, _weight, advance = self.STYLES[style]
                # The line box is BOX tall: DejaVu's baseline sits 0.346 em below
                # its middle (ascent 0.928, descent 0.236).
                y = baseline - (self.BOX / 2 - 0.346 * size)
                left = right - advance * size * len(digits)
                for position, digit in enumerate(digits):
                    x = left + advance * size * position
                    name = f"/Mist{style.title()}{digit}"
                    used.add(name)
                    drawing.append(f"q 1 0 0 1 {x:.2f} {y:.2f} cm {name} Do Q")
            page = self.writer.pages[index]
            if "/Resources" not in page:
                page[NameObject("/Resources")] = DictionaryObject()
            resources = page["/Resources"].get_object()
            if "/XObject" not in resources:
                resources[NameObject("/XObject")] = DictionaryObject()
            xobjects = resources["/XObject"].get_object()
            for name in used:
                xobjects[NameObject(name)] = forms[name]
            stamp = DecodedStreamObject()
            stamp.set_data(("Q q " + " ".join(drawing) + " Q").encode())
            contents = page.get("/Contents")
            existing = contents.get_object() if contents is not None else []
            if contents is not None and not isinstance(existing, ArrayObject):
                existing = [contents]
            # The page's own drawing is wrapped in q/Q so its state does not leak.
            page[NameObject("/Contents")] = ArrayObject(
                [save, *existing, self.writer._add_object(stamp)]
            )


def _both(message: str) -> str:
    """`message` in Ukrainian and English, "uk / en"."""
    texts = []
    for language in ("uk", "en"):
        with translation.override(language):
            texts.append(str(translation.gettext(message)))
    return " / ".join(dict.fromkeys(texts))


def render_pitch_book(
    projects=None, *, workers: int = WORKERS, chunk_size: int = CHUNK_SIZE
) -> bytes:
    """The forum pitch book: cover, table of contents with page numbers, then a
    passport per published project, each starting on a new page.

    The cover and contents and the chunks of passports are independent documents,
    rendered `workers` at a time; pypdf merges them and then writes the page numbers
    (the pages' own, and the contents', which only the merge knows), links the
    contents' lines to their pages and adds an outline of the projects. Pages are
    numbered from the first passport; the cover and contents are labelled i, ii, …"""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    projects = list(
        with_pdf_data(published_projects()) if projects is None else projects
    )
    items = [passport_context(project, qr=False) for project in projects]
    front, *parts = _render_pitch_book_parts(items, workers, chunk_size)

    writer = PdfWriter()
    for part in [front, *parts]:
        writer.append(PdfReader(io.BytesIO(part.pdf)), import_outline=False)
    first_pages, end = _first_pages(front, parts)
    _stamp_page_numbers(writer, front, first_pages, end)
    _link_and_label_pages(writer, front, first_pages, end)
    _add_outline(writer, items, first_pages, body=front.pages)
    writer.add_metadata({"/Title": _both("Investment forum pitch book")})
    writer.root_object[NameObject("/Lang")] = TextStringObject("uk")
    writer.compress_identical_objects()
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _render_pitch_book_parts(items: list, workers: int, chunk_size: int) -> list:
    """The cover and contents, then the passports in chunks of even size."""
    count = max(1, math.ceil(len(items) / chunk_size))
    size = max(1, math.ceil(len(items) / count))  # chunks of even size
    front = (
        "investments/pdf/pitch_book.html",
        {
            "items": [],
            "contents": items,
            "count": len(items),
            "generated_at": timezone.now(),
        },
    )
    chunks = [
        ("investments/pdf/pitch_book_part.html", {"items": items[i : i + size]})
        for i in range(0, len(items), size)
    ]
    return _render_parts([front, *chunks], workers)


def _first_pages(front, parts: list) -> tuple[dict, int]:
    """Each project's first page in the merged book (by code), and the page count."""
    first_pages, offset = {}, front.pages
    for part in parts:
        for name, (index, _rect) in part.anchors.items():
            if name.startswith(ANCHOR_PREFIX):
                first_pages[name.removeprefix(ANCHOR_PREFIX)] = offset + index
        offset += part.pages
    return first_pages, offset


def _stamp_page_numbers(writer, front, first_pages: dict, end: int) -> None:
    """Numbers on the passport pages, and in the contents next to each project."""
    stamper = _Stamper(writer)
    body = front.pages  # index of the first passport page
    for index in range(body, end):
        right = float(writer.pages[index].mediabox.right) - PAGE_NUMBER_RIGHT
        stamper.add(index, right, PAGE_NUMBER_BASELINE, str(index - body + 1))
    for code, page in first_pages.items():
        found = front.anchors.get(f"{TOC_PREFIX}{code}")
        if found:  # the number goes where the contents line left room for it
            index, (_x1, y1, x2, y2) = found
            baseline = y1 + (y2 - y1) * 0.236 / 1.164  # DejaVu's descent in its box
            stamper.add(
                index,
                x2,
                baseline,
                str(page - body + 1),
                font="bold",
            )
    stamper.apply()


def _link_and_label_pages(writer, front, first_pages: dict, end: int) -> None:
    """Contents lines link to their projects; the front pages are labelled i, ii, …
    and the passports 1, 2, …"""
    from pypdf.annotations import Link
    from pypdf.constants import PageLabelStyle

    for index, target, rect in front.links:
        code = target.removeprefix(ANCHOR_PREFIX)
        if code in first_pages:
            writer.add_annotation(
                index, Link(rect=rect, target_page_index=first_pages[code])
            )
    body = front.pages
    writer.set_page_label(0, body - 1, style=PageLabelStyle.LOWERCASE_ROMAN, start=1)
    if end > body:
        writer.set_page_label(body, end - 1, style=PageLabelStyle.DECIMAL, start=1)


def _add_outline(writer, items: list, first_pages: dict, body: int) -> None:
    """Bookmarks: the contents, then every project."""
    writer.add_outline_item(title=_both("Contents"), page_number=min(1, body - 1))
    for p in items:
        code = p["project"].code
        title = " / ".join(t for t in (p["uk"]["title"], p["en"]["title"]) if t)
        writer.add_outline_item(
            title=f"{code} · {title}", page_number=first_pages[code]
        )


# Stored files.


def passport_name(project: InvestmentProject, language: str = "uk") -> str:
    stamp = project.updated_at.strftime("%Y%m%d%H%M%S%f") if project.updated_at else "0"
    return f"{FOLDER}/passport-{project.code}-v{project.version}-{stamp}-{language}.pdf"


def pitch_book_key() -> str:
    """Changes whenever a published project is added, removed or changed."""
    figures = published_projects().aggregate(n=Count("pk"), last=Max("updated_at"))
    codes = ",".join(published_projects().values_list("code", flat=True))
    raw = f"{figures['n']}|{figures['last']}|{codes}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def pitch_book_name(key: str) -> str:
    return f"{FOLDER}/pitch-book-{key}.pdf"


def marker_name(key: str) -> str:
    return f"{FOLDER}/pitch-book-{key}.building"


def failed_name(key: str) -> str:
    return f"{FOLDER}/pitch-book-{key}.failed"


def store(name: str, content: bytes) -> str:
    storage = private_storage()
    if storage.exists(name):
        storage.delete(name)
    from django.core.files.base import ContentFile

    return storage.save(name, ContentFile(content))


def passport_pdf(project: InvestmentProject, language: str = "uk") -> bytes:
    """The stored passport of the project's current version with `language` first,
    made now if missing."""
    storage = private_storage()
    name = passport_name(project, language)
    if storage.exists(name):
        with storage.open(name, "rb") as handle:
            return handle.read()
    content = render_passport(project, language)
    store(name, content)
    return content


def _marker_started(key: str) -> datetime.datetime:
    """When the build behind the marker was started (written in the marker; a marker
    without a time counts from its file's modification time)."""
    storage = private_storage()
    with storage.open(marker_name(key), "rb") as handle:
        text = handle.read().decode("ascii", "replace").strip()
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        return storage.get_modified_time(marker_name(key))


def pitch_book_state(key: str, *, now: datetime.datetime | None = None) -> str:
    """ "ready", "building", "stalled" (being built for longer than
    MIST_PITCH_BOOK_STALL_SECONDS: its worker ended), "failed" or "missing"."""
    storage = private_storage()
    if storage.exists(pitch_book_name(key)):
        return "ready"
    if storage.exists(failed_name(key)):
        return "failed"
    if storage.exists(marker_name(key)):
        limit = datetime.timedelta(seconds=settings.MIST_PITCH_BOOK_STALL_SECONDS)
        try:
            started = _marker_started(key)
        except FileNotFoundError:  # the build ended between the two looks
            return "ready" if storage.exists(pitch_book_name(key)) else "missing"
        return "stalled" if (now or timezone.now()) - started > limit else "building"
    return "missing"


def start_pitch_book(key: str) -> bool:
    """Prepare the pitch book in the background unless it is ready or being built;
    a failed or stalled build starts again. False when there was nothing to do."""
    from core.tasks import enqueue
    from investments.tasks import build_pitch_book

    if pitch_book_state(key) not in ("missing", "failed", "stalled"):
        return False
    storage = private_storage()
    if storage.exists(failed_name(key)):
        storage.delete(failed_name(key))
    store(marker_name(key), timezone.now().isoformat().encode("ascii"))
    enqueue(build_pitch_book, key)
    return True


def build_pitch_book(key: str) -> str:
    """Render the pitch book and store it under `key` (the background task's work)."""
    storage = private_storage()
    try:
        content = render_pitch_book()
        name = store(pitch_book_name(key), content)
    except Exception:
        store(failed_name(key), b"")
        raise
    finally:
        if storage.exists(marker_name(key)):
            storage.delete(marker_name(key))
    return name


def open_pitch_book(key: str):
    return private_storage().open(pitch_book_name(key), "rb")
