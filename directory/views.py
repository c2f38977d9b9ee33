"""The directory's pages: browse, read, edit, and moderate."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from accounts.queries import editor_memberships
from core.concurrency import StaleVersionError
from core.pagination import paginate
from core.translation import translated
from directory import permissions, queries, search, services
from directory.cards import organization_cards
from directory.forms import DirectoryFilterForm, OrganizationForm, ReasonForm
from directory.models import Organization, ProfileRevision, Sector

PAGE_SIZE = getattr(settings, "MIST_DIRECTORY_PAGE_SIZE", 20)


@require_GET
def organization_list(request):
    """The public directory: search, filters, sorting, pagination; htmx-aware."""
    form = DirectoryFilterForm(request.GET or None, user=request.user)
    if form.is_bound:
        form.is_valid()  # invalid filters are ignored and shown as errors
    organizations = queries.organizations_listed_for(request.user)
    filters = form.filters()
    organizations = queries.filter_organizations(organizations, **filters)
    if form.search_text:
        organizations = search.search_organizations(organizations, form.search_text)
    organizations = queries.sort_organizations(organizations, form.ordering)
    page = paginate(request, organizations, PAGE_SIZE)
    context = {
        "form": form,
        "page_obj": page,
        "organizations": page.object_list,
        "cards": organization_cards(page.object_list),
        "total": page.paginator.count,
        "search_text": form.search_text,
        "active_filters": form.active_filter_count(),
        "ordering": form.ordering,
        "filter_fields": [form[name] for name in DirectoryFilterForm.FILTERS],
    }
    template = "directory/organization_list.html"
    if request.htmx and not request.htmx.boosted:
        response = render(request, f"{template}#results", context)
        # The address bar shows only the filters in use, not every empty field.
        response["HX-Push-Url"] = _clean_url(request)
        return response
    return render(request, template, context)


def _clean_url(request) -> str:
    query = request.GET.copy()
    for key in list(query):
        if not any(query.getlist(key)):
            del query[key]
    encoded = query.urlencode()
    return request.path + (f"?{encoded}" if encoded else "")


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url)


SCHEMA_TYPES = {
    Organization.Kind.EDUCATION: "EducationalOrganization",
    Organization.Kind.RESEARCH: "ResearchOrganization",
    Organization.Kind.CITY_BODY: "GovernmentOrganization",
    Organization.Kind.COMMUNAL_ENTERPRISE: "GovernmentOrganization",
    Organization.Kind.NGO: "NGO",
}
SIZE_RANGES = {
    Organization.Size.MICRO: (1, 9),
    Organization.Size.SMALL: (10, 49),
    Organization.Size.MEDIUM: (50, 249),
    Organization.Size.LARGE: (250, 999),
    Organization.Size.ENTERPRISE: (1000, None),
}


def organization_jsonld(request, organization: Organization) -> dict:
    """schema.org Organization data for search engines; public facts only."""
    page_url = _absolute(request, organization.get_absolute_url())
    name = translated(organization, "name")
    other = "en" if name.language == "uk" else "uk"
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(organization.kind, "Organization"),
        "@id": page_url,
        "name": name.text,
        "url": organization.website or page_url,
        "mainEntityOfPage": page_url,
    }
    alternate = translated(organization, "name", other).text
    if alternate and alternate != name.text:
        data["alternateName"] = alternate
    description = translated(organization, "description")
    if description:
        data["description"] = description.text
    if organization.logo:
        data["logo"] = _absolute(request, organization.logo.url)
    if organization.founded_year:
        data["foundingDate"] = str(organization.founded_year)
    if organization.email:
        data["email"] = organization.email
    if organization.phone:
        data["telephone"] = organization.phone
    address = {"@type": "PostalAddress", "addressCountry": str(organization.country)}
    locality = str(organization.place.name) if organization.place else ""
    locality = locality or organization.locality
    if locality:
        address["addressLocality"] = locality
    if organization.address:
        address["streetAddress"] = organization.address
    data["address"] = address
    if organization.edrpou:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "EDRPOU",
            "value": organization.edrpou,
        }
    if organization.size in SIZE_RANGES:
        low, high = SIZE_RANGES[organization.size]
        employees = {"@type": "QuantitativeValue", "minValue": low}
        if high:
            employees["maxValue"] = high
        data["numberOfEmployees"] = employees
    topics = [str(tag.name) for tag in organization.tags.all()]
    topics += [str(sector.name) for sector in organization.sectors.all()]
    if topics:
        data["knowsAbout"] = topics
    if organization.cluster_status == Organization.ClusterStatus.MEMBER:
        data["memberOf"] = {
            "@type": "Organization",
            "name": str(settings.MIST_CLUSTER_NAME),
        }
    return data


def _jsonld_script_body(data: dict) -> str:
    """JSON for a <script> element: "<", ">" and "&" escaped as json_script does."""
    text = json.dumps(data, ensure_ascii=False, indent=None)
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(text)  # escaped above for a script context


@require_GET
def organization_detail(request, slug):
    """An organization's public page; its editors and staff see a little more."""
    organization = queries.organization_for_page(request.user, slug)
    if organization is None or not permissions.can_view_organization(
        request.user, organization
    ):
        raise Http404
    can_edit = permissions.can_edit_organization(request.user, organization)
    pending = queries.pending_revision_of(organization) if can_edit else None
    sectors = sorted(organization.sectors.all(), key=lambda s: s.code)
    context = {
        "organization": organization,
        "sectors": sectors,
        "tags": list(organization.tags.all()),
        "can_edit": can_edit,
        "can_moderate": permissions.can_moderate(request.user),
        "show_private": permissions.can_see_private_identifiers(
            request.user, organization
        ),
        "pending_revision": pending,
        "jsonld": _jsonld_script_body(organization_jsonld(request, organization))
        if organization.is_public
        else "",
    }
    return render(request, "directory/organization_detail.html", context)


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
            _add_model_errors(form, error)
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


def _add_model_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


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
def organization_create(request):
    """A signed-in person adds their organization; staff verify it."""
    if not permissions.can_create_organization(request.user):
        raise PermissionDenied
    form = OrganizationForm(
        request.POST or None, request.FILES or None, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.create_organization(
                by=request.user, **form.profile_data()
            )
        except ValidationError as error:
            _add_model_errors(form, error)
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


def _require_moderator(request) -> None:
    if not permissions.can_moderate(request.user):
        raise PermissionDenied


@login_required
@require_GET
def moderation_queue(request):
    """Staff's queue: new organizations and proposed profile changes."""
    _require_moderator(request)
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
    template = "directory/moderation_queue.html"
    if request.htmx and not request.htmx.boosted:
        template += "#queue"
    return render(request, template, context)


def _moderation_redirect(request, url):
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def moderate_organization(request, pk):
    """Verify, reject (with a reason, confirmed) or delete one organization."""
    _require_moderator(request)
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
            reason_form = ReasonForm(request.POST)
            if reason_form.is_valid():
                if reason_form.cleaned_data["confirm"]:
                    services.reject_organization(
                        organization,
                        by=request.user,
                        reason=reason_form.cleaned_data["reason"],
                    )
                    messages.success(
                        request,
                        _("%(name)s was rejected; its editors got the reason.")
                        % {"name": organization.name},
                    )
                    return _moderation_redirect(request, queue_url)
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


def _queue_url(tab: str) -> str:
    return reverse("directory:moderation-queue") + f"?tab={tab}"


@login_required
@require_http_methods(["GET", "POST"])
def moderate_revision(request, pk):
    """Approve (even over a conflict) or reject (with a reason) proposed changes."""
    _require_moderator(request)
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
            reason_form = ReasonForm(request.POST)
            if reason_form.is_valid():
                if reason_form.cleaned_data["confirm"]:
                    services.reject_revision(
                        revision,
                        by=request.user,
                        reason=reason_form.cleaned_data["reason"],
                    )
                    messages.success(
                        request,
                        _(
                            "The changes to %(name)s were rejected; the editors got "
                            "the reason."
                        )
                        % {"name": organization.name},
                    )
                    return _moderation_redirect(request, _queue_url("changes"))
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
