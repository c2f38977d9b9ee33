"""The public journey pages: every initiative that got as far as accepted, and one
initiative's path from the call to funding."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.pagination import paginate
from core.views import render_page
from insights.journey import queries
from investments.permissions import can_create_project_from
from meetings.permissions import can_request_meeting
from meetings.queries import outcome_counts


@require_GET
def journey_list(request):
    """Accepted initiatives, newest decision first, searchable by title. Public."""
    items = queries.initiatives()
    search = (request.GET.get("q") or "").strip()[:100]
    if search:
        items = queries.search_initiatives(items, search)
    page = paginate(request, items)
    context = {
        "page": page,
        "initiatives": list(page.object_list),
        "search_text": search,
        "outcomes": outcome_counts(),
    }
    return render_page(request, "insights/journey_list.html", context)


@require_GET
def journey_detail(request, pk):
    """One initiative's journey: call, decision, meetings (counted), project and
    funding. Public; anything not accepted is 404."""
    journey = queries.journey_of(pk)
    if journey is None:
        raise Http404
    submission = journey.submission
    context = {
        "journey": journey,
        "can_adopt": can_create_project_from(request.user, submission),
        "can_meet": can_request_meeting(request.user)
        and journey.organization is not None,
    }
    return render(request, "insights/journey_detail.html", context)
