"""Open data (OC4IDS, CSV, XLSX), the OC4IDS and exchange-rate imports, and the
forum's PDFs (passport, pitch book)."""

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exports import header_choice, spreadsheet
from core.pagination import paginate
from core.storage import private_storage
from investments import pdf, queries, rates
from investments.models import ExchangeRate
from investments.oc4ids import export, importing
from investments.permissions import is_city_side

UPLOADS = "investments/uploads"
MAX_UPLOAD = 20 * 1024 * 1024


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _require_city(user) -> None:
    if not is_city_side(user):
        raise PermissionDenied


@require_GET
def open_data(request):
    """The downloads page: OC4IDS per language, CSV, XLSX."""
    context = {
        "project_count": export.published_projects().count(),
        "can_import": is_city_side(request.user),
    }
    return render(request, "investments/open_data.html", context)


@require_GET
def publication_policy(request):
    """What the open data publishes, when, under which licence, and what never."""
    context = {
        "license": settings.MIST_OC4IDS_LICENSE,
        "publisher": export.publisher(get_language() or "uk"),
    }
    return render(request, "investments/open_data_policy.html", context)


@require_GET
def oc4ids_export(request):
    """The published portfolio as an OC4IDS project package (?language=uk|en)."""
    language = request.GET.get("language", "en")
    if language not in export.LANGUAGES:
        raise Http404
    package = export.build_package(language, base_url=_base_url(request))
    response = HttpResponse(
        export.package_json(package), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="mist-oc4ids-{language}.json"'
    )
    # The package's language, not the page's (LocaleMiddleware leaves a set one).
    response["Content-Language"] = language
    return response


@require_GET
def portfolio_export(request, fmt):
    """The published portfolio as a flat table, CSV or XLSX."""
    return spreadsheet(
        export.table_rows(base_url=_base_url(request)),
        columns=export.columns(),
        header=header_choice(request),
        fmt=fmt,
        name=f"mist-investments-{timezone.localdate().isoformat()}",
        title=gettext("Investment projects"),
    )


# Imports: upload -> dry run report -> apply. The file waits in private storage.


def _save_upload(upload, prefix: str) -> str:
    name = f"{UPLOADS}/{prefix}-{uuid.uuid4().hex}.bin"
    return private_storage().save(name, ContentFile(upload.read()))


def _read_upload(token: str, prefix: str) -> bytes:
    if not token.startswith(f"{UPLOADS}/{prefix}-") or ".." in token:
        raise Http404
    storage = private_storage()
    if not storage.exists(token):
        raise Http404
    with storage.open(token, "rb") as handle:
        return handle.read()


def _upload_error(upload) -> str:
    if upload is None:
        return gettext("Choose a file.")
    if upload.size > MAX_UPLOAD:
        return gettext("The file is larger than 20 MB.")
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def oc4ids_import(request):
    """Upload an OC4IDS package and see the dry run's report."""
    _require_city(request.user)
    context = {"error": "", "report": None, "languages": export.LANGUAGES}
    if request.method == "POST":
        upload = request.FILES.get("file")
        language = request.POST.get("language") or None
        context["error"] = _upload_error(upload)
        if language not in (None, *export.LANGUAGES):
            context["error"] = gettext("Choose Ukrainian or English.")
        if not context["error"]:
            token = _save_upload(upload, "oc4ids")
            try:
                data = importing.read_package(_read_upload(token, "oc4ids"))
                context["report"] = importing.check_package(data, language=language)
                context["token"] = token
                context["language"] = language or ""
            except importing.PackageError as error:
                context["error"] = str(error)
    return render(request, "investments/open_data_import.html", context)


@login_required
@require_POST
def oc4ids_import_apply(request):
    """Apply a checked OC4IDS package."""
    _require_city(request.user)
    token = request.POST.get("token", "")
    language = request.POST.get("language") or None
    if language not in (None, *export.LANGUAGES):
        raise Http404
    data = importing.read_package(_read_upload(token, "oc4ids"))
    report = importing.apply_package(
        data,
        language=language,
        by=request.user,
        publish=request.POST.get("publish") == "on",
    )
    private_storage().delete(token)
    context = {"report": report, "error": "", "languages": export.LANGUAGES}
    return render(request, "investments/open_data_import.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rates_page(request):
    """The exchange rates: a list, and a CSV upload with a dry run."""
    _require_city(request.user)
    context = {"error": "", "report": None}
    if request.method == "POST":
        upload = request.FILES.get("file")
        context["error"] = _upload_error(upload)
        if not context["error"]:
            token = _save_upload(upload, "rates")
            report = rates.check_rates(_read_upload(token, "rates"))
            context["report"] = report
            context["token"] = token
            if report.file_error:
                context["error"] = report.file_error
    currency = request.GET.get("currency", "").upper()
    rows = ExchangeRate.objects.all()
    if currency:
        rows = rows.filter(currency=currency)
    context["currency"] = currency
    context["currencies"] = (
        ExchangeRate.objects.order_by("currency")
        .values_list("currency", flat=True)
        .distinct()
    )
    context["page"] = paginate(request, rows.order_by("-rate_date", "currency"), 50)
    return render(request, "investments/open_data_rates.html", context)


@login_required
@require_POST
def rates_apply(request):
    _require_city(request.user)
    token = request.POST.get("token", "")
    report = rates.import_rates(_read_upload(token, "rates"), by=request.user)
    private_storage().delete(token)
    context = {
        "report": report,
        "error": report.file_error,
        "currencies": [],
        "currency": "",
        "page": paginate(
            request, ExchangeRate.objects.order_by("-rate_date", "currency"), 50
        ),
    }
    return render(request, "investments/open_data_rates.html", context)


# PDFs.


@require_GET
def project_passport(request, slug):
    """The bilingual investment passport (PDF) of a project the reader may see, the
    page's language first and linking the project's page in that language."""
    project = get_object_or_404(
        pdf.with_pdf_data(queries.projects_visible_to(request.user)), slug=slug
    )
    language = get_language() if get_language() in pdf.LANGUAGES else "uk"
    content = pdf.passport_pdf(project, language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="passport-{project.code}-{language}.pdf"'
    )
    response["Content-Language"] = language
    return response


@login_required
@require_http_methods(["GET", "POST"])
def pitch_book(request):
    """The forum pitch book: prepare it in the background, watch, download."""
    _require_city(request.user)
    key = pdf.pitch_book_key()
    if request.method == "POST":
        pdf.start_pitch_book(key)
        return redirect(reverse("investments:pitch-book"))
    context = {
        "key": key,
        "state": pdf.pitch_book_state(key),
        "count": export.published_projects().count(),
    }
    template = "investments/open_data_pitch_book.html"
    if request.headers.get("HX-Request"):
        template += "#status"
    return render(request, template, context)


@login_required
@require_GET
def pitch_book_download(request):
    _require_city(request.user)
    key = pdf.pitch_book_key()
    if pdf.pitch_book_state(key) != "ready":
        raise Http404
    return FileResponse(
        pdf.open_pitch_book(key),
        as_attachment=True,
        filename=f"mist-pitch-book-{timezone.localdate().isoformat()}.pdf",
        content_type="application/pdf",
    )
