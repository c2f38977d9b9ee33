"""Calls for projects: the list and page, creating and changing a call with its
rubric and phases, the active phase, a call's submissions."""

import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import requires
from core.pagination import paginate
from exchange import permissions, queries, services
from exchange.forms import (
    CallForm,
    CallPhaseFormSet,
    CriterionFormSet,
    PhaseForm,
    SubmissionFilterForm,
)
from exchange.models import Call
from exchange.views.common import call_or_404, filtered


def _zone_from(request, default: str) -> zoneinfo.ZoneInfo:
    name = request.POST.get("time_zone") or default
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(default)


@require_GET
def call_list(request):
    """Open and past calls for everyone; drafts for staff and the organizers."""
    calls = queries.calls_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        calls = calls.filter(Q(title_uk__icontains=q) | Q(title_en__icontains=q))
    phase = request.GET.get("phase", "")
    if phase in Call.Phase.values:
        calls = calls.filter(phase=phase)
    sort = request.GET.get("sort", "")
    calls = calls.order_by("closes_at" if sort == "closing" else "-opens_at", "pk")
    page = paginate(request, calls)
    rows = [(call, queries.deadline(call.closes_at, call)) for call in page.object_list]
    context = {
        "page_obj": page,
        "rows": rows,
        "q": q,
        "phase": phase,
        "sort": sort,
        "phases": Call.Phase.choices,
        "can_create": permissions.can_create_call(request.user),
    }
    return render(request, "exchange/call_list.html", context)


@require_GET
def call_detail(request, slug):
    call = call_or_404(request, slug)
    can_manage = permissions.can_manage_call(request.user, call)
    organizations = queries.eligible_organizations_for(request.user, call)
    context = {
        "call": call,
        "criteria": list(call.criteria.all()),
        "opens": queries.deadline(call.opens_at, call),
        "closes": queries.deadline(call.closes_at, call),
        "is_open": call.is_open(),
        "can_submit": call.is_open() and bool(organizations),
        "can_manage": can_manage,
        "settings": call.active_settings(),
        "submission_count": (
            queries.submissions_of_call(request.user, call).count()
            if can_manage
            else None
        ),
        "my_submissions": list(
            queries.submissions_of(request.user).filter(call=call)[:20]
        ),
    }
    return render(request, "exchange/call_detail.html", context)


def _save_call_form(request, call, *, is_create):
    """The call form with its rubric (and, once the call exists, its phases):
    a redirect once saved, else the form's context."""
    zone = _zone_from(request, call.time_zone if call.pk else settings.TIME_ZONE)
    with timezone.override(zone):
        form = CallForm(
            request.POST or None,
            instance=call,
            can_change_organizer=permissions.can_create_call(request.user),
        )
        criteria = CriterionFormSet(
            request.POST or None, instance=call, prefix="criteria"
        )
        phases = (
            None
            if is_create
            else CallPhaseFormSet(request.POST or None, instance=call, prefix="phases")
        )
        valid = (
            request.method == "POST"
            and form.is_valid()
            and criteria.is_valid()
            and (phases is None or phases.is_valid())
        )
        if valid:
            try:
                call = services.save_call(
                    None if is_create else call,
                    by=request.user,
                    criteria=criteria,
                    phases=phases,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The call was saved."))
                return redirect(call), None
    context = {
        "form": form,
        "criteria": criteria,
        "phases": phases,
        "call": call if call.pk else None,
        "is_create": is_create,
        "zone": zone.key,
    }
    return None, context


@login_required
@require_http_methods(["GET", "POST"])
@requires(permissions.can_create_call)
def call_create(request):
    response, context = _save_call_form(request, Call(), is_create=True)
    return response or render(request, "exchange/call_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request, slug):
    call = call_or_404(request, slug, may=permissions.can_manage_call)
    response, context = _save_call_form(request, call, is_create=False)
    if response:
        return response
    context["phase_form"] = PhaseForm(initial={"phase": call.phase})
    return render(request, "exchange/call_form.html", context)


@login_required
@require_POST
def call_phase(request, slug):
    """Switch the active phase by hand."""
    call = call_or_404(request, slug, may=permissions.can_manage_call)
    form = PhaseForm(request.POST)
    if form.is_valid():
        services.set_phase(call, form.cleaned_data["phase"], by=request.user)
        messages.success(
            request,
            _("The call is now in the phase: %(phase)s.") % {"phase": call.phase_label},
        )
    return redirect(call)


@login_required
@require_GET
def call_submissions(request, slug):
    """Submissions of a call, for staff and the organizer's editors."""
    call = call_or_404(request, slug, may=permissions.can_manage_call)
    form = SubmissionFilterForm(request.GET or None)
    submissions = filtered(form, queries.submissions_of_call(request.user, call))
    page = paginate(request, submissions)
    context = {"call": call, "form": form, "page_obj": page, "show_org": True}
    return render(request, "exchange/call_submissions.html", context)
