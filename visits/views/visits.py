"""Visits: the staff list, my visits and invitations, one visit with its programme
by day, and the forms that make and change a visit and its delegation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import requires
from core.pagination import paginate
from core.views import save_form
from events.services import calendar_token_of
from visits import forms, permissions, queries, services
from visits.models import Visit
from visits.views.common import (
    managed_visit,
    programme_days,
    visible_visit,
    visit_context,
    zones_for,
)


@login_required
@require_GET
@requires(permissions.can_list_visits)
def visit_list(request):
    """Every delegation visit, newest first (staff)."""
    visits = queries.visits_for_list(request.user)
    status = request.GET.get("status", "")
    if status in Visit.Status.values:
        visits = visits.filter(status=status)
    page = paginate(request, visits)
    context = {
        "page": page,
        "visits": page.object_list,
        "status": status,
        "statuses": Visit.Status.choices,
        "can_create": permissions.can_create_visit(request.user),
    }
    return render(request, "visits/visit_list.html", context)


@login_required
@require_GET
def my_visits(request):
    """The visits I take part in, and invitations to the organizations I edit."""
    visits = list(queries.visits_of(request.user).exclude(status=Visit.Status.DRAFT))
    invitations = list(queries.invitations_to_my_organizations(request.user))
    context = {"visits": visits, "invitations": invitations}
    return render(request, "visits/my_visits.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@requires(permissions.can_create_visit)
def visit_create(request):
    """A new visit (draft); members and the programme come next."""
    form = forms.VisitForm(request.POST or None, initial={"host": request.user})
    visit = save_form(
        request,
        form,
        lambda **data: services.create_visit(by=request.user, **data),
        message=_("The visit is created. Add its members next."),
    )
    if visit:
        return redirect("visits:visit-members", pk=visit.pk)
    return render(request, "visits/visit_form.html", {"form": form, "visit": None})


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request, pk):
    visit = managed_visit(request, pk)
    form = forms.VisitForm(request.POST or None, initial=forms.visit_initial(visit))
    if save_form(
        request,
        form,
        lambda **data: services.update_visit(visit, by=request.user, **data),
        message=_("The visit is saved."),
    ):
        return redirect(visit)
    return render(
        request, "visits/visit_form.html", visit_context(request, visit, form=form)
    )


@login_required
@require_POST
def visit_status(request, pk):
    """Plan, finish, cancel or reopen the visit."""
    visit = managed_visit(request, pk)
    try:
        services.set_status(visit, request.POST.get("status", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The visit's status is changed."))
    return redirect(visit)


@login_required
@require_GET
def visit_detail(request, pk):
    """The visit and its programme by day, in Kyiv time and each person's own."""
    visit = visible_visit(request, pk)
    user = request.user
    items = list(queries.programme_for(user, visit))
    zones = zones_for(visit, user)
    can_manage = permissions.can_manage_visit(user, visit)
    whole = permissions.sees_whole_programme(user, visit)
    outcome_ids = set()
    if whole or items:
        outcome_ids = {
            item.pk for item in items if permissions.can_record_outcome(user, item)
        }
    context = visit_context(request, visit) | {
        "days": programme_days(items, zones),
        "zones": zones,
        "members": visit.members.select_related("user") if whole else [],
        "sees_whole": whole,
        "outcome_ids": outcome_ids,
        "feed_token": calendar_token_of(user).token if whole else "",
        "next_statuses": [
            (value, label)
            for value, label in Visit.Status.choices
            if value in services.ALLOWED_TRANSITIONS.get(visit.status, ())
        ]
        if can_manage
        else [],
    }
    return render(request, "visits/visit_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def visit_members(request, pk):
    """The delegation: add people by their account's e-mail."""
    visit = managed_visit(request, pk)
    form = forms.MemberForm(request.POST or None)
    if save_form(
        request,
        form,
        lambda user, email: services.add_member(visit, by=request.user, user=user),
        message=_("The member is added."),
    ):
        return redirect("visits:visit-members", pk=visit.pk)
    members = visit.members.select_related("user")
    context = visit_context(request, visit, form=form, members=members)
    return render(request, "visits/visit_members.html", context)


@login_required
@require_POST
def member_remove(request, pk, member_pk):
    visit = managed_visit(request, pk)
    member = get_object_or_404(visit.members, pk=member_pk)
    services.remove_member(member, by=request.user)
    messages.success(request, _("The member is removed from the delegation."))
    return redirect("visits:visit-members", pk=visit.pk)
