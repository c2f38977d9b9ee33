"""My agenda: every meeting per event in my zone and the other person's, as a page
and a bilingual PDF, and the outcome each side records."""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.pdf import render_pdf
from core.views import save_form
from meetings import forms, permissions, queries, services
from meetings.models import SessionParticipant
from meetings.timewindows import zone_of
from meetings.views.common import in_zone


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
                "mine": in_zone(meeting.starts_at, zone),
                "mine_end": in_zone(meeting.ends_at, zone),
                "theirs": in_zone(meeting.starts_at, zone_of(other)),
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
    """The agenda as a printable bilingual PDF (tagged, PDF/UA-1), the page's
    language first."""
    from django.utils import translation

    first = "en" if translation.get_language() == "en" else "uk"
    second = "uk" if first == "en" else "en"
    groups, zone = _agenda(request.user)
    for event, _items in groups:
        if event is not None:
            titles = {"uk": event.title_uk, "en": event.title_en}
            event.pdf_title_first = titles[first] or titles[second]
            event.pdf_title_second = titles[second] if titles[first] else ""
    context = {"groups": groups, "zone": zone.key, "person": request.user}
    labels = {}
    for language in (first, second):
        with translation.override(language):
            labels[language] = {"language": language, **render_pdf_context(context)}
    pdf = render_pdf(
        "meetings/agenda_pdf.html",
        {
            **context,
            "first": labels[first],
            "second": labels[second],
            "printed_at": timezone.now(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agenda-{first}.pdf"'
    response["Content-Language"] = first
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
    form = forms.OutcomeForm(
        request.POST or None,
        initial={"outcome": mine, "interest": meeting.interest_id},
        interests=queries.interests_for_outcome(request.user, meeting),
    )
    if save_form(
        request,
        form,
        lambda **data: services.record_outcome(meeting, by=request.user, **data),
        message=_("Thank you: the outcome is recorded."),
    ):
        return redirect("meetings:agenda")
    context = {
        "form": form,
        "meeting": meeting,
        "other": meeting.request.other_side(request.user),
        "about": meeting.request.investment_project,
    }
    return render(request, "meetings/meeting_outcome.html", context)
