"""Return-friendly roles: the shared listing pages, the role's own page, the
specialists who fit it, the feeds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import jsonld
from core.moderation.pages import ListingPages
from talent import matches, permissions, queries, services
from talent.forms import RoleFilterForm, RoleForm
from talent.models import Role
from talent.structured_data import role_jsonld

PAGES = ListingPages(
    services.LIFECYCLE,
    app="talent",
    stem="role",
    name="role",
    plural="roles",
    visible_to=queries.roles_visible_to,
    can_view=permissions.can_view_role,
    can_create=permissions.can_create_role,
    published=queries.roles_published,
    filter_listings=queries.filter_roles,
    filter_form=RoleFilterForm,
    form=RoleForm,
    editable_organizations=queries.role_organizations,
    of_user=queries.roles_of,
    awaiting=queries.roles_awaiting_review,
)


@require_GET
def role_detail(request, pk):
    role = PAGES.visible(request, pk)
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
        "jsonld": jsonld.script_body(
            role_jsonld(role, absolute=request.build_absolute_uri)
        )
        if role.is_public
        else "",
    }
    return render(request, "talent/role_detail.html", context)


@login_required
@require_POST
def role_fill(request, pk):
    role = PAGES.visible(request, pk, may=permissions.can_fill_role)
    services.mark_role_filled(role, by=request.user)
    messages.success(request, _("Marked as filled. Congratulations!"))
    return redirect(role)


@login_required
@require_GET
def role_specialists(request, pk):
    """Specialists who allow it and fit the role, ranked, with reasons."""
    role = PAGES.visible(request, pk, may=permissions.can_see_specialists_for)
    results = matches.specialists_for(role, request.user)
    return render(
        request, "talent/role_specialists.html", {"role": role, "matches": results}
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
