"""What the city learns: the aggregate figures (public and staff), their CSV, and
the survey import."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core import exports
from talent import aggregates, permissions


def _figures_page(request, *, staff: bool):
    """Every small cell shows "fewer than 5" unless `staff`."""
    context = {
        "tables": aggregates.tables(staff=staff),
        "staff": staff,
        "can_view_staff": staff or permissions.can_view_staff_figures(request.user),
        "generated_at": timezone.now(),
    }
    return render(request, "talent/figures.html", context)


@require_GET
def figures(request):
    """The public aggregate page."""
    return _figures_page(request, staff=False)


@login_required
@require_GET
def figures_staff(request):
    if not permissions.can_view_staff_figures(request.user):
        raise PermissionDenied
    return _figures_page(request, staff=True)


@require_GET
def figures_csv(request):
    staff = request.GET.get("staff") == "1"
    if staff and not permissions.can_view_staff_figures(request.user):
        raise PermissionDenied
    return exports.download(
        exports.csv_chunks(list(aggregates.csv_rows(staff=staff))),
        filename="talent-figures.csv",
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_import(request):
    """Upload survey answers: a dry run first, then the apply, each with its report."""
    from talent import survey
    from talent.forms import SurveyForm

    if not permissions.can_import_survey(request.user):
        raise PermissionDenied
    form = SurveyForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        if "apply" in request.POST:
            report = survey.import_survey(data, upload.name, by=request.user)
        else:
            report = survey.check_survey(data, upload.name)
    context = {"form": form, "report": report, "columns": survey.COLUMNS}
    return render(request, "talent/survey_import.html", context)
