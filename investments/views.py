"""Pages of the portfolio: catalogue, projects, investor pipeline, dashboard."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.models import Role, User
from core.pagination import paginate
from core.storage import file_response
from core.translation import active_language
from investments import money, permissions, queries, services
from investments.cards import project_cards
from investments.forms import (
    BudgetLineFormSet,
    CatalogueFilterForm,
    DocumentForm,
    FundingSourceFormSet,
    IndicatorFormSet,
    InterestForm,
    MoveInterestForm,
    PhotoForm,
    ProjectForm,
    StatusForm,
    TermsForm,
    VerificationRequestForm,
    formset_rows,
)
from investments.models import (
    Interest,
    InvestmentProject,
    InvestorVerification,
    ProjectDocument,
    ProjectPhoto,
)
from investments.quality import describe


def _clean_url(request) -> str:
    query = request.GET.copy()
    for key in list(query):
        if not any(query.getlist(key)):
            del query[key]
    encoded = query.urlencode()
    return request.path + (f"?{encoded}" if encoded else "")


def _filtered_catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # invalid filters are ignored and shown as errors
    rates = money.rates_on(queries.CURRENCIES)
    projects = queries.filter_projects(
        queries.catalogue_projects(), **form.filters(), rates=rates
    )
    if form.search_text:
        projects = queries.search_projects(projects, form.search_text)
    return form, projects, rates


@require_GET
def project_list(request):
    """The public catalogue: search, filters, sorting, totals, map; htmx-aware."""
    form, projects, rates = _filtered_catalogue(request)
    currency = form.currency_code
    totals = queries.catalogue_totals(projects, currency=currency, rates=rates)
    projects = queries.sort_projects(
        projects,
        form.ordering,
        language=active_language(),
        currency=currency,
        rates=rates,
    )
    page = paginate(request, projects, count=totals.count)
    cards = project_cards(page.object_list, currency=currency, rates=rates)
    query = _clean_url(request).partition("?")[2]
    context = {
        "form": form,
        "page_obj": page,
        "cards": cards,
        "totals": totals,
        "currency": currency,
        "search_text": form.search_text,
        "active_filters": form.active_filter_count(),
        "filter_fields": [form[name] for name in CatalogueFilterForm.FILTERS],
        "map_url": reverse("investments:catalogue-map")
        + (f"?{query}" if query else ""),
        "tile_url": settings.MIST_MAP_TILE_URL,
        "can_create": permissions.can_create_project(request.user),
    }
    template = "investments/project_list.html"
    if request.htmx and not request.htmx.boosted:
        response = render(request, f"{template}#results", context)
        response["HX-Push-Url"] = _clean_url(request)
        return response
    return render(request, template, context)


@require_GET
def catalogue_map(request):
    """The catalogue's markers (same filters), fetched by the map's script."""
    _form, projects, _rates = _filtered_catalogue(request)
    language = active_language()
    points = queries.map_points(projects, language)
    base = reverse("investments:project-detail", kwargs={"slug": "__slug__"})
    for point in points:
        point["url"] = base.replace("__slug__", point.pop("slug"))
    return JsonResponse({"points": points})


@login_required
@require_GET
def project_manage(request):
    """Every project for the city, drafts included, by status."""
    if not permissions.is_city_side(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    projects = queries.projects_visible_to(request.user).select_related(
        "owner", "updated_by"
    )
    if status in InvestmentProject.Status.values:
        projects = projects.filter(status=status)
    search = (request.GET.get("q") or "").strip()
    if search:
        projects = queries.search_projects(projects, search)
    projects = projects.order_by("-updated_at", "-id")
    page = paginate(request, projects)
    context = {
        "page_obj": page,
        "projects": page.object_list,
        "status": status,
        "statuses": InvestmentProject.Status.choices,
        "search_text": search,
    }
    return render(request, "investments/project_manage.html", context)


def _project_or_404(request, slug) -> InvestmentProject:
    try:
        return queries.project_for_page(request.user, slug)
    except InvestmentProject.DoesNotExist as error:
        raise Http404 from error


@require_GET
def project_detail(request, slug):
    project = _project_or_404(request, slug)
    user = request.user
    interest = None
    if user.is_authenticated and user.role == Role.INVESTOR:
        interest = Interest.objects.filter(project=project, investor=user).first()
    city = permissions.is_city_side(user)
    currency = request.GET.get("currency") or (
        "USD" if project.financing_currency == "UAH" else "UAH"
    )
    conversion = None
    if currency in queries.CURRENCIES and currency != project.financing_currency:
        try:
            conversion = money.convert(
                project.financing_sought, project.financing_currency, currency
            )
        except money.RateMissing:
            conversion = None
    context = {
        "project": project,
        "documents": queries.documents_for(user, project, interest=interest),
        "interest": interest,
        "conversion": conversion,
        "can_edit": permissions.can_edit_project(user, project),
        "can_express_interest": interest is None
        and permissions.can_express_interest(user, project),
        "needs_verification": user.is_authenticated
        and user.role == Role.INVESTOR
        and not permissions.is_verified_investor(user),
        "is_city": city,
        "warnings": [describe(w) for w in project.quality_warnings] if city else [],
        "status_form": StatusForm() if city else None,
        "next_statuses": [
            (status, InvestmentProject.Status(status).label)
            for status in services.allowed_statuses(project)
        ]
        if city
        else [],
        "secured_total": _secured_total(project),
        "tile_url": settings.MIST_MAP_TILE_URL,
    }
    return render(request, "investments/project_detail.html", context)


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
    if not permissions.can_create_project(request.user):
        raise PermissionDenied
    form = ProjectForm(request.POST or None)
    formsets = _formsets(request)
    if (
        request.method == "POST"
        and form.is_valid()
        and all(formset.is_valid() for formset in formsets.values())
    ):
        try:
            project = services.create_project(
                by=request.user,
                fields=form.service_fields(),
                parts={name: formset_rows(fs) for name, fs in formsets.items()},
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The project was created as a draft."))
            return redirect(project)
    context = {"form": form, "formsets": formsets, "project": None}
    return render(request, "investments/project_form.html", context)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, slug):
    project = _project_or_404(request, slug)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, instance=project)
    formsets = _formsets(request, project)
    if (
        request.method == "POST"
        and form.is_valid()
        and all(formset.is_valid() for formset in formsets.values())
    ):
        try:
            project = services.update_project(
                project,
                by=request.user,
                fields=form.service_fields(),
                parts={name: formset_rows(fs) for name, fs in formsets.items()},
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The project was saved."))
            return redirect(project)
    context = {"form": form, "formsets": formsets, "project": project}
    return render(request, "investments/project_form.html", context)


@login_required
@require_POST
def project_status(request, slug):
    project = _project_or_404(request, slug)
    if not permissions.can_change_status(request.user, project):
        raise PermissionDenied
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
    project = _project_or_404(request, slug)
    if not permissions.can_see_history(request.user, project):
        raise PermissionDenied
    page = paginate(request, queries.project_history(project))
    context = {"project": project, "page_obj": page, "changes": page.object_list}
    return render(request, "investments/project_history.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_files(request, slug):
    """Documents and photos of a project: list, upload (officers)."""
    project = _project_or_404(request, slug)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    document_form = DocumentForm(prefix="doc")
    photo_form = PhotoForm(prefix="photo")
    if request.method == "POST":
        if "doc-file" in request.FILES or request.POST.get("kind") == "document":
            document_form = DocumentForm(request.POST, request.FILES, prefix="doc")
            if document_form.is_valid():
                services.add_document(
                    project, by=request.user, **document_form.cleaned_data
                )
                messages.success(request, _("The document was added."))
                return redirect("investments:project-files", slug=project.slug)
        else:
            photo_form = PhotoForm(request.POST, request.FILES, prefix="photo")
            if photo_form.is_valid():
                services.add_photo(project, by=request.user, **photo_form.cleaned_data)
                messages.success(request, _("The photo was added."))
                return redirect("investments:project-files", slug=project.slug)
    context = {
        "project": project,
        "documents": project.documents.all(),
        "photos": project.photos.all(),
        "document_form": document_form,
        "photo_form": photo_form,
        "warnings": [describe(w) for w in project.quality_warnings],
    }
    return render(request, "investments/project_files.html", context)


@require_GET
def document_download(request, pk):
    """A document, only through this permission check; limited downloads audited."""
    document = get_object_or_404(
        ProjectDocument.objects.select_related("project"), pk=pk
    )
    if not permissions.can_see_document(request.user, document):
        raise Http404
    response = file_response(
        document.file,
        filename=document.original_name or document.file.name.rsplit("/", 1)[-1],
    )
    services.record_document_download(document, by=request.user)
    return response


@require_GET
def photo(request, pk):
    """A project's photo, for whoever may see the project: drafts' photos stay
    with the city. Shown inline (the pages' <img>); kept by the browser only."""
    item = get_object_or_404(queries.photos_visible_to(request.user), pk=pk)
    return file_response(
        item.image,
        filename=item.image.name.rsplit("/", 1)[-1],
        as_attachment=False,
        cache_control="private, max-age=3600",
    )


@login_required
@require_POST
def document_delete(request, pk):
    document = get_object_or_404(
        ProjectDocument.objects.select_related("project"), pk=pk
    )
    if not permissions.can_edit_project(request.user, document.project):
        raise PermissionDenied
    slug = document.project.slug
    services.delete_document(document, by=request.user)
    messages.success(request, _("The document was deleted."))
    return redirect("investments:project-files", slug=slug)


@login_required
@require_POST
def photo_delete(request, pk):
    photo = get_object_or_404(ProjectPhoto.objects.select_related("project"), pk=pk)
    if not permissions.can_edit_project(request.user, photo.project):
        raise PermissionDenied
    slug = photo.project.slug
    services.delete_photo(photo, by=request.user)
    messages.success(request, _("The photo was deleted."))
    return redirect("investments:project-files", slug=slug)


# Investors.


@login_required
@require_http_methods(["GET", "POST"])
def interest_create(request, slug):
    project = _project_or_404(request, slug)
    if Interest.objects.filter(project=project, investor=request.user).exists():
        messages.info(
            request, _("You have already expressed interest in this project.")
        )
        return redirect("investments:my-interests")
    if not permissions.can_express_interest(request.user, project):
        raise PermissionDenied
    form = InterestForm(request.POST or None, project=project)
    if form.is_valid():
        try:
            interest = services.express_interest(
                project, investor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you: the city has your expression of interest."),
            )
            return redirect("investments:interest-terms", pk=interest.pk)
    context = {"project": project, "form": form}
    return render(request, "investments/interest_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def interest_terms(request, pk):
    """The confidentiality terms, confirmed as a separate step."""
    interest = get_object_or_404(queries.interests_visible_to(request.user), pk=pk)
    if not permissions.can_confirm_terms(request.user, interest):
        raise PermissionDenied
    form = TermsForm(request.POST or None)
    if form.is_valid():
        services.confirm_terms(interest, by=request.user)
        messages.success(request, _("You confirmed the confidentiality terms."))
        return redirect("investments:my-interests")
    context = {"interest": interest, "project": interest.project, "form": form}
    return render(request, "investments/interest_terms.html", context)


@login_required
@require_GET
def my_interests(request):
    interests = (
        Interest.objects.filter(investor=request.user)
        .select_related("project")
        .order_by("-created_at")
    )
    page = paginate(request, interests)
    verification = InvestorVerification.objects.filter(user=request.user).first()
    context = {
        "page_obj": page,
        "interests": page.object_list,
        "verification": verification,
        "is_investor": request.user.role == Role.INVESTOR,
        "verification_form": VerificationRequestForm(),
    }
    return render(request, "investments/my_interests.html", context)


@login_required
@require_POST
def verification_request(request):
    if not permissions.can_request_verification(request.user):
        raise PermissionDenied
    form = VerificationRequestForm(request.POST)
    if form.is_valid():
        services.request_verification(request.user, note=form.cleaned_data["note"])
        messages.success(request, _("Your request went to the cluster staff."))
    return redirect("investments:my-interests")


# The city's pipeline.


@login_required
@require_GET
def pipeline(request):
    """The board: one column per stage; filters by project and search."""
    if not permissions.can_work_pipeline(request.user):
        raise PermissionDenied
    interests = queries.interests_visible_to(request.user)
    project = request.GET.get("project", "")
    if project.isdigit():
        interests = interests.filter(project_id=int(project))
    search = (request.GET.get("q") or "").strip()
    if search:
        interests = interests.filter(
            Q(investor__full_name__icontains=search)
            | Q(investor__email__icontains=search)
            | Q(project__code__icontains=search)
            | Q(project__title_uk__icontains=search)
            | Q(project__title_en__icontains=search)
        )
    columns = queries.board_columns(interests)
    projects = (
        InvestmentProject.objects.filter(interests__isnull=False)
        .distinct()
        .order_by("code")
        .only("id", "code")
    )
    context = {
        "columns": columns,
        "total": sum(len(items) for _stage, _label, items in columns),
        "projects": projects,
        "project_filter": project,
        "search_text": search,
        "stages": Interest.Stage.choices,
        "stale_days": services.reminder_days(),
    }
    return render(request, "investments/pipeline.html", context)


def _interest_for_officer(request, pk) -> Interest:
    if not permissions.can_work_pipeline(request.user):
        raise PermissionDenied
    return get_object_or_404(queries.interests_visible_to(request.user), pk=pk)


@login_required
@require_GET
def interest_detail(request, pk):
    interest = _interest_for_officer(request, pk)
    form = MoveInterestForm(
        initial={"stage": interest.stage, "note": interest.officer_note}
    )
    context = {"interest": interest, "project": interest.project, "form": form}
    return render(request, "investments/interest_detail.html", context)


@login_required
@require_POST
def interest_move(request, pk):
    interest = _interest_for_officer(request, pk)
    form = MoveInterestForm(request.POST)
    if form.is_valid():
        try:
            services.move_interest(
                interest,
                form.cleaned_data["stage"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Moved to “%(stage)s”.")
                % {"stage": Interest.Stage(interest.stage).label},
            )
            target = reverse("investments:pipeline")
            if request.htmx:
                return HttpResponseClientRedirect(target)
            return redirect(target)
    context = {"interest": interest, "project": interest.project, "form": form}
    return render(request, "investments/interest_detail.html", context, status=400)


@login_required
@require_POST
def interest_accept(request, pk):
    interest = _interest_for_officer(request, pk)
    try:
        services.accept_interest(interest, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Accepted: limited documents open once the investor confirms the terms."),
        )
    return redirect("investments:interest-detail", pk=interest.pk)


# Dashboard.


@login_required
@require_GET
def dashboard(request):
    if not permissions.can_view_dashboard(request.user):
        raise PermissionDenied
    currency = request.GET.get("currency", "USD")
    if currency not in queries.CURRENCIES:
        currency = "USD"
    rates = money.rates_on(queries.CURRENCIES)
    data = queries.portfolio_breakdown(currency=currency, rates=rates)
    chart = {
        dimension: {
            "labels": [row["label"] for row in rows],
            "sought": [float(row["sought"]) for row in rows],
            "secured": [float(row["secured"]) for row in rows],
            "interest": [float(row["interest"]) for row in rows],
        }
        for dimension, rows in data["tables"].items()
    }
    chart["series"] = {
        "sought": _("Financing sought"),
        "secured": _("Secured"),
        "interest": _("Investor interest"),
    }
    dates = [rate.rate_date for rate in rates.values() if rate.rate_date]
    context = {
        "data": data,
        "chart": chart,
        "currency": currency,
        "currencies": queries.CURRENCIES,
        "rate_date": min(dates) if dates else None,
        "rates": rates,
        "sections": [
            ("sector", _("By sector"), data["tables"]["sector"]),
            ("instrument", _("By instrument"), data["tables"]["instrument"]),
            ("district", _("By district"), data["tables"]["district"]),
        ],
    }
    return render(request, "investments/dashboard.html", context)


# Investor verification (staff).


@login_required
@require_GET
def investor_list(request):
    if not permissions.can_verify_investors(request.user):
        raise PermissionDenied
    investors = (
        User.objects.filter(role=Role.INVESTOR)
        .select_related("investor_verification", "investor_verification__decided_by")
        .order_by("full_name", "email")
    )
    status = request.GET.get("status", "")
    if status == "pending":
        investors = investors.filter(
            Q(investor_verification__isnull=True)
            | Q(investor_verification__status=InvestorVerification.Status.PENDING)
        )
    page = paginate(request, investors)
    context = {"page_obj": page, "investors": page.object_list, "status": status}
    return render(request, "investments/investor_list.html", context)


@login_required
@require_POST
def investor_verify(request, pk):
    if not permissions.can_verify_investors(request.user):
        raise PermissionDenied
    investor = get_object_or_404(User, pk=pk, role=Role.INVESTOR)
    verified = request.POST.get("decision") != "reject"
    with transaction.atomic():
        services.verify_investor(investor, by=request.user, verified=verified)
    messages.success(
        request,
        _("%(name)s is verified.") % {"name": investor.get_full_name()}
        if verified
        else _("%(name)s was not verified.") % {"name": investor.get_full_name()},
    )
    return redirect("investments:investor-list")
