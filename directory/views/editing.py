"""Editing an organization's profile (as a revision when moderated), creating
one, and the editor's own organizations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.concurrency import StaleVersionError
from core.decorators import requires
from core.views import add_errors_to_form
from directory import permissions, queries, services
from directory.forms import OrganizationForm
from directory.models import Organization, ProfileRevision


def _editable(request, slug) -> Organization:
    organization = get_object_or_404(
        queries.organizations_visible_to(request.user), slug=slug
    )
    if not permissions.can_edit_organization(request.user, organization):
        raise PermissionDenied
    return organization


def _draft_with(organization: Organization, revision: ProfileRevision | None):
    """The organization as its pending revision would make it (not saved), and the
    initial values of its lists, so an editor continues from their proposal."""
    initial = {}
    if revision is None:
        return organization, initial
    draft = Organization.objects.get(pk=organization.pk)
    for field, value in revision.changes.items():
        if field in services.M2M_FIELDS:
            initial[field] = value
        elif field == "place":
            draft.place_id = value
        elif field == "logo":
            draft.logo.name = value or ""
        else:
            setattr(draft, field, value)
    return draft, initial


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, slug):
    """The profile form for the organization's editors and staff."""
    organization = _editable(request, slug)
    moderated = permissions.edits_go_to_moderation(request.user, organization)
    pending = queries.pending_revision_of(organization) if moderated else None
    draft, initial = _draft_with(organization, pending)
    form = OrganizationForm(
        request.POST or None,
        request.FILES or None,
        instance=draft,
        initial=initial,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.save_profile(
                organization,
                by=request.user,
                expected_version=form.cleaned_data.get("version"),
                **form.profile_data(),
            )
        except StaleVersionError as error:
            form.add_error(None, error)
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            if outcome.awaits_moderation:
                messages.success(
                    request,
                    _(
                        "Your changes were sent to the cluster staff. The page shows "
                        "the approved profile until they are accepted."
                    ),
                )
            elif moderated:
                messages.info(request, _("Nothing changed; no changes are waiting."))
            else:
                messages.success(request, _("The profile was saved."))
            return redirect(organization)
    context = {
        "organization": organization,
        "form": form,
        "pending_revision": pending,
        "moderated": moderated,
        "is_create": False,
        "form_groups": _form_groups(form),
    }
    return render(request, "directory/organization_form.html", context)


def _form_groups(form) -> dict:
    """The form's fields in the page's sections (templates stay free of field lists)."""

    def pick(*names):
        return [form[name] for name in names if name in form.fields]

    return {
        "names": [pick("name_uk", "name_en")],
        "descriptions": [pick("description_uk", "description_en")],
        "kind": pick("kind", "size", "founded_year"),
        "registration": pick("edrpou", "rntrc"),
        "place": pick("country", "place", "locality", "address"),
        "activity": pick("sectors", "tags"),
        "contacts": pick("website", "email", "phone"),
        "cluster": pick("cluster_status", "cluster_member_since"),
    }


@login_required
@require_http_methods(["GET", "POST"])
@requires(permissions.can_create_organization)
def organization_create(request):
    """A signed-in person adds their organization; staff verify it."""
    form = OrganizationForm(
        request.POST or None, request.FILES or None, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.create_organization(
                by=request.user, **form.profile_data()
            )
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(
                request,
                _(
                    "The organization was created. Cluster staff will verify it "
                    "before it appears in the directory."
                ),
            )
            return redirect(organization)
    context = {
        "form": form,
        "is_create": True,
        "moderated": False,
        "form_groups": _form_groups(form),
    }
    return render(request, "directory/organization_form.html", context)


@login_required
@require_GET
def my_organizations(request):
    """The organizations the signed-in person edits, with their status."""
    organizations = list(queries.organizations_edited_by(request.user))
    context = {
        "organizations": organizations,
        "can_create": permissions.can_create_organization(request.user),
    }
    return render(request, "directory/my_organizations.html", context)
