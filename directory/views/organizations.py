"""The public directory: the list (search, filters, sorting) and an
organization's page with its schema.org JSON-LD."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from core import jsonld
from core.pagination import paginate
from core.translation import translated
from core.views import render_page
from directory import permissions, queries
from directory.cards import organization_cards, render_cards
from directory.filters import DirectoryFilter
from directory.models import Organization

PAGE_SIZE = getattr(settings, "MIST_DIRECTORY_PAGE_SIZE", 20)


@require_GET
def organization_list(request):
    """The public directory: search, filters, sorting, pagination; htmx-aware."""
    # Invalid filters are ignored and shown as errors.
    filterset = DirectoryFilter(
        request.GET,
        queryset=queries.organizations_listed_for(request.user),
        user=request.user,
    )
    form = filterset.form
    page = paginate(request, filterset.qs, PAGE_SIZE)
    cards = organization_cards(page.object_list)
    context = {
        "form": form,
        "page_obj": page,
        "organizations": page.object_list,
        "cards": cards,
        "cards_html": render_cards(cards),
        "total": page.paginator.count,
        "search_text": filterset.search_text,
        "active_filters": filterset.active_filter_count(),
        "ordering": filterset.order_key,
        "filter_fields": [form[name] for name in DirectoryFilter.FILTERS],
    }
    return render_page(
        request, "directory/organization_list.html", context, push_clean_url=True
    )


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
    """schema.org data for search engines: the page (a ProfilePage, in the page's
    language) about the Organization; public facts only."""
    page_url = _absolute(request, organization.get_absolute_url())
    return {
        "@context": jsonld.CONTEXT,
        "@type": "ProfilePage",
        "@id": page_url + "#page",
        "url": page_url,
        "inLanguage": get_language(),
        "mainEntity": _organization_data(request, organization, page_url),
    }


def _organization_data(request, organization: Organization, page_url: str) -> dict:
    name = translated(organization, "name")
    other = "en" if name.language == "uk" else "uk"
    data = {
        "@type": SCHEMA_TYPES.get(organization.kind, "Organization"),
        "@id": page_url,
        "name": name.text,
        "url": organization.website or page_url,
        "mainEntityOfPage": page_url,
    }
    if organization.website:
        data["sameAs"] = [organization.website]
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
    places = queries.address_of_place(organization.place)
    locality = str(places.locality.name) if places.locality else ""
    locality = locality or organization.locality
    if locality:
        address["addressLocality"] = locality
    if places.region and places.region != places.locality:
        address["addressRegion"] = str(places.region.name)
    if organization.address:
        address["streetAddress"] = organization.address
    data["address"] = address
    if organization.edrpou:
        data["taxID"] = organization.edrpou
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
        "jsonld": jsonld.script_body(organization_jsonld(request, organization))
        if organization.is_public
        else "",
    }
    return render(request, "directory/organization_detail.html", context)
