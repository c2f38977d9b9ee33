"""Cluster staff's moderation queue: new organizations and profile changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from accounts.queries import editor_memberships
from core.decorators import requires
from core.pagination import paginate
from core.views import render_page
from directory import permissions, queries, services
from directory.forms import ReasonForm
from directory.models import Organization, ProfileRevision, Sector
from directory.views.organizations import PAGE_SIZE


@login_required
@require_GET
@requires(permissions.can_moderate)
def moderation_queue(request):
    """Staff's queue: new organizations and proposed profile changes."""
    tab = request.GET.get("tab") or "organizations"
    if tab not in ("organizations", "changes"):
        tab = "organizations"
    counts = queries.moderation_counts()
    if tab == "organizations":
        page = paginate(
            request, queries.organizations_awaiting_verification(), PAGE_SIZE
        )
        changes = {}
    else:
        page = paginate(request, queries.revisions_awaiting_moderation(), PAGE_SIZE)
        changes = queries.describe_changes(list(page.object_list))
    items = [{"object": item, "changes": changes.get(item.pk, [])} for item in page]
    context = {
        "tab": tab,
        "counts": counts,
        "page_obj": page,
        "items": items,
    }
    return render_page(
        request, "directory/moderation_queue.html", context, fragment="queue"
    )


def _moderation_redirect(request, url):
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
@requires(permissions.can_moderate)
def moderate_organization(request, pk):
    """Verify, reject (with a reason, confirmed) or delete one organization."""
    organization = get_object_or_404(
        queries.with_card_data(Organization.objects.alive()), pk=pk
    )
    reason_form = ReasonForm()
    confirm = None
    if request.method == "POST":
        action = request.POST.get("action")
        queue_url = _queue_url("organizations")
        if action == "verify":
            services.verify_organization(organization, by=request.user)
            messages.success(
                request,
                _("%(name)s is verified and its editors were told.")
                % {"name": organization.name},
            )
            return _moderation_redirect(request, queue_url)
        if action == "reject":
            reason_form, reason = _confirmed_rejection(request)
            if reason is not None:
                services.reject_organization(
                    organization, by=request.user, reason=reason
                )
                messages.success(
                    request,
                    _("%(name)s was rejected; its editors got the reason.")
                    % {"name": organization.name},
                )
                return _moderation_redirect(request, queue_url)
            if reason_form.is_valid():
                confirm = "reject"
        elif action == "delete":
            if request.POST.get("confirm"):
                services.soft_delete_organization(organization, by=request.user)
                messages.success(
                    request,
                    _("%(name)s was deleted from the directory.")
                    % {"name": organization.name},
                )
                return _moderation_redirect(request, queue_url)
            confirm = "delete"
        else:
            raise Http404
    context = {
        "organization": organization,
        "reason_form": reason_form,
        "confirm": confirm,
        "editors": [m.user for m in editor_memberships([organization.pk])],
    }
    return render(request, "directory/moderate_organization.html", context)


def _confirmed_rejection(request) -> tuple[ReasonForm, str | None]:
    """The posted reason form, and the reason once the moderator has confirmed it
    (None while the form is invalid or still waits for the confirmation)."""
    reason_form = ReasonForm(request.POST)
    if reason_form.is_valid() and reason_form.cleaned_data["confirm"]:
        return reason_form, reason_form.cleaned_data["reason"]
    return reason_form, None


def _queue_url(tab: str) -> str:
    return reverse("directory:moderation-queue") + f"?tab={tab}"


@login_required
@require_http_methods(["GET", "POST"])
@requires(permissions.can_moderate)
def moderate_revision(request, pk):
    """Approve (even over a conflict) or reject (with a reason) proposed changes."""
    revision = get_object_or_404(
        ProfileRevision.objects.select_related(
            "organization", "organization__place", "proposed_by", "decided_by"
        ).prefetch_related(
            Prefetch("organization__sectors", queryset=Sector.objects.all()),
            "organization__tags",
        ),
        pk=pk,
        organization__deleted_at__isnull=True,
    )
    organization = revision.organization
    conflict = revision.base_version != organization.version
    reason_form = ReasonForm()
    confirm = None
    error = None
    if request.method == "POST":
        if revision.status != ProfileRevision.Status.PENDING:
            messages.info(request, _("This change has already been decided."))
            return _moderation_redirect(request, _queue_url("changes"))
        action = request.POST.get("action")
        if action == "approve":
            try:
                services.approve_revision(
                    revision, by=request.user, force=bool(request.POST.get("force"))
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(
                    request,
                    _("The changes to %(name)s are published.")
                    % {"name": organization.name},
                )
                return _moderation_redirect(request, _queue_url("changes"))
        elif action == "reject":
            reason_form, reason = _confirmed_rejection(request)
            if reason is not None:
                services.reject_revision(revision, by=request.user, reason=reason)
                messages.success(
                    request,
                    _(
                        "The changes to %(name)s were rejected; the editors got "
                        "the reason."
                    )
                    % {"name": organization.name},
                )
                return _moderation_redirect(request, _queue_url("changes"))
            if reason_form.is_valid():
                confirm = "reject"
        else:
            raise Http404
    context = {
        "revision": revision,
        "organization": organization,
        "changes": queries.describe_changes([revision])[revision.pk],
        "conflict": conflict,
        "reason_form": reason_form,
        "confirm": confirm,
        "error": error,
    }
    return render(request, "directory/moderate_revision.html", context)
