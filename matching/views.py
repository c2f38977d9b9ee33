"""Pages of matching: needs and offers, their moderation, recommendations."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from accounts.queries import edited_organization_ids
from core.decorators import requires
from core.moderation.pages import ListingPages
from core.views import save_form
from directory.models import Organization
from events.queries import events_visible_to
from matching import permissions, queries, recommend, scoring, services
from matching.forms import (
    MatchProfileForm,
    NeedOfferFilterForm,
    NeedOfferForm,
)
from matching.models import NeedOffer

TABS = (
    (scoring.ORGANIZATION, gettext_noop("Organizations")),
    (scoring.NEED_OFFER, gettext_noop("Needs & offers")),
    (scoring.PROJECT, gettext_noop("Investment projects")),
)


def _editable_organizations(user):
    if user.is_cluster_staff:
        return Organization.objects.alive().order_by("name_uk")
    return (
        Organization.objects.alive()
        .filter(pk__in=edited_organization_ids(user))
        .order_by("name_uk")
    )


PAGES = ListingPages(
    services.LIFECYCLE,
    app="matching",
    stem="needoffer",
    name="need_offer",
    plural="needs_offers",
    visible_to=queries.needs_offers_visible_to,
    can_view=permissions.can_view_need_offer,
    can_create=permissions.can_create_need_offer,
    published=queries.needs_offers_published,
    filter_listings=queries.filter_needs_offers,
    filter_form=NeedOfferFilterForm,
    form=NeedOfferForm,
    editable_organizations=_editable_organizations,
    of_user=queries.needs_offers_of,
    awaiting=queries.needs_offers_awaiting_review,
)


@require_GET
def needoffer_detail(request, pk):
    need_offer = PAGES.visible(request, pk)
    user = request.user
    context = {
        "need_offer": need_offer,
        "can_edit": permissions.can_edit_need_offer(user, need_offer),
        "can_submit": permissions.can_submit_need_offer(user, need_offer),
        "can_renew": permissions.can_renew_need_offer(user, need_offer),
        "can_moderate": permissions.can_moderate_needs_offers(user)
        and need_offer.status == NeedOffer.Status.PENDING,
        "meeting_url": meeting_url(need_offer.organization_id),
    }
    return render(request, "matching/needoffer_detail.html", context)


# Recommendations.


def meeting_url(organization_id: int | None, event_id: int | None = None) -> str:
    """The meeting request form for an organization, or "" while that page does
    not exist."""
    try:
        base = reverse("meetings:request-create")
    except NoReverseMatch:
        return ""
    query = {}
    if organization_id:
        query["organization"] = organization_id
    if event_id:
        query["event"] = event_id
    return f"{base}?{urlencode(query)}" if query else base


def _organization_id(recommendation) -> int | None:
    obj = recommendation.obj
    if recommendation.kind == scoring.ORGANIZATION:
        return obj.pk
    if recommendation.kind == scoring.NEED_OFFER:
        return obj.organization_id
    return getattr(obj, "owner_id", None)


def _event_id(request) -> int | None:
    """The event to narrow recommendations to, if the person may see it (its
    participants are not to be learned through an unpublished event)."""
    value = request.GET.get("event", "")
    if not value.isdigit():
        return None
    visible = events_visible_to(request.user).filter(pk=int(value)).exists()
    return int(value) if visible else None


@login_required
@require_GET
@requires(permissions.can_have_recommendations)
def recommendations(request):
    """ "Recommended for you": one tab per kind, each card with its reasons."""
    tab = request.GET.get("tab", scoring.ORGANIZATION)
    if tab not in scoring.KINDS:
        tab = scoring.ORGANIZATION
    event_id = _event_id(request)
    among = queries.event_participants(event_id) if event_id else None
    results = recommend.recommend_for(
        request.user, kinds=(tab,), limit=20, among_organizations=among
    )
    cards = [
        {
            "recommendation": result,
            "meeting_url": meeting_url(_organization_id(result), event_id),
        }
        for result in results
    ]
    profile = recommend.profile_of(request.user)
    context = {
        "tab": tab,
        "tabs": [(kind, _(label)) for kind, label in TABS],
        "cards": cards,
        "event_id": event_id,
        "has_profile": profile is not None,
        "projects_available": queries.projects_public() is not None,
    }
    return render(request, "matching/recommendations.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@requires(permissions.can_have_recommendations)
def profile_edit(request):
    """ "Your interests": the match profile recommendations start from."""
    profile = recommend.profile_of(request.user)
    organizations = Organization.objects.alive().filter(
        pk__in=edited_organization_ids(request.user)
    )
    form = MatchProfileForm(
        request.POST or None, instance=profile, organizations=organizations
    )
    if save_form(
        request,
        form,
        lambda **data: services.save_match_profile(request.user, **data),
        message=_("Your interests are saved."),
    ):
        return redirect("matching:recommendations")
    return render(request, "matching/profile_form.html", {"form": form})
