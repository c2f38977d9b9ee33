"""Bulk import for cluster staff, and the directory export for everyone."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.decorators import requires
from core.exports import download, header_choice, spreadsheet
from core.network import within_rate
from core.pagination import paginate
from core.storage import file_response
from core.views import render_page
from directory import exports, importing, permissions, queries
from directory.filters import DirectoryFilter
from directory.models import ImportBatch, ImportRow

ROWS_PER_PAGE = 50
ROW_FIELDS = ("row", "action", "key_kind", "key", "name", "changes", "errors", "batch")
RUNNING = importing.RUNNING


@login_required
@require_GET
@requires(permissions.can_import)
def import_list(request):
    """Earlier imports, newest first, with a link to upload another."""
    batches = ImportBatch.objects.select_related("created_by").defer("report")
    page = paginate(request, batches, 25)
    for batch in page.object_list:
        batch.stalled = importing.is_stalled(batch)
    context = {"page": page, "batches": page.object_list}
    return render(request, "directory/import_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@requires(permissions.can_import)
def import_upload(request):
    """Upload a CSV or XLSX file; its dry run starts in the background."""
    error = ""
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        if uploaded is None:
            error = _("Choose a CSV or XLSX file to upload.")
        else:
            try:
                batch = importing.create_import(
                    uploaded_file=uploaded, user=request.user
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                return redirect(batch)
    status = 400 if error else 200
    return render(
        request,
        "directory/import_upload.html",
        {"error": error, "columns": importing.COLUMNS},
        status=status,
    )


def _rows_for(batch: ImportBatch, action: str):
    rows = batch.rows.select_related("organization").only(
        *ROW_FIELDS, "organization__slug"
    )
    if action in ImportRow.Action.values:
        return rows.filter(action=action).order_by("row")
    rejects_first = Case(
        When(action=ImportRow.Action.REJECT, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return rows.annotate(rejects_first=rejects_first).order_by("rejects_first", "row")


@login_required
@require_GET
@requires(permissions.can_import)
def import_detail(request, pk):
    """A batch's status and counts, and its rows filterable by action; while a run is
    going on, the status fragment polls this same URL every second, until it ends
    or stalls."""
    batch = get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=pk)
    running = batch.status in RUNNING
    action = request.GET.get("action", "")
    if action not in ImportRow.Action.values:
        action = ""
    page = None
    if not running:
        page = paginate(request, _rows_for(batch, action), ROWS_PER_PAGE)
        for row in page.object_list:
            row.error_texts = importing.error_messages(row.errors)
            row.change_labels = [importing.field_label(name) for name in row.changes]
    restart_step = importing.restart_step(batch)
    stalled = running and bool(restart_step)
    processed = importing.processed_rows(batch)
    percent = (
        min(100, round(100 * processed / batch.total_rows)) if batch.total_rows else 0
    )
    context = {
        "batch": batch,
        "running": running,
        "polling": running and not stalled,
        "stalled": stalled,
        "last_heartbeat": importing.last_heartbeat(batch) if stalled else None,
        "restart_step": restart_step,
        "processed": processed,
        "percent": percent,
        "action": action,
        "actions": ImportRow.Action.choices,
        "page_obj": page,
        "rows": page.object_list if page else [],
        "can_apply": batch.status == ImportBatch.Status.CHECKED
        or (batch.status == ImportBatch.Status.FAILED and batch.report),
    }
    return render_page(
        request, "directory/import_detail.html", context, fragment="batch"
    )


@login_required
@require_GET
@requires(permissions.can_import)
def import_file(request, pk):
    """The spreadsheet as uploaded, under its own name, for those who run imports."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    return file_response(batch.file, filename=batch.original_name)


@login_required
@require_POST
@requires(permissions.can_import)
def import_apply(request, pk):
    """Apply a checked batch after the person confirmed it."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the confirmation box to apply the import."))
    elif importing.start_apply(batch, user=request.user):
        messages.success(
            request, _("Applying the import; the page shows the progress.")
        )
    else:
        messages.error(
            request, _("This import cannot be applied in its current state.")
        )
    if request.htmx:
        return HttpResponseClientRedirect(batch.get_absolute_url())
    return redirect(batch)


@login_required
@require_POST
@requires(permissions.can_import)
def import_restart(request, pk):
    """Start a stalled dry run or apply (or a failed dry run) again after the person
    confirmed it."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the confirmation box to start it again."))
    elif importing.restart_import(batch, user=request.user):
        messages.success(request, _("Started again; the page shows the progress."))
    else:
        messages.error(
            request,
            _(
                "This import cannot be started again now: it is still running, has "
                "ended, or someone started it again already."
            ),
        )
    if request.htmx:
        return HttpResponseClientRedirect(batch.get_absolute_url())
    return redirect(batch)


def _stamp() -> str:
    return timezone.localdate().isoformat()


@login_required
@require_GET
@requires(permissions.can_import)
def import_rejected_rows(request, pk, fmt):
    """The rejected rows of a batch as uploaded, with an "errors" column."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    stem = batch.original_name.rsplit(".", 1)[0] or "import"
    rows = importing.rejected_rows(batch)
    if fmt == "csv":  # as text, the way the importer read each cell
        rows = ([importing.cell_text(cell) for cell in row] for row in rows)
    return spreadsheet(
        rows, fmt=fmt, name=f"{stem}-rejected-{_stamp()}", title=_("Organizations")
    )


@login_required
@require_GET
@requires(permissions.can_import)
def import_template(request, fmt):
    """An empty import file: the column names and one example row."""
    return spreadsheet(
        importing.template_rows(),
        fmt=fmt,
        name="mist-import-template",
        title=_("Organizations"),
    )


@require_GET
def organization_export(request, fmt):
    """The directory as CSV, XLSX or JSON: what the reader may see, with the list
    page's search and filters."""
    if fmt not in exports.FORMATS or not permissions.can_export(request.user):
        raise Http404
    if not request.user.is_authenticated and not within_rate(
        request,
        "directory-export",
        limit=settings.MIST_ANONYMOUS_EXPORTS_PER_HOUR,
        seconds=3600,
    ):
        return HttpResponse(
            _("Too many downloads from your address: try again later, or sign in."),
            status=429,
            content_type="text/plain; charset=utf-8",
            headers={"Retry-After": "3600"},
        )
    organizations = queries.organizations_visible_to(request.user)
    filters = request.GET.copy()
    filters.pop("header", None)
    if filters:
        # Invalid filters are ignored, as on the list page.
        organizations = DirectoryFilter(
            filters, queryset=organizations, user=request.user
        ).qs
    else:
        organizations = organizations.order_by("name_uk", "pk")
    name = f"mist-organizations-{_stamp()}"
    base_url = request.build_absolute_uri("/").rstrip("/")
    if fmt == "json":
        return download(
            exports.json_chunks(organizations, base_url=base_url),
            filename=f"{name}.json",
        )
    return spreadsheet(
        exports.table_rows(organizations, base_url=base_url),
        columns=exports.columns(),
        header=header_choice(request),
        fmt=fmt,
        name=name,
        title=_("Organizations"),
    )
