"""Pages of matching: needs and offers, their moderation, recommendations."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.queries import edited_organization_ids
from core import moderation, search
from core.decorators import requires
from core.pagination import paginate
from core.views import add_errors_to_form, render_page
from directory.models import Organization
from events.queries import events_visible_to
from matching import permissions, queries, recommend, scoring, services
from matching.forms import (
    MatchProfileForm,
    NeedOfferFilterForm,
    NeedOfferForm,
)
from matching.models import NeedOffer

PAGE_SIZE = getattr(settings, "MIST_DIRECTORY_PAGE_SIZE", 20)
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


@require_GET
def needoffer_list(request):
    """Published needs and offers: search, filters, sorting, pagination."""
    form = NeedOfferFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    needs_offers = queries.filter_needs_offers(
        queries.needs_offers_published(), **form.filters()
    )
    if form.search_text:
        needs_offers = search.filter_by_terms(needs_offers, form.search_text)
    needs_offers = moderation.sort_listings(needs_offers, form.ordering)
    page = paginate(request, needs_offers, PAGE_SIZE)
    context = {
        "form": form,
        "page_obj": page,
        "needs_offers": page.object_list,
        "total": page.paginator.count,
        "active_filters": form.active_filter_count(),
        "can_create": permissions.can_create_need_offer(request.user),
        "can_moderate": permissions.can_moderate_needs_offers(request.user),
    }
    return render_page(request, "matching/needoffer_list.html", context)


def _visible(request, pk: int, *, may=None) -> NeedOffer:
    """The need or offer the user may see (else 404); with `may`, a predicate on
    the user and it that must also hold (else 403)."""
    need_offer = get_object_or_404(queries.needs_offers_visible_to(request.user), pk=pk)
    if not permissions.can_view_need_offer(request.user, need_offer):
        raise Http404
    if may is not None and not may(request.user, need_offer):
        raise PermissionDenied
    return need_offer


@require_GET
def needoffer_detail(request, pk):
    need_offer = _visible(request, pk)
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


@login_required
@require_http_methods(["GET", "POST"])
@requires(permissions.can_create_need_offer)
def needoffer_create(request):
    return _need_offer_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def needoffer_edit(request, pk):
    need_offer = _visible(request, pk, may=permissions.can_edit_need_offer)
    return _need_offer_form(request, need_offer)


def _need_offer_form(request, need_offer: NeedOffer | None):
    """The need/offer form: a new one when `need_offer` is None."""
    form = NeedOfferForm(
        request.POST or None,
        instance=need_offer,
        organizations=_editable_organizations(request.user),
    )
    return moderation.form_page(
        request,
        need_offer,
        form=form,
        create=services.create_need_offer,
        update=services.update_need_offer,
        template="matching/needoffer_form.html",
        context={"need_offer": need_offer},
    )


@login_required
@require_POST
def needoffer_submit(request, pk):
    need_offer = _visible(request, pk, may=permissions.can_submit_need_offer)
    return moderation.submit_page(request, need_offer, services.submit_need_offer)


@login_required
@require_POST
def needoffer_renew(request, pk):
    need_offer = _visible(request, pk, may=permissions.can_renew_need_offer)
    return moderation.renew_page(request, need_offer, services.renew_need_offer)


@login_required
@require_GET
def needoffer_mine(request):
    """The needs and offers of the organizations the person edits, any status."""
    page = paginate(request, queries.needs_offers_of(request.user), PAGE_SIZE)
    context = {
        "page_obj": page,
        "needs_offers": page.object_list,
        "can_create": permissions.can_create_need_offer(request.user),
    }
    return render(request, "matching/needoffer_mine.html", context)


@login_required
@require_GET
@requires(permissions.can_moderate_needs_offers)
def moderation_queue(request):
    page = paginate(request, queries.needs_offers_awaiting_review(), PAGE_SIZE)
    return render(
        request,
        "matching/moderation_queue.html",
        {"page": page, "needs_offers": page.object_list},
    )


@login_required
@require_http_methods(["GET", "POST"])
@requires(permissions.can_moderate_needs_offers)
def needoffer_moderate(request, pk):
    return moderation.moderate_page(
        request,
        queries.needs_offers_visible_to(request.user),
        pk,
        approve=services.approve_need_offer,
        reject=services.reject_need_offer,
        queue="matching:moderation-queue",
        template="matching/needoffer_moderate.html",
        name="need_offer",
    )


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
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.save_match_profile(request.user, **data)
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, _("Your interests are saved."))
            return redirect("matching:recommendations")
    return render(request, "matching/profile_form.html", {"form": form})
