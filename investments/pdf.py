"""The forum's PDFs: a bilingual investment passport per project, and the pitch book of
all published projects with a table of contents, both tagged PDF/UA-1 through core.pdf
(WeasyPrint).

The pitch book is one document, so that its structure tree, language and metadata
cover every page (merging separately rendered parts, as it once was, drops them); the
templates avoid what WeasyPrint lays out slowly (see static/css/investments-pdf.css).

Generated files are kept in private storage under `investments/pdf/`, keyed by what
they show (a project's version and last change; the pitch book's set of projects), so
a cached file is never stale and a new one is made only when something changed.
"""

import datetime
import hashlib
import io
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone, translation

from core.pdf import html_to_pdf, render_pdf
from core.storage import private_storage
from investments import money
from investments.models import InvestmentProject
from investments.oc4ids.export import published_projects

FOLDER = "investments/pdf"
MAP_WIDTH, MAP_HEIGHT = 240, 160


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
            # An imported project may have no directory owner yet: then the public
            # authority its OC4IDS data names.
            "owner": (
                getattr(project.owner, f"name_{language}", "") or project.owner_name
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


def render_pitch_book(projects=None) -> bytes:
    """The forum pitch book, one tagged PDF/UA-1 document through core.pdf: cover,
    table of contents, then a passport per published project, each starting on a new
    page. The contents give each project's page (CSS target-counter) and link to it;
    the outline lists the contents and every project; passports are numbered from 1
    (the page counter restarts with them), and the page labels say so: i, ii, … for
    the cover and contents, then 1, 2, …"""
    projects = list(
        with_pdf_data(published_projects()) if projects is None else projects
    )
    items = [passport_context(project) for project in projects]
    book = html_to_pdf(
        render_to_string(
            "investments/pdf/pitch_book.html",
            {"items": items, "count": len(items), "generated_at": timezone.now()},
        )
    )
    return _with_page_labels(book)


def _with_page_labels(book: bytes) -> bytes:
    """Page labels (which WeasyPrint does not write): the front pages i, ii, …, the
    passports from 1. The first passport's page is the outline's second entry (the
    contents, then the projects). The document is copied whole, its structure tree
    included."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle

    reader = PdfReader(io.BytesIO(book))
    outline = [item for item in reader.outline if not isinstance(item, list)]
    pages = len(reader.pages)
    body = reader.get_destination_page_number(outline[1]) if len(outline) > 1 else pages
    writer = PdfWriter(clone_from=reader)
    if body:
        writer.set_page_label(
            0, body - 1, style=PageLabelStyle.LOWERCASE_ROMAN, start=1
        )
    if pages > body:
        writer.set_page_label(body, pages - 1, style=PageLabelStyle.DECIMAL, start=1)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


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
