"""The specialist's profile, plan and matches; specialists as organizations see
them; invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.views import save_form, visible_or_404
from talent import matches, permissions, queries, services
from talent.forms import InviteForm, ProfileForm
from talent.models import Invitation, PlanStep, Role


@require_GET
def home(request):
    """What talent is, and the ways in."""
    context = {
        "profile": queries.profile_of(request.user),
        "can_create_role": permissions.can_create_role(request.user),
        "can_moderate": permissions.can_moderate_roles(request.user),
    }
    return render(request, "talent/home.html", context)


# The specialist's own pages.


def _own_profile(request):
    """The person's specialist profile, or 404 when there is none."""
    profile = queries.profile_of(request.user)
    if profile is None:
        raise Http404
    return profile


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    if not permissions.can_have_profile(request.user):
        raise PermissionDenied
    profile = queries.profile_of(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if save_form(
        request,
        form,
        lambda **data: services.save_profile(request.user, **data),
        message=_("Your profile is saved."),
    ):
        return redirect("talent:matches")
    context = {"form": form, "profile": profile}
    return render(request, "talent/profile_form.html", context)


@login_required
@require_GET
def profile_download(request):
    """Everything talent holds about the person, as JSON."""
    profile = _own_profile(request)
    response = HttpResponse(
        services.profile_json(profile), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="mist-talent-profile.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile_delete(request):
    profile = _own_profile(request)
    if request.method == "POST":
        services.delete_profile(profile, by=request.user)
        messages.success(request, _("Your specialist profile is deleted."))
        return redirect("talent:home")
    return render(request, "talent/profile_delete.html", {"profile": profile})


@login_required
@require_GET
def my_matches(request):
    """Roles that fit the person, each with its reasons."""
    profile = queries.profile_of(request.user)
    results = matches.roles_for(profile) if profile is not None else []
    return render(
        request, "talent/matches.html", {"profile": profile, "matches": results}
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan(request):
    """The personal return plan; ticking a step off keeps it done."""
    profile = queries.profile_of(request.user)
    if profile is None:
        return redirect("talent:profile-edit")
    if request.method == "POST":
        step = get_object_or_404(PlanStep, pk=request.POST.get("step") or 0)
        services.set_step_done(profile, step, done=request.POST.get("done") == "1")
        return redirect("talent:plan")
    steps = services.plan_for(profile)
    return render(request, "talent/plan.html", {"profile": profile, "steps": steps})


# Specialists, as organizations see them.


def _visible_profile(request, pk, *, may=None):
    user = request.user
    return visible_or_404(
        user,
        queries.profiles_visible_to(user),
        pk,
        can_view=permissions.can_view_profile,
        may=may,
    )


@require_GET
def profile_detail(request, pk):
    profile = _visible_profile(request, pk)
    context = {
        "profile": profile,
        "can_invite": permissions.can_invite(request.user, profile),
    }
    return render(request, "talent/profile_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invite(request, pk):
    profile = _visible_profile(request, pk, may=permissions.can_invite)
    role_id = request.GET.get("role", "")
    form = InviteForm(
        request.POST or None,
        organizations=queries.editable_home_organizations(request.user),
        roles=queries.roles_of(request.user).filter(status=Role.Status.PUBLISHED),
        initial={"role": int(role_id)} if role_id.isdigit() else None,
    )
    if save_form(
        request,
        form,
        lambda **data: services.invite(profile, by=request.user, **data),
        message=_("Invitation sent."),
    ):
        return redirect("talent:invitation-list")
    context = {"form": form, "profile": profile}
    return render(request, "talent/invite_form.html", context)


# Invitations.


@login_required
@require_GET
def invitation_list(request):
    context = {
        "received": queries.invitations_received(request.user)[:100],
        "sent": queries.invitations_sent(request.user)[:100],
    }
    return render(request, "talent/invitation_list.html", context)


def _visible_invitation(request, pk, *, may=None) -> Invitation:
    user = request.user
    return visible_or_404(
        user,
        queries.invitations_for(user),
        pk,
        can_view=permissions.can_view_invitation,
        may=may,
    )


@login_required
@require_GET
def invitation_detail(request, pk):
    invitation = _visible_invitation(request, pk)
    user = request.user
    context = {
        "invitation": invitation,
        "can_respond": permissions.can_respond(user, invitation),
        "show_contacts": permissions.can_see_contacts(user, invitation),
        "is_invited": permissions.is_invited(user, invitation),
    }
    return render(request, "talent/invitation_detail.html", context)


@login_required
@require_POST
def invitation_respond(request, pk):
    invitation = _visible_invitation(request, pk, may=permissions.can_respond)
    accept = request.POST.get("answer") == "accept"
    services.respond(invitation, by=request.user, accept=accept)
    messages.success(
        request,
        _("Accepted: you now see each other's contacts.") if accept else _("Declined."),
    )
    return redirect(invitation)
