"""Meeting requests: asking someone, my requests, one request with its proposed
times and common windows, answers, and my working hours."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pagination import paginate
from core.views import redirect_to_next, render_page, report_errors
from directory.queries import organizations_visible_to
from meetings import forms, permissions, queries, services
from meetings.models import Meeting, MeetingRequest, ProposedTime
from meetings.timewindows import common_windows, zone_of
from meetings.views.common import in_zone

STEP = dt.timedelta(minutes=30)


def _request_target(request, source):
    """The organization and the event named in the query (or the form), each
    only if the user may see it."""
    organization = event = None
    if source.get("organization", "").isdigit():
        organization = get_object_or_404(
            organizations_visible_to(request.user), pk=source["organization"]
        )
    if source.get("event", "").isdigit():
        from events.queries import events_visible_to

        event = get_object_or_404(events_visible_to(request.user), pk=source["event"])
    return organization, event


def _request_subject(request, source):
    """The submission or investment project the meeting is about (query or form
    `submission` / `project`), each only if the user may see it."""
    submission = project = None
    if source.get("submission", "").isdigit():
        from exchange.models import Submission

        submission = Submission.objects.filter(pk=source["submission"]).first()
        if submission is None or not queries.may_meet_about_submission(
            request.user, submission
        ):
            raise Http404
    if source.get("project", "").isdigit():
        from investments.models import InvestmentProject

        project = InvestmentProject.objects.filter(pk=source["project"]).first()
        if project is None or not queries.may_meet_about_project(request.user, project):
            raise Http404
    return submission, project


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request):
    """Ask a person of an organization (query `organization`, `event`, `recipient`)."""
    if not permissions.can_request_meeting(request.user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    organization, event = _request_target(request, source)
    submission, project = _request_subject(request, source)
    recipient_id = source.get("recipient", "")
    recipients = queries.meeting_recipients(
        request.user,
        organization=organization,
        recipient_id=recipient_id if recipient_id.isdigit() else None,
    )
    form = forms.MeetingRequestForm(
        request.POST or None,
        recipients=recipients,
        own_organizations=queries.own_organizations(request.user),
        initial={"recipient": source.get("recipient")},
    )
    if form.is_valid():
        recipient = form.cleaned_data["recipient"]
        try:
            meeting_request = services.request_meeting(
                request.user,
                recipient=recipient,
                recipient_organization=organization
                or queries.home_organization_of(recipient),
                requester_organization=form.cleaned_data.get("requester_organization"),
                event=event,
                message=form.cleaned_data["message"],
                submission=submission,
                investment_project=project,
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
        "submission": submission,
        "project": project,
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
    requests = list(page.object_list)
    for meeting_request in requests:
        meeting_request.can_answer = permissions.can_answer_request(
            request.user, meeting_request
        )
    context = {
        "box": box,
        "status": status,
        "sort": request.GET.get("sort", "newest"),
        "statuses": MeetingRequest.Status.choices,
        "page": page,
        "requests": requests,
        "pending_incoming": queries.incoming_requests(request.user)
        .filter(status=MeetingRequest.Status.PENDING)
        .count(),
    }
    return render_page(request, "meetings/request_list.html", context)


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


def _proposed_rows(user, meeting_request, my_zone, other_zone) -> list[dict]:
    """The proposed times in both zones, with what the user may do with each."""
    return [
        {
            "obj": p,
            "mine": (in_zone(p.starts_at, my_zone), in_zone(p.ends_at, my_zone)),
            "theirs": (
                in_zone(p.starts_at, other_zone),
                in_zone(p.ends_at, other_zone),
            ),
            "can_accept": permissions.can_accept_time(user, p),
            "by_me": p.proposed_by_id == user.pk,
        }
        for p in meeting_request.proposed_times.select_related("request")
    ]


def _meeting_rows(user, meeting_request, my_zone, other_zone) -> list[dict]:
    """The request's meetings (not the cancelled ones) in both zones."""
    return [
        {
            "obj": m,
            "mine": in_zone(m.starts_at, my_zone),
            "theirs": in_zone(m.starts_at, other_zone),
            "can_record": permissions.can_record_outcome(user, m),
        }
        for m in meeting_request.meetings.exclude(status=Meeting.Status.CANCELLED)
        .select_related("table")
        .order_by("starts_at")
    ]


def _propose(request, meeting_request, form):
    """Send the proposed time of a valid form: a redirect, or None with the
    service's error on the form."""
    starts_at = form.cleaned_data["starts_at"]
    ends_at = starts_at + dt.timedelta(minutes=form.cleaned_data["minutes"])
    try:
        services.propose_time(
            meeting_request, by=request.user, starts_at=starts_at, ends_at=ends_at
        )
    except ValidationError as error:
        form.add_error("starts_at", error.messages[0])
        return None
    messages.success(request, _("Your proposed time was sent."))
    return redirect(meeting_request)


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request, pk):
    """One request: both sides, proposed times in both zones, common windows."""
    meeting_request = _own_request(request, pk)
    user = request.user
    other = meeting_request.other_side(user)
    my_zone, other_zone = zone_of(user), zone_of(other)
    can_propose = permissions.can_propose_time(user, meeting_request)
    if request.method == "POST" and not can_propose:
        raise PermissionDenied
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
            response = _propose(request, meeting_request, form)
            if response is not None:
                return response
    context = {
        "req": meeting_request,
        "other": other,
        "my_zone": my_zone.key,
        "other_zone": other_zone.key,
        "windows": [
            {
                "mine": (in_zone(w.start, my_zone), in_zone(w.end, my_zone)),
                "theirs": (in_zone(w.start, other_zone), in_zone(w.end, other_zone)),
            }
            for w in windows
        ],
        "form": form,
        "proposed": _proposed_rows(user, meeting_request, my_zone, other_zone),
        "meetings": _meeting_rows(user, meeting_request, my_zone, other_zone),
        # What the meeting is about, each only for a side that may see it.
        "about_submission": meeting_request.submission
        if meeting_request.submission_id
        and queries.may_meet_about_submission(user, meeting_request.submission)
        else None,
        "about_project": meeting_request.investment_project
        if meeting_request.investment_project_id
        and queries.may_meet_about_project(user, meeting_request.investment_project)
        else None,
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
        report_errors(request, error)
    else:
        messages.success(request, done)
    return redirect_to_next(request, meeting_request)


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
