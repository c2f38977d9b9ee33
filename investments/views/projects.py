"""A project's page, its form, workflow status and history."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pagination import paginate
from core.views import add_errors_to_form
from investments import money, permissions, queries, services
from investments.forms import (
    BudgetLineFormSet,
    FundingSourceFormSet,
    IndicatorFormSet,
    ProjectForm,
    StatusForm,
    formset_rows,
    initial_from_submission,
)
from investments.models import (
    InvestmentProject,
)
from investments.quality import describe


def _project_or_404(request, slug, *, may=None) -> InvestmentProject:
    """The project the user may see (else 404); with `may`, a predicate on the user
    and the project that must also hold (else 403)."""
    try:
        project = queries.project_for_page(request.user, slug)
    except InvestmentProject.DoesNotExist as error:
        raise Http404 from error
    if may is not None and not may(request.user, project):
        raise PermissionDenied
    return project


@require_GET
def project_detail(request, slug):
    project = _project_or_404(request, slug)
    user = request.user
    interest = queries.own_interest(user, project)
    city = permissions.is_city_side(user)
    currency = request.GET.get("currency") or (
        "USD" if project.financing_currency == "UAH" else "UAH"
    )
    # Today's rates from the catalogue's cache, not a query per currency.
    with money.rates_held(money.rates_on(queries.CURRENCIES), queries.CURRENCIES):
        conversion = None
        if currency in queries.CURRENCIES and currency != project.financing_currency:
            try:
                conversion = money.convert(
                    project.financing_sought, project.financing_currency, currency
                )
            except money.RateMissing:
                conversion = None
        secured_total = _secured_total(project)
    context = {
        "project": project,
        "documents": queries.documents_for(user, project, interest=interest),
        "interest": interest,
        "conversion": conversion,
        "can_edit": permissions.can_edit_project(user, project),
        "can_express_interest": interest is None
        and permissions.can_express_interest(user, project),
        "needs_verification": permissions.needs_investor_verification(user),
        "is_city": city,
        "warnings": [describe(w) for w in project.quality_warnings] if city else [],
        "status_form": StatusForm() if city else None,
        "next_statuses": [
            (status, InvestmentProject.Status(status).label)
            for status in services.allowed_statuses(project)
        ]
        if city
        else [],
        "secured_total": secured_total,
        "imported_parties": queries.imported_parties(project),
        "can_add_party": permissions.can_add_party_to_directory(user, project),
        "tile_url": settings.MIST_MAP_TILE_URL,
    }
    return render(request, "investments/project_detail.html", context)


@login_required
@require_POST
def project_party_add(request, slug):
    """Staff add a party of the project's imported OC4IDS data to the directory."""
    project = _project_or_404(request, slug, may=permissions.can_add_party_to_directory)
    try:
        organization = services.add_party_to_directory(
            project, request.POST.get("party", ""), by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is in the directory now, awaiting verification.")
            % {"name": organization.name_uk},
        )
    return redirect(project)


def _secured_total(project):
    total = Decimal(0)
    for source in project.funding_sources.all():
        try:
            total += money.convert(
                source.amount, source.currency, project.currency
            ).amount
        except money.RateMissing:
            return None
    return total


def _formsets(request, project=None):
    data = request.POST if request.method == "POST" else None
    instance = project or InvestmentProject()
    return {
        "budget_lines": BudgetLineFormSet(data, instance=instance, prefix="budget"),
        "funding_sources": FundingSourceFormSet(
            data, instance=instance, prefix="funding"
        ),
        "indicators": IndicatorFormSet(data, instance=instance, prefix="indicators"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    """A new draft; with `submission` (query or form) adopted from an accepted
    submission, its form prefilled from it."""
    if not permissions.can_create_project(request.user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    submission = None
    if source.get("submission", "").isdigit():
        submission = get_object_or_404(
            queries.adoptable_submissions(request.user), pk=source["submission"]
        )
    return _project_form(request, None, source_submission=submission)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, slug):
    project = _project_or_404(request, slug, may=permissions.can_edit_project)
    return _project_form(request, project)


def _project_form(
    request, project: InvestmentProject | None, *, source_submission=None
):
    """The project form with its tables: a new draft when `project` is None."""
    initial = initial_from_submission(source_submission) if source_submission else None
    form = ProjectForm(request.POST or None, instance=project, initial=initial)
    formsets = _formsets(request, project)
    if (
        request.method == "POST"
        and form.is_valid()
        and all(formset.is_valid() for formset in formsets.values())
    ):
        fields = form.service_fields()
        parts = {name: formset_rows(fs) for name, fs in formsets.items()}
        try:
            if project is None:
                saved = services.create_project(
                    by=request.user,
                    fields=fields,
                    parts=parts,
                    source_submission=source_submission,
                )
                message = _("The project was created as a draft.")
            else:
                saved = services.update_project(
                    project,
                    by=request.user,
                    fields=fields,
                    parts=parts,
                    expected_version=form.cleaned_data.get("version"),
                )
                message = _("The project was saved.")
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, message)
            return redirect(saved)
    context = {
        "form": form,
        "formsets": formsets,
        "project": project,
        "source_submission": source_submission,
    }
    return render(request, "investments/project_form.html", context)


@login_required
@require_POST
def project_status(request, slug):
    project = _project_or_404(request, slug, may=permissions.can_change_status)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_status(
                project,
                form.cleaned_data["status"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The project is now “%(status)s”.")
                % {"status": InvestmentProject.Status(project.status).label},
            )
    else:
        messages.error(request, _("Choose a status."))
    return redirect(project)


@login_required
@require_GET
def project_history(request, slug):
    project = _project_or_404(request, slug, may=permissions.can_see_history)
    page = paginate(request, queries.project_history(project))
    context = {"project": project, "page_obj": page, "changes": page.object_list}
    return render(request, "investments/project_history.html", context)
