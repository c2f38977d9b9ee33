"""Pages of the meetings app: requests, agenda, outcomes, B2B session organizing."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Membership, User
from core.pagination import paginate
from core.pdf import render_pdf
from directory.queries import organizations_visible_to
from meetings import forms, permissions, queries, services
from meetings.models import (
    B2BSession,
    Meeting,
    MeetingRequest,
    ProposedTime,
    SessionParticipant,
)
from meetings.timewindows import common_windows, zone_of

STEP = dt.timedelta(minutes=30)


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _in_zone(value, zone):
    """Wall-clock time in `zone`, naive so templates do not convert it again."""
    return value.astimezone(zone).replace(tzinfo=None) if value else None


# Requests ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request):
    """Ask a person of an organization (query `organization`, `event`, `recipient`)."""
    if not permissions.can_request_meeting(request.user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    organization = None
    if source.get("organization", "").isdigit():
        organization = get_object_or_404(
            organizations_visible_to(request.user), pk=source["organization"]
        )
    event = None
    if source.get("event", "").isdigit():
        from events.queries import events_visible_to

        event = get_object_or_404(events_visible_to(request.user), pk=source["event"])
    if organization is not None:
        recipients = User.objects.filter(
            memberships__organization=organization, is_active=True
        ).exclude(pk=request.user.pk)
    elif source.get("recipient", "").isdigit():
        # Only people of organizations this user may see: no listing of accounts.
        recipients = User.objects.filter(
            pk=source["recipient"],
            is_active=True,
            memberships__organization__in=organizations_visible_to(request.user),
        ).exclude(pk=request.user.pk)
    else:
        recipients = User.objects.none()
    recipients = recipients.distinct().order_by("full_name", "pk")
    own = (
        organizations_visible_to(request.user)
        .filter(memberships__user=request.user)
        .distinct()
    )
    form = forms.MeetingRequestForm(
        request.POST or None,
        recipients=recipients,
        own_organizations=own,
        initial={"recipient": source.get("recipient")},
    )
    if form.is_valid():
        recipient = form.cleaned_data["recipient"]
        recipient_org = organization
        if recipient_org is None:
            membership = (
                Membership.objects.filter(user=recipient)
                .order_by("-is_editor", "pk")
                .first()
            )
            recipient_org = membership.organization if membership else None
        try:
            meeting_request = services.request_meeting(
                request.user,
                recipient=recipient,
                recipient_organization=recipient_org,
                requester_organization=form.cleaned_data.get("requester_organization"),
                event=event,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your request was sent to %(name)s.")
                % {"name": recipient.get_full_name()},
            )
            return redirect(meeting_request)
    context = {
        "form": form,
        "organization": organization,
        "event": event,
        "no_recipients": not recipients.exists(),
    }
    return render(request, "meetings/request_form.html", context)


@login_required
@require_GET
def request_list(request):
    """My requests: incoming or outgoing, filtered by status, newest first."""
    box = "outgoing" if request.GET.get("box") == "outgoing" else "incoming"
    requests = (
        queries.outgoing_requests(request.user)
        if box == "outgoing"
        else queries.incoming_requests(request.user)
    )
    status = request.GET.get("status", "")
    if status in MeetingRequest.Status.values:
        requests = requests.filter(status=status)
    order = "created_at" if request.GET.get("sort") == "oldest" else "-created_at"
    page = paginate(request, requests.order_by(order, "pk"))
    context = {
        "box": box,
        "status": status,
        "sort": request.GET.get("sort", "newest"),
        "statuses": MeetingRequest.Status.choices,
        "page": page,
        "requests": page.object_list,
        "pending_incoming": queries.incoming_requests(request.user)
        .filter(status=MeetingRequest.Status.PENDING)
        .count(),
    }
    template = "meetings/request_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _own_request(request, pk) -> MeetingRequest:
    return get_object_or_404(queries.requests_of(request.user), pk=pk)


def _time_choices(windows, zone_a, zone_b):
    """Start times every 30 minutes inside the windows, labelled in both zones."""
    choices = []
    now = timezone.now()
    for window in windows:
        start = window.start
        minute = start.minute % 30
        if minute or start.second:
            start = start.replace(second=0, microsecond=0) + dt.timedelta(
                minutes=30 - minute
            )
        while start + STEP <= window.end:
            if start > now:
                a, b = start.astimezone(zone_a), start.astimezone(zone_b)
                day_a = formats.date_format(a, "D j E")
                day_b = formats.date_format(b, "D j E")
                label = (
                    f"{day_a}, {a:%H:%M} {zone_a.key} · {day_b}, {b:%H:%M} {zone_b.key}"
                )
                choices.append((start.isoformat(), label))
            start += STEP
    return choices


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request, pk):
    """One request: both sides, proposed times in both zones, common windows."""
    meeting_request = _own_request(request, pk)
    user = request.user
    other = meeting_request.other_side(user)
    my_zone, other_zone = zone_of(user), zone_of(other)
    can_propose = permissions.can_propose_time(user, meeting_request)
    windows = (
        common_windows(meeting_request.requester, meeting_request.recipient, 14)
        if can_propose
        else []
    )
    form = None
    if can_propose:
        form = forms.ProposeTimeForm(
            request.POST or None, choices=_time_choices(windows, my_zone, other_zone)
        )
        if request.method == "POST" and form.is_valid():
            starts_at = form.cleaned_data["starts_at"]
            ends_at = starts_at + dt.timedelta(minutes=form.cleaned_data["minutes"])
            try:
                services.propose_time(
                    meeting_request, by=user, starts_at=starts_at, ends_at=ends_at
                )
            except ValidationError as error:
                form.add_error("starts_at", error.messages[0])
            else:
                messages.success(request, _("Your proposed time was sent."))
                return redirect(meeting_request)
    elif request.method == "POST":
        raise PermissionDenied
    proposed = [
        {
            "obj": p,
            "mine": (_in_zone(p.starts_at, my_zone), _in_zone(p.ends_at, my_zone)),
            "theirs": (
                _in_zone(p.starts_at, other_zone),
                _in_zone(p.ends_at, other_zone),
            ),
            "can_accept": permissions.can_accept_time(user, p),
            "by_me": p.proposed_by_id == user.pk,
        }
        for p in meeting_request.proposed_times.select_related("request")
    ]
    meetings = [
        {
            "obj": m,
            "mine": _in_zone(m.starts_at, my_zone),
            "theirs": _in_zone(m.starts_at, other_zone),
            "can_record": permissions.can_record_outcome(user, m),
        }
        for m in meeting_request.meetings.exclude(status=Meeting.Status.CANCELLED)
        .select_related("table")
        .order_by("starts_at")
    ]
    context = {
        "req": meeting_request,
        "other": other,
        "my_zone": my_zone.key,
        "other_zone": other_zone.key,
        "windows": [
            {
                "mine": (_in_zone(w.start, my_zone), _in_zone(w.end, my_zone)),
                "theirs": (
                    _in_zone(w.start, other_zone),
                    _in_zone(w.end, other_zone),
                ),
            }
            for w in windows
        ],
        "form": form,
        "proposed": proposed,
        "meetings": meetings,
        "can_answer": permissions.can_answer_request(user, meeting_request),
        "can_cancel": permissions.can_cancel_request(user, meeting_request),
    }
    return render(request, "meetings/request_detail.html", context)


@login_required
@require_POST
def request_answer(request, pk, answer):
    """Accept or decline (the recipient), or cancel (either side)."""
    meeting_request = _own_request(request, pk)
    actions = {
        "accept": (services.accept_request, _("You accepted the request.")),
        "decline": (services.decline_request, _("You declined the request.")),
        "cancel": (services.cancel_request, _("The request is called off.")),
    }
    action, done = actions[answer]
    try:
        action(meeting_request, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, done)
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(meeting_request)


@login_required
@require_POST
def time_accept(request, pk):
    """The other side takes a proposed time: a meeting is made."""
    proposed = get_object_or_404(
        ProposedTime.objects.select_related("request").filter(
            request__in=queries.requests_of(request.user)
        ),
        pk=pk,
    )
    services.accept_proposed_time(proposed, by=request.user)
    messages.success(request, _("The meeting is in both your agendas."))
    return redirect(proposed.request)


@login_required
@require_http_methods(["GET", "POST"])
def working_hours(request):
    """The hours I am ready to meet, per weekday, in my own zone."""
    rows = [(h.weekday, h.start, h.end) for h in request.user.working_hours.all()]
    data = request.POST if request.method == "POST" else None
    form = forms.WorkingHoursForm(data, initial_rows=rows)
    if form.is_valid():
        services.set_working_hours(request.user, form.cleaned_data["rows"])
        messages.success(request, _("Your working hours are saved."))
        return redirect("meetings:working-hours")
    context = {"form": form, "zone": zone_of(request.user).key}
    return render(request, "meetings/working_hours.html", context)


# Agenda -----------------------------------------------------------------------------


def _agenda(user):
    """My meetings grouped per event, each in my zone and the other person's."""
    zone = zone_of(user)
    groups: dict = defaultdict(list)
    for meeting in queries.meetings_of(user):
        other = meeting.request.other_side(user)
        other_org = (
            meeting.request.recipient_organization
            if other.pk == meeting.request.recipient_id
            else meeting.request.requester_organization
        )
        groups[meeting.request.event].append(
            {
                "obj": meeting,
                "other": other,
                "other_org": other_org,
                "mine": _in_zone(meeting.starts_at, zone),
                "mine_end": _in_zone(meeting.ends_at, zone),
                "theirs": _in_zone(meeting.starts_at, zone_of(other)),
                "their_zone": zone_of(other).key,
                "can_record": permissions.can_record_outcome(user, meeting),
            }
        )
    return sorted(
        groups.items(),
        key=lambda item: (item[0] is None, item[0].starts_at if item[0] else 0),
    ), zone


@login_required
@require_GET
def agenda(request):
    """All my meetings, per event, with times in my zone and the other person's."""
    groups, zone = _agenda(request.user)
    sessions = (
        SessionParticipant.objects.filter(user=request.user)
        .select_related("session__event")
        .order_by("session__event__starts_at")
    )
    context = {"groups": groups, "zone": zone.key, "participations": sessions}
    return render(request, "meetings/agenda.html", context)


@login_required
@require_GET
def agenda_pdf(request):
    """The agenda as a printable bilingual PDF (Ukrainian and English side by side)."""
    from django.utils import translation

    groups, zone = _agenda(request.user)
    context = {"groups": groups, "zone": zone.key, "person": request.user}
    with translation.override("uk"):
        uk = render_pdf_context(context)
    with translation.override("en"):
        en = render_pdf_context(context)
    pdf = render_pdf(
        "meetings/agenda_pdf.html",
        {**context, "uk": uk, "en": en, "printed_at": timezone.now()},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="agenda.pdf"'
    return response


def render_pdf_context(context):
    """Labels of the PDF in the active language (the template prints both)."""
    return {
        "title": _("My meetings"),
        "when": _("When"),
        "with": _("With"),
        "where": _("Where"),
        "their_time": _("Their time"),
        "none": _("No meetings yet."),
        "no_event": _("Other meetings"),
        "zone_note": _("Times in %(zone)s.") % {"zone": context["zone"]},
    }


@login_required
@require_http_methods(["GET", "POST"])
def meeting_outcome(request, pk):
    """Each side records what came of the meeting."""
    meeting = get_object_or_404(queries.meetings_of(request.user), pk=pk)
    if not permissions.can_record_outcome(request.user, meeting):
        raise PermissionDenied
    mine = (
        meeting.requester_outcome
        if request.user.pk == meeting.request.requester_id
        else meeting.recipient_outcome
    )
    form = forms.OutcomeForm(request.POST or None, initial={"outcome": mine})
    if form.is_valid():
        services.record_outcome(meeting, by=request.user, **form.cleaned_data)
        messages.success(request, _("Thank you: the outcome is recorded."))
        return redirect("meetings:agenda")
    context = {
        "form": form,
        "meeting": meeting,
        "other": meeting.request.other_side(request.user),
    }
    return render(request, "meetings/meeting_outcome.html", context)


# B2B sessions: organizers -----------------------------------------------------------


def _organized(request, pk) -> B2BSession:
    session = get_object_or_404(B2BSession.objects.select_related("event"), pk=pk)
    if not permissions.can_organize_session(request.user, session):
        raise PermissionDenied
    return session


@login_required
@require_GET
def session_list(request):
    """B2B sessions I organize; events I may add one to."""
    from events.models import Event

    sessions = queries.sessions_organized_by(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        sessions = sessions.filter(
            Q(title__icontains=q)
            | Q(event__title_uk__icontains=q)
            | Q(event__title_en__icontains=q)
        )
    page = paginate(request, sessions.order_by("-event__starts_at", "pk"))
    events = [
        e
        for e in Event.objects.filter(ends_at__gte=timezone.now()).select_related(
            "organizer"
        )[:50]
        if permissions.can_create_session(request.user, e)
    ]
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
    participants = list(
        session.participants.select_related("user", "organization").order_by(
            "group", "user__full_name"
        )
    )
    availability = defaultdict(set)
    for participant_id, slot_id in session.participants.values_list(
        "pk", "availabilities__slot_id"
    ):
        if slot_id:
            availability[participant_id].add(slot_id)
    rows = [{"participant": p, "count": len(availability[p.pk])} for p in participants]
    postponed = session.meetings.filter(status=Meeting.Status.POSTPONED).select_related(
        "request__requester", "request__recipient"
    )
    zone = session.zone
    context = {
        "session": session,
        "zone": zone.key,
        "slots": slots,
        "tables": tables,
        "participants": rows,
        "grid": _grid(session, slots, tables),
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
            _errors(request, error)
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
    city_country = settings.MIST_HOME_COUNTRY

    def group_of(registration):
        org = registration.organization
        if org is not None and str(org.country or "") not in ("", city_country):
            return SessionParticipant.Group.DELEGATION
        return SessionParticipant.Group.LOCAL

    added = services.add_registered_participants(
        session, by=request.user, group_of=group_of
    )
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
        _errors(request, error)
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
        _errors(request, error)
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
                "mine": _in_zone(s.starts_at, zone),
                "local": _in_zone(s.starts_at, session.zone),
                "checked": s.pk in chosen,
            }
            for s in slots
        ],
        "zone": zone.key,
        "event_zone": session.zone.key,
    }
    return render(request, "meetings/session_availability.html", context)
