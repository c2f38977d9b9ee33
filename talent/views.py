"""Pages of talent: the specialist's profile, plan and matches; roles and their
moderation; invitations; what the city learns."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import is_cluster_staff
from core import exports, moderation, search
from core.pagination import paginate
from core.views import add_errors_to_form, render_page
from directory.models import Organization
from talent import aggregates, matches, permissions, queries, services
from talent.forms import InviteForm, ProfileForm, RoleFilterForm, RoleForm
from talent.models import Invitation, PlanStep, Role

PAGE_SIZE = getattr(settings, "MIST_DIRECTORY_PAGE_SIZE", 20)


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


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    if not permissions.can_have_profile(request.user):
        raise PermissionDenied
    profile = queries.profile_of(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.save_profile(request.user, **data)
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("talent:matches")
    return render(
        request, "talent/profile_form.html", {"form": form, "profile": profile}
    )


@login_required
@require_GET
def profile_download(request):
    """Everything talent holds about the person, as JSON."""
    profile = queries.profile_of(request.user)
    if profile is None:
        raise Http404
    response = HttpResponse(
        services.profile_json(profile), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="mist-talent-profile.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile_delete(request):
    profile = queries.profile_of(request.user)
    if profile is None:
        raise Http404
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


def _visible_profile(request, pk):
    profile = get_object_or_404(queries.profiles_visible_to(request.user), pk=pk)
    if not permissions.can_view_profile(request.user, profile):
        raise Http404
    return profile


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
    profile = _visible_profile(request, pk)
    if not permissions.can_invite(request.user, profile):
        raise PermissionDenied
    organizations = Organization.objects.filter(
        pk__in=queries.home_organization_ids(request.user)
    ).order_by("name_uk")
    roles = queries.roles_of(request.user).filter(status=Role.Status.PUBLISHED)
    role_id = request.GET.get("role", "")
    form = InviteForm(
        request.POST or None,
        organizations=organizations,
        roles=roles,
        initial={"role": int(role_id)} if role_id.isdigit() else None,
    )
    if form.is_valid():
        try:
            services.invite(profile, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, _("Invitation sent."))
            return redirect("talent:invitation-list")
    return render(
        request, "talent/invite_form.html", {"form": form, "profile": profile}
    )


# Invitations.


@login_required
@require_GET
def invitation_list(request):
    context = {
        "received": queries.invitations_received(request.user)[:100],
        "sent": queries.invitations_sent(request.user)[:100],
    }
    return render(request, "talent/invitation_list.html", context)


def _visible_invitation(request, pk) -> Invitation:
    invitation = get_object_or_404(queries.invitations_for(request.user), pk=pk)
    if not permissions.can_view_invitation(request.user, invitation):
        raise Http404
    return invitation


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
    invitation = _visible_invitation(request, pk)
    if not permissions.can_respond(request.user, invitation):
        raise PermissionDenied
    accept = request.POST.get("answer") == "accept"
    services.respond(invitation, by=request.user, accept=accept)
    messages.success(
        request,
        _("Accepted: you now see each other's contacts.") if accept else _("Declined."),
    )
    return redirect(invitation)


# Roles.


def _editable_organizations(user):
    if is_cluster_staff(user):
        return queries.home_organizations().order_by("name_uk")
    return Organization.objects.filter(
        pk__in=queries.home_organization_ids(user)
    ).order_by("name_uk")


@require_GET
def role_list(request):
    """Published roles: search, filters, sorting, pagination."""
    form = RoleFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    roles = queries.filter_roles(queries.roles_published(), **form.filters())
    if form.search_text:
        roles = search.filter_by_terms(roles, form.search_text)
    roles = moderation.sort_listings(roles, form.ordering)
    page = paginate(request, roles, PAGE_SIZE)
    context = {
        "form": form,
        "page_obj": page,
        "roles": page.object_list,
        "total": page.paginator.count,
        "active_filters": form.active_filter_count(),
        "can_create": permissions.can_create_role(request.user),
        "can_moderate": permissions.can_moderate_roles(request.user),
    }
    return render_page(request, "talent/role_list.html", context)


def _visible_role(request, pk, *, may=None) -> Role:
    role = get_object_or_404(queries.roles_visible_to(request.user), pk=pk)
    if not permissions.can_view_role(request.user, role):
        raise Http404
    if may is not None and not may(request.user, role):
        raise PermissionDenied
    return role


def role_jsonld(request, role: Role) -> str:
    """schema.org JobPosting for search engines; public facts only."""
    data = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": role.title_en or role.title_uk,
        "description": role.description_en or role.description_uk,
        "datePosted": (role.published_at or role.created_at).date().isoformat(),
        "validThrough": role.valid_until.isoformat(),
        "hiringOrganization": {
            "@type": "Organization",
            "name": role.organization.name_en or role.organization.name_uk,
            "sameAs": request.build_absolute_uri(role.organization.get_absolute_url()),
        },
        "skills": ", ".join(tag.name_en for tag in role.skills.all()),
        "url": request.build_absolute_uri(role.get_absolute_url()),
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressCountry": role.organization.country.code,
            },
        },
    }
    if role.work_mode == Role.WorkMode.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
    if role.salary_min or role.salary_max:
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": role.salary_currency,
            "value": {
                "@type": "QuantitativeValue",
                "minValue": role.salary_min,
                "maxValue": role.salary_max,
                "unitText": "MONTH",
            },
        }
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


@require_GET
def role_detail(request, pk):
    role = _visible_role(request, pk)
    user = request.user
    context = {
        "role": role,
        "can_edit": permissions.can_edit_role(user, role),
        "can_submit": permissions.can_submit_role(user, role),
        "can_renew": permissions.can_renew_role(user, role),
        "can_fill": permissions.can_fill_role(user, role),
        "can_see_specialists": permissions.can_see_specialists_for(user, role),
        "can_moderate": permissions.can_moderate_roles(user)
        and role.status == Role.Status.PENDING,
        "jsonld": role_jsonld(request, role) if role.is_public else "",
    }
    return render(request, "talent/role_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def role_create(request):
    if not permissions.can_create_role(request.user):
        raise PermissionDenied
    return _role_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def role_edit(request, pk):
    role = _visible_role(request, pk, may=permissions.can_edit_role)
    return _role_form(request, role)


def _role_form(request, role: Role | None):
    form = RoleForm(
        request.POST or None,
        instance=role,
        organizations=_editable_organizations(request.user),
    )
    return moderation.form_page(
        request,
        role,
        form=form,
        create=services.create_role,
        update=services.update_role,
        template="talent/role_form.html",
        context={"role": role},
    )


@login_required
@require_POST
def role_submit(request, pk):
    role = _visible_role(request, pk, may=permissions.can_submit_role)
    return moderation.submit_page(request, role, services.submit_role)


@login_required
@require_POST
def role_renew(request, pk):
    role = _visible_role(request, pk, may=permissions.can_renew_role)
    return moderation.renew_page(request, role, services.renew_role)


@login_required
@require_POST
def role_fill(request, pk):
    role = _visible_role(request, pk, may=permissions.can_fill_role)
    services.mark_role_filled(role, by=request.user)
    messages.success(request, _("Marked as filled. Congratulations!"))
    return redirect(role)


@login_required
@require_GET
def role_mine(request):
    page = paginate(request, queries.roles_of(request.user), PAGE_SIZE)
    context = {
        "page_obj": page,
        "roles": page.object_list,
        "can_create": permissions.can_create_role(request.user),
    }
    return render(request, "talent/role_mine.html", context)


@login_required
@require_GET
def role_specialists(request, pk):
    """Specialists who allow it and fit the role, ranked, with reasons."""
    role = _visible_role(request, pk, may=permissions.can_see_specialists_for)
    results = matches.specialists_for(role, request.user)
    return render(
        request, "talent/role_specialists.html", {"role": role, "matches": results}
    )


@login_required
@require_GET
def moderation_queue(request):
    if not permissions.can_moderate_roles(request.user):
        raise PermissionDenied
    page = paginate(request, queries.roles_awaiting_review(), PAGE_SIZE)
    return render(
        request,
        "talent/moderation_queue.html",
        {"page_obj": page, "roles": page.object_list},
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_moderate(request, pk):
    if not permissions.can_moderate_roles(request.user):
        raise PermissionDenied
    return moderation.moderate_page(
        request,
        queries.roles_visible_to(request.user),
        pk,
        approve=services.approve_role,
        reject=services.reject_role,
        queue="talent:moderation-queue",
        template="talent/role_moderate.html",
        name="role",
    )


class RoleFeed(Feed):
    """New published roles (RSS 2.0)."""

    def title(self):
        return _("Return-friendly roles")

    def link(self):
        return reverse("talent:role-list")

    def description(self):
        return _("New roles at local organizations for people who come back.")

    def items(self):
        return queries.roles_published().order_by("-published_at", "-pk")[:50]

    def item_title(self, item):
        return str(item.title)

    def item_description(self, item):
        return str(item.description)

    def item_pubdate(self, item):
        return item.published_at or item.created_at

    def item_author_name(self, item):
        return str(item.organization)


class RoleAtomFeed(RoleFeed):
    feed_type = Atom1Feed
    subtitle = RoleFeed.description


# What the city learns.


@require_GET
def figures(request):
    """The public aggregate page: every small cell shows "fewer than 5"."""
    context = {
        "tables": aggregates.tables(),
        "staff": False,
        "can_view_staff": permissions.can_view_staff_figures(request.user),
        "generated_at": timezone.now(),
    }
    return render(request, "talent/figures.html", context)


@login_required
@require_GET
def figures_staff(request):
    if not permissions.can_view_staff_figures(request.user):
        raise PermissionDenied
    context = {
        "tables": aggregates.tables(staff=True),
        "staff": True,
        "can_view_staff": True,
        "generated_at": timezone.now(),
    }
    return render(request, "talent/figures.html", context)


@require_GET
def figures_csv(request):
    staff = request.GET.get("staff") == "1"
    if staff and not permissions.can_view_staff_figures(request.user):
        raise PermissionDenied
    return exports.download(
        exports.csv_chunks(list(aggregates.csv_rows(staff=staff))),
        filename="talent-figures.csv",
    )


# Survey import.


@login_required
@require_http_methods(["GET", "POST"])
def survey_import(request):
    """Upload survey answers: a dry run first, then the apply, each with its report."""
    from talent import survey
    from talent.forms import SurveyForm

    if not permissions.can_import_survey(request.user):
        raise PermissionDenied
    form = SurveyForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        if "apply" in request.POST:
            report = survey.import_survey(data, upload.name, by=request.user)
        else:
            report = survey.check_survey(data, upload.name)
    context = {"form": form, "report": report, "columns": survey.COLUMNS}
    return render(request, "talent/survey_import.html", context)
