"""The public catalogue (search, filters, totals, map) and the city's project list."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from core.pagination import paginate
from core.translation import active_language
from core.views import clean_url, render_page
from investments import money, permissions, queries
from investments.cards import project_cards
from investments.filters import CatalogueFilter
from investments.models import (
    InvestmentProject,
)


def _catalogue_filter(request) -> CatalogueFilter:
    # Invalid filters are ignored and shown as errors.
    return CatalogueFilter(
        request.GET,
        queryset=queries.catalogue_projects(),
        rates=money.rates_on(queries.CURRENCIES),
    )


@require_GET
def project_list(request):
    """The public catalogue: search, filters, sorting, totals, map; htmx-aware."""
    filterset = _catalogue_filter(request)
    form, rates = filterset.form, filterset.rates
    projects = filterset.matching()
    currency = filterset.currency_code
    totals = queries.catalogue_totals(projects, currency=currency, rates=rates)
    page = paginate(request, filterset.in_order(projects), count=totals.count)
    cards = project_cards(page.object_list, currency=currency, rates=rates)
    query = clean_url(request).partition("?")[2]
    context = {
        "form": form,
        "page_obj": page,
        "cards": cards,
        "totals": totals,
        "currency": currency,
        "search_text": filterset.search_text,
        "active_filters": filterset.active_filter_count(),
        "filter_fields": [form[name] for name in CatalogueFilter.FILTERS],
        "map_url": reverse("investments:catalogue-map")
        + (f"?{query}" if query else ""),
        "tile_url": settings.MIST_MAP_TILE_URL,
        "can_create": permissions.can_create_project(request.user),
    }
    return render_page(
        request, "investments/project_list.html", context, push_clean_url=True
    )


@require_GET
def catalogue_map(request):
    """The catalogue's markers (same filters), fetched by the map's script."""
    projects = _catalogue_filter(request).matching()
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
