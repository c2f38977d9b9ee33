"""The programme: items, Mist's proposal, invitations to local organizations,
a disrupted day, and the printable bilingual programme."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.queries import edited_organization_ids
from core.pdf import render_pdf
from core.views import save_form
from directory.models import Organization
from visits import forms, permissions, proposal, queries, services
from visits.models import ProgrammeItem
from visits.views.common import (
    managed_visit,
    programme_days,
    visible_visit,
    visit_context,
    zones_for,
)


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request, pk):
    return _item_form(request, managed_visit(request, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk, item_pk):
    visit = managed_visit(request, pk)
    return _item_form(request, visit, get_object_or_404(visit.items, pk=item_pk))


def _item_form(request, visit, item: ProgrammeItem | None):
    """A new programme item when `item` is None, else a change to it."""
    initial = forms.item_initial(item) if item is not None else None
    form = forms.ItemForm(request.POST or None, initial=initial)
    if item is None:
        saved = save_form(
            request,
            form,
            lambda **data: services.add_item(visit, by=request.user, **data),
            message=_("The item is added to the programme."),
        )
    else:
        saved = save_form(
            request,
            form,
            lambda **data: services.update_item(item, by=request.user, **data),
            message=_("The item is saved; everyone concerned is told."),
        )
    if saved:
        return redirect(visit)
    context = visit_context(request, visit, form=form, item=item)
    return render(request, "visits/item_form.html", context)


@login_required
@require_POST
def item_cancel(request, pk, item_pk):
    visit = managed_visit(request, pk)
    item = get_object_or_404(visit.items, pk=item_pk)
    services.cancel_item(item, by=request.user)
    messages.success(request, _("The item is cancelled; everyone concerned is told."))
    return redirect(visit)


@login_required
@require_http_methods(["GET", "POST"])
def visit_b2b(request, pk):
    """A B2B session for the delegation and the organizations that accepted; the
    meetings app's scheduler builds its schedule."""
    from events.models import Event

    visit = managed_visit(request, pk)
    events = Event.objects.exclude(status=Event.Status.CANCELLED).order_by("-starts_at")
    form = forms.B2BSessionForm(request.POST or None, events=events)
    item = save_form(
        request,
        form,
        lambda **data: services.add_b2b_session(visit, by=request.user, **data),
        message=_("The B2B session is in the programme: run the scheduler there."),
    )
    if item:
        return redirect(item.session)
    return render(
        request, "visits/visit_b2b.html", visit_context(request, visit, form=form)
    )


@login_required
@require_GET
def visit_proposal(request, pk):
    """Mist's proposal: local organizations per member and sites, with reasons."""
    visit = managed_visit(request, pk)
    result = proposal.propose_programme(visit)
    invited = set(visit.invitations.values_list("organization_id", flat=True))
    context = visit_context(request, visit, proposal=result, invited=invited)
    return render(request, "visits/visit_proposal.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def visit_invitations(request, pk):
    """The host invites organizations; invited organizations' editors answer."""
    visit = visible_visit(request, pk)
    can_manage = permissions.can_manage_visit(request.user, visit)
    if not can_manage and not permissions.is_invited_editor(request.user, visit):
        raise PermissionDenied
    form = None
    if can_manage:
        initial = {}
        if request.GET.get("organization", "").isdigit():
            initial["organization"] = request.GET["organization"]
            initial["reasons"] = request.GET.get("reasons", "")[:2000]
        form = forms.InvitationForm(request.POST or None, initial=initial)
        if save_form(
            request,
            form,
            lambda **data: services.invite_organization(visit, by=request.user, **data),
            message=_("The invitation is sent to the organization's editors."),
        ):
            return redirect("visits:visit-invitations", pk=visit.pk)
    elif request.method == "POST":
        raise PermissionDenied
    invitations = list(queries.invitations_for(request.user, visit))
    for invitation in invitations:
        invitation.can_answer = permissions.can_answer_invitation(
            request.user, invitation
        )
    context = visit_context(
        request,
        visit,
        form=form,
        invitations=invitations,
        zones=zones_for(visit, request.user),
    )
    return render(request, "visits/visit_invitations.html", context)


@login_required
@require_POST
def invitation_answer(request, pk, invitation_pk, answer):
    visit = visible_visit(request, pk)
    invitation = get_object_or_404(
        queries.invitations_for(request.user, visit), pk=invitation_pk
    )
    services.answer_invitation(invitation, by=request.user, accept=answer == "accept")
    if answer == "accept":
        messages.success(request, _("Thank you: the meeting is in the programme."))
    else:
        messages.success(request, _("Thank you: the host is told you declined."))
    return redirect("visits:visit-invitations", pk=visit.pk)


@login_required
@require_http_methods(["GET", "POST"])
def visit_disruption(request, pk):
    """Pick the lost time of a day, see what it hits, confirm, change it at once."""
    visit = managed_visit(request, pk)
    form = forms.DisruptionForm(request.POST or None)
    affected = plan = None
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = (
            form.cleaned_data["starts_at"],
            form.cleaned_data["ends_at"],
        )
        affected = services.disrupted_items(visit, starts_at, ends_at)
        plan = services.plan_day(visit, starts_at, ends_at)
        if form.cleaned_data.get("confirm"):
            reason = dict(form.fields["reason"].choices)[form.cleaned_data["reason"]]
            counts = services.apply_disruption(
                visit,
                by=request.user,
                starts_at=starts_at,
                ends_at=ends_at,
                reason=str(reason).lower(),
            )
            messages.success(
                request,
                _(
                    "The day's programme is changed: %(moved)s items moved later, "
                    "%(postponed)s postponed. %(people)s people are e-mailed."
                )
                % counts,
            )
            return redirect(visit)
    context = visit_context(request, visit, form=form, affected=affected, plan=plan)
    return render(request, "visits/visit_disruption.html", context)


def _pdf_labels() -> dict:
    return {
        "title": _("Visit programme"),
        "when": _("When"),
        "what": _("What"),
        "where": _("Where"),
        "with": _("With"),
        "none": _("No items in the programme yet."),
        "status_postponed": _("Postponed"),
        "status_cancelled": _("Cancelled"),
        "for": _("For"),
        "interpreter": _("Interpreter needs"),
    }


def bilingual(render_labels) -> tuple[dict, dict, str]:
    """Labels in the page's language first and the other second."""
    first = "en" if translation.get_language() == "en" else "uk"
    second = "uk" if first == "en" else "en"
    labels = {}
    for language in (first, second):
        with translation.override(language):
            labels[language] = {"language": language, **render_labels()}
    return labels[first], labels[second], first


@login_required
@require_GET
def programme_pdf(request, pk):
    """The programme as a printable bilingual PDF (tagged PDF/UA-1): for a member
    (me, or ?member= for the host) or for a host organization (?organization=)."""
    visit = visible_visit(request, pk)
    user = request.user
    person = user
    organization = None
    if request.GET.get("organization", "").isdigit():
        organization = get_object_or_404(
            Organization, pk=request.GET["organization"], deleted_at__isnull=True
        )
        if not (
            permissions.can_manage_visit(user, visit)
            or organization.pk in edited_organization_ids(user)
        ):
            raise Http404
        items = queries.programme_of_organization(visit, organization)
    else:
        if request.GET.get("member", "").isdigit() and permissions.can_manage_visit(
            user, visit
        ):
            member = get_object_or_404(visit.members, user_id=request.GET["member"])
            person = member.user
        items = queries.programme_for(person, visit)
    zones = zones_for(visit, person)
    if organization is None:
        from meetings.timewindows import zone_of

        own = zone_of(person).key
        zones = [z for z in zones if z.key in (zones[0].key, own)]
    else:
        zones = zones[:1]
    first, second, language = bilingual(_pdf_labels)
    titles = {"uk": visit.title_uk, "en": visit.title_en}
    context = {
        "visit": visit,
        "visit_first": titles[language] or titles[second["language"]],
        "visit_second": titles[second["language"]],
        "person": person if organization is None else None,
        "organization": organization,
        "zones": zones,
        "days": programme_days(list(items), zones),
        "first": first,
        "second": second,
        "printed_at": timezone.now(),
        "site_zone_key": zones[0].key,
        "postponed": ProgrammeItem.Status.POSTPONED,
        "cancelled": ProgrammeItem.Status.CANCELLED,
    }
    pdf = render_pdf("visits/programme_pdf.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="visit-{visit.pk}-programme-{language}.pdf"'
    )
    response["Content-Language"] = language
    return response
