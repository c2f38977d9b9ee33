"""The city's investor pipeline and the portfolio dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.views import add_errors_to_form
from investments import money, permissions, queries, services
from investments.forms import (
    MoveInterestForm,
)
from investments.models import (
    Interest,
)


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
        interests = queries.search_interests(interests, search)
    columns = queries.board_columns(interests)
    context = {
        "columns": columns,
        "total": sum(len(items) for _stage, _label, items in columns),
        "projects": queries.projects_with_interest(),
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
        initial={
            "stage": interest.stage,
            "note": interest.officer_note,
            "currency": interest.currency,
        }
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
                funding=form.funding(),
            )
        except ValidationError as error:
            add_errors_to_form(form, error)
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
