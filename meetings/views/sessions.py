"""B2B sessions: the organizers' pages (slots, tables, participants, the scheduler,
disruptions) and the participants' availability."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pagination import paginate
from core.views import report_errors
from meetings import forms, permissions, queries, services
from meetings.models import B2BSession, Meeting, SessionParticipant
from meetings.timewindows import zone_of
from meetings.views.common import in_zone


def _organized(request, pk) -> B2BSession:
    session = get_object_or_404(B2BSession.objects.select_related("event"), pk=pk)
    if not permissions.can_organize_session(request.user, session):
        raise PermissionDenied
    return session


@login_required
@require_GET
def session_list(request):
    """B2B sessions I organize; events I may add one to."""
    sessions = queries.sessions_organized_by(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        sessions = sessions.filter(
            Q(title__icontains=q)
            | Q(event__title_uk__icontains=q)
            | Q(event__title_en__icontains=q)
        )
    page = paginate(request, sessions.order_by("-event__starts_at", "pk"))
    events = queries.events_for_new_sessions(request.user)
    if not page.object_list and not events:
        raise PermissionDenied
    context = {"page": page, "sessions": page.object_list, "events": events, "q": q}
    return render(request, "meetings/session_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request):
    from events.models import Event

    event = get_object_or_404(Event, pk=request.GET.get("event") or 0)
    if not permissions.can_create_session(request.user, event):
        raise PermissionDenied
    form = forms.SessionForm(
        request.POST or None,
        initial={"title": _("B2B meetings: %(event)s") % {"event": event.title}},
    )
    if form.is_valid():
        session = services.create_session(event, by=request.user, **form.cleaned_data)
        return redirect(session)
    return render(request, "meetings/session_form.html", {"form": form, "event": event})


def _grid(session, slots, tables):
    """Rows of slots, columns of tables, each cell the meetings seated there."""
    meetings = session.meetings.filter(status=Meeting.Status.SCHEDULED).select_related(
        "request__requester",
        "request__recipient",
        "request__requester_organization",
        "request__recipient_organization",
    )
    cells = defaultdict(list)
    for meeting in meetings:
        cells[meeting.slot_id, meeting.table_id].append(meeting)
    return [
        {"slot": slot, "cells": [cells.get((slot.pk, t.pk), []) for t in tables]}
        for slot in slots
    ]


@login_required
@require_GET
def session_detail(request, pk):
    """The organizer's page: slots, tables, participants, availability, schedule."""
    session = _organized(request, pk)
    slots = list(session.slots.all())
    tables = list(session.tables.all())
    postponed = session.meetings.filter(status=Meeting.Status.POSTPONED).select_related(
        "request__requester", "request__recipient"
    )
    zone = session.zone
    context = {
        "session": session,
        "zone": zone.key,
        "slots": slots,
        "tables": tables,
        "participants": queries.participant_rows(session),
        "grid": _grid(session, slots, tables),
        "can_run": permissions.can_run_scheduler(request.user, session),
        "postponed": postponed,
        "n_requests": queries.session_requests(session).count(),
        "slot_form": forms.SlotRangeForm(zone=zone),
        "tables_form": forms.TablesForm(),
        "disruption_form": forms.DisruptionForm(zone=zone),
        "groups": SessionParticipant.Group.choices,
    }
    return render(request, "meetings/session_detail.html", context)


@login_required
@require_POST
def session_slots(request, pk):
    session = _organized(request, pk)
    form = forms.SlotRangeForm(request.POST, zone=session.zone)
    if form.is_valid():
        try:
            slots = services.add_slots(
                session,
                by=request.user,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
            )
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(
                request, _("%(count)s slots added.") % {"count": len(slots)}
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(session)


@login_required
@require_POST
def session_tables(request, pk):
    session = _organized(request, pk)
    form = forms.TablesForm(request.POST)
    if form.is_valid():
        services.add_tables(session, by=request.user, **form.cleaned_data)
        messages.success(request, _("Tables added."))
    else:
        messages.error(request, _("Give a number of tables between 1 and 200."))
    return redirect(session)


@login_required
@require_POST
def session_participants(request, pk):
    """Add the event's confirmed registrations; those from abroad are the delegation."""
    session = _organized(request, pk)
    added = services.add_registered_participants(session, by=request.user)
    messages.success(request, _("%(count)s participants added.") % {"count": added})
    return redirect(session)


@login_required
@require_POST
def participant_group(request, pk, participant_pk):
    session = _organized(request, pk)
    participant = get_object_or_404(session.participants, pk=participant_pk)
    form = forms.ParticipantGroupForm(request.POST)
    if form.is_valid():
        services.add_participant(
            session,
            by=request.user,
            user=participant.user,
            organization=participant.organization,
            group=form.cleaned_data["group"],
        )
    return redirect(session)


@login_required
@require_POST
def session_run(request, pk):
    """Start the scheduler in the background; the page polls its progress."""
    session = _organized(request, pk)
    try:
        services.start_scheduler(session, by=request.user)
    except ValidationError as error:
        report_errors(request, error)
    return redirect(reverse("meetings:session-detail", args=[session.pk]) + "#schedule")


@login_required
@require_GET
def session_progress(request, pk):
    """The scheduler's state, polled by htmx while it runs."""
    session = _organized(request, pk)
    response = render(request, "meetings/_run_status.html", {"session": session})
    # A finished run refreshes the whole page so the grid shows the new schedule.
    if (
        request.htmx
        and session.run_status == B2BSession.RunStatus.DONE
        and request.GET.get("was") == B2BSession.RunStatus.RUNNING
    ):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def meeting_pin(request, pk, meeting_pk):
    session = _organized(request, pk)
    meeting = get_object_or_404(session.meetings, pk=meeting_pk)
    try:
        services.set_pinned(
            meeting, by=request.user, pinned=request.POST.get("pinned") == "1"
        )
    except ValidationError as error:
        report_errors(request, error)
    return redirect(reverse("meetings:session-detail", args=[session.pk]) + "#schedule")


@login_required
@require_http_methods(["GET", "POST"])
def session_disruption(request, pk):
    """Pick the lost time range, see what it hits, confirm, move everything at once."""
    session = _organized(request, pk)
    form = forms.DisruptionForm(request.POST or None, zone=session.zone)
    affected = None
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = (
            form.cleaned_data["starts_at"],
            form.cleaned_data["ends_at"],
        )
        affected = list(services.disrupted_meetings(session, starts_at, ends_at))
        if form.cleaned_data.get("confirm"):
            counts = services.handle_disruption(
                session, by=request.user, starts_at=starts_at, ends_at=ends_at
            )
            messages.success(
                request,
                _(
                    "%(affected)s meetings were affected: %(moved)s moved to later "
                    "slots, %(postponed)s postponed. Everyone affected is e-mailed."
                )
                % counts,
            )
            return redirect(session)
    context = {
        "session": session,
        "form": form,
        "affected": affected,
        "zone": session.zone.key,
    }
    return render(request, "meetings/session_disruption.html", context)


# B2B sessions: participants ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_availability(request, pk):
    """A participant ticks the slots they can meet in."""
    session = get_object_or_404(B2BSession.objects.select_related("event"), pk=pk)
    participant = get_object_or_404(session.participants, user=request.user)
    slots = list(session.slots.filter(is_disrupted=False))
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("slots") if v.isdigit()]
        services.set_availability(participant, by=request.user, slot_ids=ids)
        messages.success(request, _("Your availability is saved."))
        return redirect("meetings:session-availability", pk=session.pk)
    chosen = set(participant.availabilities.values_list("slot_id", flat=True))
    zone = zone_of(request.user)
    context = {
        "session": session,
        "rows": [
            {
                "slot": s,
                "mine": in_zone(s.starts_at, zone),
                "local": in_zone(s.starts_at, session.zone),
                "checked": s.pk in chosen,
            }
            for s in slots
        ],
        "zone": zone.key,
        "event_zone": session.zone.key,
    }
    return render(request, "meetings/session_availability.html", context)
