import io
import json
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from accounts.models import Membership, Role
from core.models import AuditEntry
from directory import services
from directory.models import Organization, Place, ProfileRevision, Sector
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PlaceFactory,
    TagFactory,
    UserFactory,
)

VALID_EDRPOU = "32855961"
VALID_RNTRC = "3123456708"


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"directory:{name}", kwargs=kwargs or None)


def detail(organization, language="en"):
    return url("organization-detail", language, slug=organization.slug)


def text_of(response) -> str:
    return response.content.decode()


def form_data(organization=None, **changes):
    """A complete, valid profile form submission."""
    data = {
        "name_uk": organization.name_uk if organization else "Нова Компанія",
        "name_en": organization.name_en if organization else "New Company",
        "kind": organization.kind if organization else Organization.Kind.IT_COMPANY,
        "description_uk": organization.description_uk if organization else "Опис.",
        "description_en": organization.description_en if organization else "About.",
        "legal_form": "none",
        "edrpou": "",
        "rntrc": "",
        "country": "UA",
        "place": "",
        "locality": "",
        "address": "",
        "size": "",
        "founded_year": "",
        "website": "",
        "email": "",
        "phone": "",
        "visibility": Organization.Visibility.PUBLIC,
        # Only staff see this field; editors' forms ignore it.
        "cluster_status": organization.cluster_status if organization else "none",
    }
    if organization is not None:
        data["version"] = organization.version
    data.update(changes)
    return data


def png_file(size_bytes=0, name="logo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "navy").save(buffer, "PNG")
    content = buffer.getvalue() + b"\0" * size_bytes
    return SimpleUploadedFile(name, content, content_type="image/png")


# Directory list


def test_list_shows_verified_public_organizations_with_plural_count(client, db):
    OrganizationFactory(name_en="Visible One")
    OrganizationFactory(name_en="Visible Two")
    OrganizationFactory(
        name_en="Hidden Pending", verification=Organization.Verification.PENDING
    )
    OrganizationFactory(
        name_en="Members Only", visibility=Organization.Visibility.MEMBERS
    )

    response = client.get(url("organization-list"))

    body = text_of(response)
    assert response.status_code == 200
    assert "Found 2 organizations" in body
    assert "Visible One" in body
    assert "Visible Two" in body
    assert "Hidden Pending" not in body
    assert "Members Only" not in body


def test_list_count_uses_singular(client, organization):
    response = client.get(url("organization-list"))

    assert re.search(r"Found 1 organization\s*<", text_of(response))


def test_list_filters_by_kind_and_cluster(client, db):
    OrganizationFactory(
        name_en="Member NGO",
        kind=Organization.Kind.NGO,
        cluster_status=Organization.ClusterStatus.MEMBER,
    )
    OrganizationFactory(name_en="Plain NGO", kind=Organization.Kind.NGO)
    OrganizationFactory(name_en="Startup", kind=Organization.Kind.STARTUP)

    response = client.get(url("organization-list"), {"kind": "ngo", "cluster": "yes"})

    assert [o.name_en for o in response.context["organizations"]] == ["Member NGO"]
    assert "IT Cluster member" in text_of(response)


def test_list_filters_by_section_code_and_tag_slug(client, db):
    division = Sector.objects.get(code="62")
    tag = TagFactory(slug="python-x", name_en="Python X")
    match = OrganizationFactory(name_en="Match")
    match.sectors.add(division)
    match.tags.add(tag)
    OrganizationFactory(name_en="Other").sectors.add(division)

    response = client.get(url("organization-list"), {"sector": "J", "tag": "python-x"})

    assert [o.name_en for o in response.context["organizations"]] == ["Match"]


def test_list_filters_by_city_including_districts(client, db):
    district = PlaceFactory(
        code="UA63120270010216514"
    )  # Kyivskyi district, from reference data
    OrganizationFactory(name_en="In district", place=district)
    OrganizationFactory(name_en="No place")

    response = client.get(url("organization-list"), {"place": "UA63120270010096107"})

    assert [o.name_en for o in response.context["organizations"]] == ["In district"]


def test_list_search_by_name(client, db):
    OrganizationFactory(name_uk="Сонячна Компанія", name_en="Sunny Company")
    OrganizationFactory(name_uk="Місячна Фабрика", name_en="Moon Factory")

    response = client.get(url("organization-list"), {"q": "Sunny"})

    assert [o.name_en for o in response.context["organizations"]] == ["Sunny Company"]
    assert "for “Sunny”" in text_of(response)
    assert response.context["ordering"] == "relevance"


def test_list_sorts_by_name_descending(client, db):
    for name in ("Beta", "Alpha", "Gamma"):
        OrganizationFactory(name_en=name)

    response = client.get(url("organization-list"), {"sort": "-name"})

    assert [o.name_en for o in response.context["organizations"]] == [
        "Gamma",
        "Beta",
        "Alpha",
    ]


def test_list_paginates_twenty_a_page(client, db):
    OrganizationFactory.create_batch(23)

    first = client.get(url("organization-list"))
    second = client.get(url("organization-list"), {"page": 2})

    assert len(first.context["organizations"]) == 20
    assert len(second.context["organizations"]) == 3
    assert "Found 23 organizations" in text_of(second)
    assert 'href="?page=2"' in text_of(first)


def test_list_ignores_invalid_filter_and_keeps_the_rest(client, db):
    OrganizationFactory(name_en="NGO", kind=Organization.Kind.NGO)
    OrganizationFactory(name_en="Startup", kind=Organization.Kind.STARTUP)

    response = client.get(url("organization-list"), {"kind": "ngo", "tag": "nope"})

    assert [o.name_en for o in response.context["organizations"]] == ["NGO"]
    assert "Select a valid choice" in text_of(response)


def test_list_empty_state_suggests_clearing_filters(client, organization):
    response = client.get(url("organization-list"), {"kind": "investor"})

    body = text_of(response)
    assert "Found 0 organizations" in body
    assert "No organizations match" in body
    assert "Clear search and filters" in body


def test_list_htmx_request_gets_only_results(client, organization):
    response = client.get(url("organization-list"), HTTP_HX_REQUEST="true")

    body = text_of(response)
    assert body.lstrip().startswith('<section id="results"')
    assert "<html" not in body
    assert organization.name_en in body


def test_list_htmx_pushes_url_without_empty_filters(client, organization):
    response = client.get(
        url("organization-list"),
        {"q": "", "kind": "it_company", "tag": "", "sort": ""},
        HTTP_HX_REQUEST="true",
    )

    assert response["HX-Push-Url"] == "/en/directory/?kind=it_company"


def test_list_searching_with_default_sort_orders_by_relevance(client, organization):
    response = client.get(url("organization-list"), {"q": "Organization", "sort": ""})

    assert response.context["ordering"] == "relevance"


def test_list_shows_fallback_mark_for_name_in_other_language(client, db):
    OrganizationFactory(name_uk="Only English", name_en="Only English Ltd")
    org = OrganizationFactory(name_uk="Тільки Українська", name_en="")

    response = client.get(url("organization-list", language="uk"))
    english = client.get(url("organization-list", language="en"))

    assert "Тільки Українська" in text_of(response)
    # English falls back to the official transliteration, not marked as foreign.
    assert org.name_fallback_en() in text_of(english)


def test_list_form_works_without_javascript(client, organization):
    response = client.get(url("organization-list"))

    body = text_of(response)
    assert 'method="get"' in body
    assert 'hx-get="/en/directory/"' in body
    assert 'hx-push-url="true"' in body


@pytest.mark.parametrize("count", [1, 5])
def test_list_query_count_is_constant(client, db, count, django_assert_num_queries):
    tag = TagFactory()
    for organization in OrganizationFactory.create_batch(
        count, place=PlaceFactory(code="UA63120270010216514")
    ):
        organization.tags.add(tag)
        organization.sectors.add(Sector.objects.get(code="62"))

    # sectors, tags, places, countries (filters); count; page; sectors; tags
    with django_assert_num_queries(8):
        response = client.get(url("organization-list"))

    assert len(response.context["organizations"]) == count


@pytest.mark.parametrize("count", [1, 5])
def test_list_query_count_with_search_and_filters(
    client, db, count, django_assert_num_queries
):
    tag = TagFactory(slug="rockets")
    district = Place.objects.get(code="UA63120270010216514")
    for index in range(count):
        organization = OrganizationFactory(
            name_en=f"Rocket {index}", kind=Organization.Kind.NGO, place=district
        )
        organization.tags.add(tag)
        organization.sectors.add(Sector.objects.get(code="62"))
    OrganizationFactory(name_en="Rocket elsewhere")

    # 4 filter choices; sector, tag, place looked up (+ the place tree); count;
    # page; sectors; tags
    with django_assert_num_queries(12):
        response = client.get(
            url("organization-list"),
            {
                "q": "Rocket",
                "kind": "ngo",
                "sector": "J",
                "tag": "rockets",
                "place": "UA63120270010096107",
            },
        )

    assert len(response.context["organizations"]) == count


# Organization page


def test_detail_shows_public_fields(client, db):
    tag = TagFactory(name_en="Machine learning")
    organization = OrganizationFactory(
        name_en="Acme",
        description_en="First paragraph.\n\nSecond paragraph.",
        edrpou=VALID_EDRPOU,
        founded_year=2015,
        size=Organization.Size.SMALL,
        website="https://acme.example.org",
        email="hello@acme.example.org",
        cluster_status=Organization.ClusterStatus.MEMBER,
    )
    organization.tags.add(tag)

    response = client.get(detail(organization))

    body = text_of(response)
    assert "<p>First paragraph.</p><p>Second paragraph.</p>" in body
    assert VALID_EDRPOU in body
    assert "2015" in body
    assert "10–49 people" in body
    assert "Machine learning" in body
    assert "hello@acme.example.org" in body
    assert "IT Cluster member" in body
    assert "Edit profile" not in body


def test_detail_marks_description_in_the_other_language(client, db):
    organization = OrganizationFactory(
        description_uk="Лише українською.", description_en=""
    )

    response = client.get(detail(organization))

    body = text_of(response)
    assert 'lang="uk"' in body
    assert "Лише українською." in body
    assert "original in Ukrainian" in body


def test_detail_never_shows_rntrc_publicly(client, db):
    organization = OrganizationFactory(rntrc=VALID_RNTRC, edrpou=None)

    anonymous = client.get(detail(organization))
    client.force_login(UserFactory(role=Role.INVESTOR))
    signed_in = client.get(detail(organization))

    assert VALID_RNTRC not in text_of(anonymous)
    assert VALID_RNTRC not in text_of(signed_in)


def test_detail_shows_rntrc_to_editor(client, db):
    organization = OrganizationFactory(rntrc=VALID_RNTRC, edrpou=None)
    editor = MembershipFactory(organization=organization).user
    client.force_login(editor)

    response = client.get(detail(organization))

    assert VALID_RNTRC in text_of(response)
    assert "Edit profile" in text_of(response)


def test_detail_has_valid_jsonld_with_csp_nonce(client, db):
    organization = OrganizationFactory(
        name_en="Acme </script> Ltd", edrpou=VALID_EDRPOU, rntrc=None
    )

    response = client.get(detail(organization))

    body = text_of(response)
    match = re.search(
        r'<script type="application/ld\+json" nonce="([^"]+)">(.*?)</script>',
        body,
        re.S,
    )
    assert match is not None
    nonce, payload = match.groups()
    page = json.loads(payload)
    data = page["mainEntity"]
    assert page["@type"] == "ProfilePage"
    assert page["inLanguage"] == "en"
    assert data["@type"] == "Organization"
    assert data["name"] == "Acme </script> Ltd"
    assert data["taxID"] == VALID_EDRPOU
    assert data["identifier"]["value"] == VALID_EDRPOU
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_jsonld_address_names_city_and_region_of_a_city_district(client, db):
    district = Place.objects.filter(
        category="B", code__startswith=settings.MIST_CITY_KATOTTG[:12]
    ).first()
    city = Place.objects.get(code=settings.MIST_CITY_KATOTTG)
    region = Place.objects.get(category="O", code__startswith=city.code[:4])
    organization = OrganizationFactory(
        place=district, website="https://acme.example.org"
    )

    response = client.get(detail(organization))

    payload = re.search(r"application/ld\+json[^>]*>(.*?)</script>", text_of(response))
    data = json.loads(payload.group(1))["mainEntity"]
    assert data["address"]["addressLocality"] == city.name_en
    assert data["address"]["addressRegion"] == region.name_en
    assert data["sameAs"] == ["https://acme.example.org"]


def test_jsonld_never_contains_rntrc(client, db):
    organization = OrganizationFactory(rntrc=VALID_RNTRC, edrpou=None)
    client.force_login(MembershipFactory(organization=organization).user)

    response = client.get(detail(organization))

    payload = re.search(r"application/ld\+json[^>]*>(.*?)</script>", text_of(response))
    assert VALID_RNTRC not in payload.group(1)


@pytest.mark.parametrize(
    "state",
    [
        {"verification": Organization.Verification.PENDING},
        {"visibility": Organization.Visibility.MEMBERS},
    ],
)
def test_detail_hidden_from_anonymous_is_404(client, db, state):
    organization = OrganizationFactory(**state)

    response = client.get(detail(organization))

    assert response.status_code == 404


def test_detail_missing_is_404(client, db):
    response = client.get(url("organization-detail", slug="nope"))

    assert response.status_code == 404


def test_detail_tells_editor_about_pending_changes(client, organization, editor):
    services.propose_profile_changes(organization, by=editor, description_en="New.")
    client.force_login(editor)

    response = client.get(detail(organization))

    body = text_of(response)
    assert "Your changes are waiting for moderation" in body
    assert "Software development." in body
    assert "New." not in body


# Editing


def test_edit_requires_sign_in(client, organization):
    response = client.get(url("organization-edit", slug=organization.slug))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_edit_forbidden_for_other_users(client, organization):
    client.force_login(UserFactory())

    response = client.get(url("organization-edit", slug=organization.slug))

    assert response.status_code == 403


def test_edit_of_invisible_organization_is_404(client, db):
    organization = OrganizationFactory(verification=Organization.Verification.PENDING)
    client.force_login(UserFactory())

    response = client.get(url("organization-edit", slug=organization.slug))

    assert response.status_code == 404


def test_edit_form_shows_both_languages_side_by_side(client, organization, editor):
    client.force_login(editor)

    response = client.get(url("organization-edit", slug=organization.slug))

    body = text_of(response)
    assert "Name in Ukrainian" in body
    assert "Name in English" in body
    assert 'name="version" value="1"' in body
    assert "cluster_status" not in body  # staff only


def test_editor_edit_of_verified_profile_waits_for_moderation(
    client, organization, editor
):
    client.force_login(editor)

    response = client.post(
        url("organization-edit", slug=organization.slug),
        form_data(organization, description_en="Better text."),
        follow=True,
    )

    organization.refresh_from_db()
    revision = ProfileRevision.objects.get()
    assert organization.description_en == "Software development."
    assert revision.changes == {"description_en": "Better text."}
    assert "Your changes are waiting for moderation" in text_of(response)


def test_edit_form_continues_from_pending_proposal(client, organization, editor):
    services.propose_profile_changes(organization, by=editor, description_en="Draft.")
    client.force_login(editor)

    response = client.get(url("organization-edit", slug=organization.slug))

    assert "Draft." in text_of(response)
    assert "saving again replaces that proposal" in text_of(response)


def test_staff_edit_applies_directly(client, organization, staff):
    client.force_login(staff)

    response = client.post(
        url("organization-edit", slug=organization.slug),
        form_data(organization, description_en="Staff text.", cluster_status="member"),
    )

    organization.refresh_from_db()
    assert response.status_code == 302
    assert organization.description_en == "Staff text."
    assert organization.cluster_status == "member"
    assert organization.version == 2
    assert not ProfileRevision.objects.exists()


def test_edit_detects_concurrent_change(client, organization, editor, staff):
    services.update_organization(organization, by=staff, phone="+380570000000")
    client.force_login(editor)

    response = client.post(
        url("organization-edit", slug=organization.slug),
        {**form_data(organization, description_en="Mine."), "version": 1},
    )

    body = text_of(response)
    assert response.status_code == 200
    assert "Someone else changed this profile" in body
    assert "Mine." in body  # the input is kept
    assert not ProfileRevision.objects.exists()


def test_edit_validates_edrpou_and_keeps_other_input(client, organization, staff):
    client.force_login(staff)

    response = client.post(
        url("organization-edit", slug=organization.slug),
        form_data(
            organization,
            legal_form="entity",
            edrpou="12345670",
            description_en="Kept text.",
        ),
    )

    body = text_of(response)
    assert "12345670 is not a valid EDRPOU code" in body
    assert "Kept text." in body
    organization.refresh_from_db()
    assert organization.description_en == "Software development."


def test_legal_entity_needs_edrpou_and_sole_proprietor_needs_rntrc(client, staff):
    organization = OrganizationFactory()
    client.force_login(staff)
    edit = url("organization-edit", slug=organization.slug)

    entity = client.post(edit, form_data(organization, legal_form="entity"))
    proprietor = client.post(
        edit, form_data(organization, legal_form="sole_proprietor")
    )

    assert "A legal entity needs its 8-digit EDRPOU code." in text_of(entity)
    assert "A sole proprietor needs the 10-digit taxpayer number." in text_of(
        proprietor
    )


def test_sole_proprietor_keeps_rntrc_and_drops_edrpou(client, staff):
    organization = OrganizationFactory(edrpou=VALID_EDRPOU)
    client.force_login(staff)

    client.post(
        url("organization-edit", slug=organization.slug),
        form_data(
            organization,
            legal_form="sole_proprietor",
            rntrc=VALID_RNTRC,
            edrpou=VALID_EDRPOU,
        ),
    )

    organization.refresh_from_db()
    assert (organization.edrpou, organization.rntrc) == (None, VALID_RNTRC)


def test_logo_upload_is_checked(client, organization, staff):
    client.force_login(staff)
    edit = url("organization-edit", slug=organization.slug)

    too_big = client.post(
        edit, {**form_data(organization), "logo": png_file(2 * 1024 * 1024)}
    )
    not_image = client.post(
        edit,
        {
            **form_data(organization),
            "logo": SimpleUploadedFile("logo.png", b"not an image", "image/png"),
        },
    )
    good = client.post(edit, {**form_data(organization), "logo": png_file()})

    assert "the limit is 2 MB" in text_of(too_big)
    assert "Upload a valid image" in text_of(not_image)
    assert good.status_code == 302
    organization.refresh_from_db()
    assert organization.logo.name.startswith("logos/")


def test_editor_of_pending_organization_saves_directly(client, db):
    organization = OrganizationFactory(verification=Organization.Verification.PENDING)
    editor = MembershipFactory(organization=organization).user
    client.force_login(editor)

    client.post(
        url("organization-edit", slug=organization.slug),
        form_data(organization, description_en="Direct."),
    )

    organization.refresh_from_db()
    assert organization.description_en == "Direct."
    assert not ProfileRevision.objects.exists()


# Creating and "mine"


def test_create_organization_makes_pending_profile(client, db):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        url("organization-create"),
        form_data(legal_form="entity", edrpou=VALID_EDRPOU),
        follow=True,
    )

    organization = Organization.objects.get()
    assert organization.verification == Organization.Verification.PENDING
    assert organization.edrpou == VALID_EDRPOU
    assert Membership.objects.get(organization=organization).user == user
    assert "Cluster staff will verify it" in text_of(response)
    assert "Awaiting verification" in text_of(response)


def test_create_requires_sign_in(client, db):
    response = client.get(url("organization-create"))

    assert response.status_code == 302


def test_create_keeps_input_on_error(client, db):
    client.force_login(UserFactory())

    response = client.post(url("organization-create"), form_data(name_uk=""))

    assert response.status_code == 200
    assert "New Company" in text_of(response)
    assert "This field is required." in text_of(response)
    assert not Organization.objects.exists()


def test_my_organizations_lists_status_and_pending_changes(
    client, organization, editor
):
    services.propose_profile_changes(organization, by=editor, phone="+380500000001")
    pending = OrganizationFactory(
        name_en="Pending Co", verification=Organization.Verification.PENDING
    )
    MembershipFactory(user=editor, organization=pending)
    OrganizationFactory(name_en="Not mine")
    client.force_login(editor)

    response = client.get(url("my-organizations"))

    body = text_of(response)
    assert organization.name_en in body
    assert "Pending Co" in body
    assert "Awaiting verification" in body
    assert "Changes waiting for moderation" in body
    assert "Not mine" not in body


def test_my_organizations_empty_state(client, db):
    client.force_login(UserFactory())

    response = client.get(url("my-organizations"))

    assert "You do not edit any organization yet." in text_of(response)


@pytest.mark.parametrize("count", [1, 5])
def test_my_organizations_query_count(client, db, count, django_assert_num_queries):
    user = UserFactory()
    for organization in OrganizationFactory.create_batch(count):
        MembershipFactory(user=user, organization=organization)
    client.force_login(user)

    # session, user, the ids of the organizations they edit, organizations
    with django_assert_num_queries(4):
        response = client.get(url("my-organizations"))

    assert len(response.context["organizations"]) == count


# Moderation


@pytest.mark.parametrize(("role", "status"), [(Role.EDITOR, 403), (Role.INVESTOR, 403)])
def test_moderation_queue_is_staff_only(client, user_with_role, role, status):
    client.force_login(user_with_role(role))

    response = client.get(url("moderation-queue"))

    assert response.status_code == status


def test_moderation_queue_lists_new_organizations(client, staff):
    OrganizationFactory(name_en="Waiting Co", verification="pending")
    OrganizationFactory(name_en="Done Co")
    client.force_login(staff)

    response = client.get(url("moderation-queue"))

    body = text_of(response)
    assert "Waiting Co" in body
    assert "Done Co" not in body


def test_moderation_queue_shows_field_diff(client, organization, editor, staff):
    services.propose_profile_changes(
        organization, by=editor, description_en="Fresh.", phone="+380570000001"
    )
    client.force_login(staff)

    response = client.get(url("moderation-queue"), {"tab": "changes"})

    body = text_of(response)
    assert (
        '<div class="diff-merged">'
        '<del><span class="visually-hidden">Deleted text: </span>Software development'
        '<span class="visually-hidden"> End of deleted text.</span></del>'
        '<ins><span class="visually-hidden">Added text: </span>Fresh'
        '<span class="visually-hidden"> End of added text.</span></ins>.</div>'
    ) in body
    assert '<td class="diff-new" data-label="Proposed"><ins>+380570000001</ins>' in body


def test_moderation_shows_only_the_added_sentence_as_inserted(
    client, organization, editor, staff
):
    organization.description_en = "We build <b>software</b> & more."
    organization.save()
    revision = services.propose_profile_changes(
        organization,
        by=editor,
        description_en="We build <b>software</b> & more.\n\nNow in Albuquerque.",
    )
    client.force_login(staff)

    queue = text_of(client.get(url("moderation-queue"), {"tab": "changes"}))
    review = text_of(client.get(url("moderate-revision", pk=revision.pk)))

    for body in (queue, review):
        merged = re.search(r'<div class="diff-merged">(.*?)</div>', body, re.S)
        assert merged.group(1) == (
            "We build &lt;b&gt;software&lt;/b&gt; &amp; more.\n\n"
            '<ins><span class="visually-hidden">Added text: </span>Now in Albuquerque.'
            '<span class="visually-hidden"> End of added text.</span></ins>'
        )
        assert "<del>" not in merged.group(1)
        assert "<b>software</b>" not in body
        assert "Show the full published and proposed texts" in body
        assert (
            '<div class="diff-text">We build &lt;b&gt;software&lt;/b&gt; &amp; more.'
            "\n\nNow in Albuquerque.</div>"
        ) in body


@pytest.mark.parametrize("count", [1, 5])
def test_moderation_queue_query_count(client, staff, count, django_assert_num_queries):
    for organization in OrganizationFactory.create_batch(count, verification="pending"):
        MembershipFactory(organization=organization)
    client.force_login(staff)

    # session, user, 2 tab counts, page count, page, sectors, tags, editors
    with django_assert_num_queries(9):
        response = client.get(url("moderation-queue"))

    assert len(response.context["items"]) == count


@pytest.mark.parametrize("count", [1, 5])
def test_moderation_changes_query_count(
    client, staff, count, django_assert_num_queries
):
    tag = TagFactory()
    for organization in OrganizationFactory.create_batch(count):
        editor = MembershipFactory(organization=organization).user
        services.propose_profile_changes(
            organization, by=editor, description_en="x", tags=[tag]
        )
    client.force_login(staff)

    # session, user, 2 counts, page count, page, org sectors, org tags, tag names
    with django_assert_num_queries(9):
        response = client.get(url("moderation-queue"), {"tab": "changes"})

    assert len(response.context["items"]) == count


def test_verify_from_queue(client, staff, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(verification="pending")
    MembershipFactory(organization=organization, user=UserFactory(email="ed@x.org"))
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("moderate-organization", pk=organization.pk), {"action": "verify"}
        )

    organization.refresh_from_db()
    assert response.status_code == 302
    assert organization.verification == Organization.Verification.VERIFIED
    assert [m.to for m in mail.outbox] == [["ed@x.org"]]
    assert AuditEntry.objects.filter(action="organization.verified").count() == 1


def test_reject_asks_for_confirmation_then_mails_reason(
    client, staff, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory(verification="pending")
    MembershipFactory(organization=organization)
    client.force_login(staff)
    moderate = url("moderate-organization", pk=organization.pk)

    first = client.post(moderate, {"action": "reject", "reason": "Duplicate."})
    organization.refresh_from_db()
    assert organization.verification == Organization.Verification.PENDING
    assert "Confirm the rejection" in text_of(first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            moderate, {"action": "reject", "reason": "Duplicate.", "confirm": "1"}
        )

    organization.refresh_from_db()
    assert organization.verification == Organization.Verification.REJECTED
    assert organization.rejection_reason == "Duplicate."
    assert "Duplicate." in mail.outbox[0].body


def test_reject_without_reason_is_refused(client, staff):
    organization = OrganizationFactory(verification="pending")
    client.force_login(staff)

    response = client.post(
        url("moderate-organization", pk=organization.pk),
        {"action": "reject", "reason": "", "confirm": "1"},
    )

    organization.refresh_from_db()
    assert organization.verification == Organization.Verification.PENDING
    assert "This field is required." in text_of(response)


def test_soft_delete_needs_confirmation(client, organization, staff):
    client.force_login(staff)
    moderate = url("moderate-organization", pk=organization.pk)

    first = client.post(moderate, {"action": "delete"})
    organization.refresh_from_db()
    assert organization.deleted_at is None
    assert "Yes, delete it" in text_of(first)
    client.post(moderate, {"action": "delete", "confirm": "1"})

    organization.refresh_from_db()
    assert organization.deleted_at is not None
    assert client.get(detail(organization)).status_code == 200  # staff
    client.logout()
    assert client.get(detail(organization)).status_code == 404


def test_moderation_is_forbidden_to_editors(client, organization, editor):
    client.force_login(editor)

    response = client.post(
        url("moderate-organization", pk=organization.pk), {"action": "verify"}
    )

    assert response.status_code == 403


def test_approve_revision_publishes_changes(
    client, organization, editor, staff, django_capture_on_commit_callbacks
):
    revision = services.propose_profile_changes(
        organization, by=editor, description_en="Approved."
    )
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("moderate-revision", pk=revision.pk), {"action": "approve"}
        )

    organization.refresh_from_db()
    assert response.status_code == 302
    assert organization.description_en == "Approved."
    assert mail.outbox[0].to == ["editor@example.org"]


def test_revision_conflict_warns_and_can_be_forced(client, organization, editor, staff):
    revision = services.propose_profile_changes(
        organization, by=editor, description_en="Editor."
    )
    services.update_organization(organization, by=staff, phone="+380570000000")
    client.force_login(staff)
    moderate = url("moderate-revision", pk=revision.pk)

    page = client.get(moderate)
    refused = client.post(moderate, {"action": "approve"})
    forced = client.post(moderate, {"action": "approve", "force": "1"})

    assert "The profile changed after these changes were proposed." in text_of(page)
    assert "Apply anyway" in text_of(page)
    assert refused.status_code == 200
    assert forced.status_code == 302
    organization.refresh_from_db()
    assert organization.description_en == "Editor."


def test_reject_revision_with_confirmation(
    client, organization, editor, staff, django_capture_on_commit_callbacks
):
    revision = services.propose_profile_changes(organization, by=editor, phone="1")
    client.force_login(staff)
    moderate = url("moderate-revision", pk=revision.pk)

    client.post(moderate, {"action": "reject", "reason": "Wrong phone."})
    revision.refresh_from_db()
    assert revision.status == ProfileRevision.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            moderate, {"action": "reject", "reason": "Wrong phone.", "confirm": "1"}
        )

    revision.refresh_from_db()
    assert revision.status == ProfileRevision.Status.REJECTED
    assert "Wrong phone." in mail.outbox[0].body


def test_htmx_moderation_action_redirects_client(client, staff):
    organization = OrganizationFactory(verification="pending")
    client.force_login(staff)

    response = client.post(
        url("moderate-organization", pk=organization.pk),
        {"action": "verify"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert response["HX-Redirect"].endswith("?tab=organizations")


# Home


def test_home_shows_figures_and_search(client, db):
    OrganizationFactory(cluster_status=Organization.ClusterStatus.MEMBER)
    OrganizationFactory(kind=Organization.Kind.NGO)
    OrganizationFactory(verification=Organization.Verification.PENDING)

    with translation.override("en"):
        response = client.get(reverse("core:home"))

    body = text_of(response)
    assert response.context["figures"] == {
        "organizations": 2,
        "cluster_members": 1,
        "kinds": 2,
    }
    assert "organizations in the directory" in body
    assert "IT Cluster member<" in body.replace("\n", "")
    assert 'action="/en/directory/"' in body
    assert "Coming soon" in body
