"""Organizers' pages: create, edit, publish and cancel an event; participants."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import is_cluster_staff
from accounts.queries import edited_organization_ids
from core.exports import FORMATS, header_choice, spreadsheet
from core.pagination import paginate
from directory.models import Organization
from events import exports, permissions, queries, services
from events.forms import EventForm
from events.models import Registration
from events.views.browsing import _visible_event


def _organizers_for(user, *, keep=None):
    """Organizations `user` may organize events for (plus `keep`, the current one)."""
    organizations = Organization.objects.alive().order_by("name_uk")
    if is_cluster_staff(user):
        return organizations
    return organizations.filter(Q(pk__in=edited_organization_ids(user)) | Q(pk=keep))


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    if not permissions.can_create_event(request.user):
        raise PermissionDenied
    form = EventForm(request.POST or None, organizers=_organizers_for(request.user))
    if form.is_valid():
        try:
            event = services.create_event(by=request.user, **form.event_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The event is saved as a draft. Publish it when ready.")
            )
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, slug: str):
    event = _visible_event(request, slug, may=permissions.can_edit_event)
    organizers = _organizers_for(request.user, keep=event.organizer_id)
    form = EventForm(request.POST or None, instance=event, organizers=organizers)
    if form.is_valid():
        try:
            services.update_event(event, by=request.user, **form.event_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
def event_publish(request, slug: str):
    event = _visible_event(request, slug, may=permissions.can_publish_event)
    services.publish_event(event, by=request.user)
    messages.success(request, _("The event is published."))
    return redirect(event)


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel(request, slug: str):
    """Cancel an event after confirming; everyone registered is told."""
    event = _visible_event(request, slug, may=permissions.can_cancel_event)
    if request.method == "POST":
        services.cancel_event(event, by=request.user)
        messages.success(
            request, _("The event is cancelled; everyone registered is told by e-mail.")
        )
        return redirect(event)
    registered = event.registrations.exclude(
        status=Registration.Status.CANCELLED
    ).count()
    return render(
        request, "events/event_cancel.html", {"event": event, "registered": registered}
    )


@login_required
@require_GET
def event_participants(request, slug: str):
    """Who registered, for the organizer: confirmed first, then the waiting list."""
    event = _visible_event(request, slug, may=permissions.can_see_participants)
    status = request.GET.get("status", "")
    participants = queries.participants_of(event)
    if status in Registration.Status.values:
        participants = participants.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        participants = participants.filter(
            Q(user__full_name__icontains=q)
            | Q(user__email__icontains=q)
            | Q(organization__name_uk__icontains=q)
            | Q(organization__name_en__icontains=q)
        )
    page = paginate(request, participants, per_page=50)
    context = {
        "event": event,
        "page": page,
        "participants": page.object_list,
        "status": status,
        "q": q,
        "statuses": Registration.Status.choices,
    }
    return render(request, "events/event_participants.html", context)


@login_required
@require_GET
def event_participants_csv(request, slug: str):
    """Who registered, as CSV (?format=csv-excel: with semicolons) or XLSX
    (?format=xlsx)."""
    event = _visible_event(request, slug, may=permissions.can_see_participants)
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404
    return spreadsheet(
        exports.participant_rows(event),
        columns=exports.COLUMNS,
        header=header_choice(request),
        fmt=fmt,
        name=event.slug,
        title=_("Participants"),
    )
