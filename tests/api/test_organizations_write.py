"""POST /api/v1/organizations/ and PUT/PATCH /api/v1/organizations/<slug>/."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import Membership, Role
from core.models import AuditEntry
from directory.models import Organization, ProfileRevision
from tests.conftest import ROLES
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PlaceFactory,
    SectorFactory,
    TagFactory,
    UserFactory,
)

LIST_URL = reverse("api:organization-list")


def detail_url(organization):
    return reverse("api:organization-detail", kwargs={"slug": organization.slug})


@pytest.fixture
def vocabulary(db):
    return {
        "place": PlaceFactory(code="UA99000000000000001"),
        "sector": SectorFactory(code="X62"),
        "tag": TagFactory(slug="zz-python"),
    }


@pytest.fixture
def new_organization(vocabulary):
    return {
        "name_uk": "Нова компанія",
        "name_en": "New Company",
        "kind": "it_company",
        "description_uk": "Робимо програми.",
        "description_en": "We make software.",
        "edrpou": "32855977",
        "place": "UA99000000000000001",
        "sectors": ["X62"],
        "tags": ["zz-python"],
        "founded_year": 2020,
        "website": "https://new.example",
    }


# Creating.


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_any_signed_in_person_creates_an_organization_and_becomes_its_editor(
    role, user_with_role, client_for, new_organization, vocabulary
):
    user = user_with_role(role)

    response = client_for(user).post(LIST_URL, new_organization, format="json")

    assert response.status_code == 201
    organization = Organization.objects.get(name_uk="Нова компанія")
    assert organization.verification == Organization.Verification.PENDING
    assert organization.edrpou == "32855977"
    assert organization.place.code == "UA99000000000000001"
    assert [s.code for s in organization.sectors.all()] == ["X62"]
    assert [t.slug for t in organization.tags.all()] == ["zz-python"]
    assert Membership.objects.filter(
        user=user, organization=organization, is_editor=True
    ).exists()
    body = response.json()
    assert body["slug"] == organization.slug
    assert body["verification"] == "pending"
    sector = vocabulary["sector"]
    assert body["sectors"] == [
        {"code": "X62", "name_uk": sector.name_uk, "name_en": sector.name_en}
    ]
    assert response["Location"] == (
        f"http://testserver/api/v1/organizations/{organization.slug}/"
    )
    assert AuditEntry.objects.filter(
        action="organization.created", object_id=str(organization.pk)
    ).exists()


def test_anonymous_may_not_create(api_client, new_organization):
    response = api_client.post(LIST_URL, new_organization, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not Organization.objects.filter(name_uk="Нова компанія").exists()


def test_a_created_organization_is_not_listed_for_anonymous(
    api_client, client_for, editor, new_organization
):
    client_for(editor).post(LIST_URL, new_organization, format="json")
    api_client.force_authenticate(None)

    response = api_client.get(LIST_URL)

    assert "Нова компанія" not in response.content.decode()


def test_create_a_sole_proprietor_shows_the_rntrc_to_its_creator(
    client_for, editor, vocabulary
):
    response = client_for(editor).post(
        LIST_URL,
        {"name_uk": "ФОП Коваль", "kind": "it_company", "rntrc": "3184710691"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["rntrc"] == "3184710691"
    assert response.json()["edrpou"] is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"edrpou": "12345670"},
            "edrpou",
            "12345670 is not a valid EDRPOU code (8 digits with a check digit).",
        ),
        ({"name_uk": ""}, "name_uk", "This field may not be blank."),
        ({"kind": "bakery"}, "kind", '"bakery" is not a valid choice.'),
        (
            {"rntrc": "1234567890"},
            "rntrc",
            "This is not a valid 10-digit taxpayer number.",
        ),
        (
            {"founded_year": 1700},
            "founded_year",
            "Ensure this value is greater than or equal to 1800.",
        ),
        ({"website": "not a site"}, "website", "Enter a valid URL."),
        ({"sectors": ["Q99"]}, "sectors", "Object with code=Q99 does not exist."),
        ({"place": "UA00"}, "place", "Object with code=UA00 does not exist."),
        ({"tags": ["cobol"]}, "tags", "Object with slug=cobol does not exist."),
        (
            {"rntrc": "3184710691", "version": 1},
            "rntrc",
            "An organization has either an EDRPOU code (a legal entity) or a "
            "taxpayer number (a sole proprietor), not both.",
        ),
        (
            {"cluster_status": "member"},
            "cluster_status",
            "Only cluster staff may change this.",
        ),
    ],
)
def test_create_explains_bad_input_field_by_field(
    client_for, editor, new_organization, change, field, message
):
    response = client_for(editor).post(
        LIST_URL,
        {**new_organization, **change},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {field: [message]}
    assert (
        body["detail"]
        == "Some of the data is not valid; see the errors for each field."
    )
    assert not Organization.objects.filter(name_uk="Нова компанія").exists()


def test_create_without_a_ukrainian_name_says_it_is_required(client_for, editor):
    response = client_for(editor).post(
        LIST_URL, {"name_en": "Nameless"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "name_uk": ["This field is required."],
        "kind": ["This field is required."],
    }


def test_create_with_an_edrpou_already_taken(client_for, editor, new_organization):
    OrganizationFactory(edrpou="32855977")

    response = client_for(editor).post(
        LIST_URL, new_organization, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "edrpou": ["Another organization already has this EDRPOU code."]
    }


def test_staff_may_record_cluster_membership_on_create(client_for, staff, vocabulary):
    response = client_for(staff).post(
        LIST_URL,
        {
            "name_uk": "Член кластера",
            "kind": "it_company",
            "cluster_status": "member",
            "cluster_member_since": "2020-01-15",
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["cluster_status"] == "member"
    assert response.json()["cluster_member_since"] == "2020-01-15"


# Changing: who may.


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        (Role.EDITOR, 403),
        (Role.CITY_OFFICER, 403),
        (Role.REVIEWER, 403),
        (Role.INVESTOR, 403),
        ("editor of another organization", 403),
        ("editor of the organization", 202),
        (Role.STAFF, 200),
        (Role.ADMIN, 200),
    ],
)
@pytest.mark.parametrize("method", ["patch", "put"])
def test_who_may_change_a_published_organization(
    who, status, method, organization, user_with_role, other_editor, client_for
):
    if who == "editor of the organization":
        user = UserFactory(role=Role.EDITOR)
        MembershipFactory(user=user, organization=organization)
    elif who == "editor of another organization":
        user = other_editor
    else:
        user = user_with_role(who)
    payload = {
        "name_uk": "Нова назва",
        "kind": organization.kind,
        "version": organization.version,
    }

    response = getattr(client_for(user), method)(
        detail_url(organization), payload, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == status
    organization.refresh_from_db()
    if status == 200:
        assert organization.name_uk == "Нова назва"
        assert response.json()["name_uk"] == "Нова назва"
    else:
        assert organization.name_uk != "Нова назва"
    if status == 403:
        assert response.json() == {
            "detail": "You may not change this organization.",
            "errors": {},
        }


@pytest.mark.parametrize("role", [Role.EDITOR, Role.INVESTOR])
def test_change_of_an_organization_one_cannot_see_is_404(
    role, user_with_role, client_for
):
    hidden = OrganizationFactory(verification=Organization.Verification.PENDING)

    response = client_for(user_with_role(role)).patch(
        detail_url(hidden), {"name_uk": "Зламано"}, format="json"
    )

    assert response.status_code == 404
    hidden.refresh_from_db()
    assert hidden.name_uk != "Зламано"


def test_an_editors_change_to_a_published_profile_waits_for_moderation(
    client_for, editor, organization
):
    response = client_for(editor).patch(
        detail_url(organization),
        {"description_en": "Better words.", "version": organization.version},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 202
    revision = ProfileRevision.objects.get(organization=organization)
    assert revision.status == ProfileRevision.Status.PENDING
    assert revision.changes == {"description_en": "Better words."}
    body = response.json()
    assert body["detail"] == (
        "Your changes wait for moderation by cluster staff; the published profile "
        "stays as it is until they approve them."
    )
    assert body["revision"]["id"] == revision.pk
    assert body["revision"]["changed_fields"] == ["description_en"]
    assert body["revision"]["status"] == "pending"
    assert body["organization"]["description_en"] == "Software development."
    organization.refresh_from_db()
    assert organization.description_en == "Software development."


def test_an_editors_change_to_an_unpublished_profile_applies_at_once(
    client_for, editor, organization
):
    organization.verification = Organization.Verification.PENDING
    organization.save()

    response = client_for(editor).patch(
        detail_url(organization), {"founded_year": 2011, "version": 1}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["founded_year"] == 2011
    assert response.json()["version"] == 2
    assert not ProfileRevision.objects.exists()


def test_staff_change_applies_and_bumps_the_version(client_for, staff, organization):
    sector = SectorFactory(code="X72")

    response = client_for(staff).patch(
        detail_url(organization),
        {"sectors": ["X72"], "cluster_status": "member", "version": 1},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["cluster_status"] == "member"
    assert [s["code"] for s in response.json()["sectors"]] == [sector.code]


def test_editor_may_not_set_staff_fields(client_for, editor, organization):
    response = client_for(editor).patch(
        detail_url(organization),
        {"cluster_status": "member", "version": 1},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "cluster_status": ["Only cluster staff may change this."]
    }


def test_patch_rejects_a_second_identifier_against_the_stored_one(client_for, staff):
    organization = OrganizationFactory(edrpou="32855961")

    response = client_for(staff).patch(
        detail_url(organization),
        {"rntrc": "3184710691", "version": 1},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["rntrc"]


def test_patch_explains_a_bad_edrpou(client_for, staff, organization):
    response = client_for(staff).patch(
        detail_url(organization),
        {"edrpou": "1234", "version": 1},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "edrpou": ["1234 is not a valid EDRPOU code (8 digits with a check digit)."]
    }


def test_put_needs_the_required_fields(client_for, staff, organization):
    response = client_for(staff).put(
        detail_url(organization),
        {"description_en": "Only this", "version": 1},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "name_uk": ["This field is required."],
        "kind": ["This field is required."],
    }


# Optimistic concurrency.


@pytest.mark.parametrize("method", ["patch", "put"])
@pytest.mark.parametrize("who", ["staff", "editor"])
def test_a_change_without_a_version_is_refused_with_428(
    who, method, request, client_for, organization
):
    user = request.getfixturevalue(who)

    response = getattr(client_for(user), method)(
        detail_url(organization),
        {"name_uk": "Без версії", "kind": organization.kind},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 428
    message = (
        "Send the version of the object you read (the field `version`), so that "
        "changes made since by someone else are not overwritten. Nothing was saved."
    )
    assert response.json() == {"detail": message, "errors": {"version": [message]}}
    organization.refresh_from_db()
    assert organization.name_uk != "Без версії"
    assert organization.version == 1
    assert not ProfileRevision.objects.exists()


def test_a_change_without_a_version_is_refused_in_ukrainian(
    client_for, staff, organization
):
    response = client_for(staff).patch(
        detail_url(organization),
        {"name_uk": "Без версії"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="uk",
    )

    assert response.status_code == 428
    assert response.json()["detail"] == (
        "Надішліть версію об’єкта, яку ви прочитали (поле `version`), щоб не "
        "перезаписати чужих змін, зроблених відтоді. Нічого не збережено."
    )


@pytest.mark.parametrize("who", ["staff", "editor"])
def test_a_stale_version_is_refused_with_409(who, request, client_for, organization):
    user = request.getfixturevalue(who)
    organization.version = 3
    organization.save()

    response = client_for(user).patch(
        detail_url(organization),
        {"name_uk": "Перезаписано", "version": 2},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 409
    message = (
        "This organization changed since you read it: you sent version 2, it is "
        "now at version 3. Nothing was saved; read it again and send your changes "
        "based on the current version."
    )
    assert response.json() == {"detail": message, "errors": {"version": [message]}}
    organization.refresh_from_db()
    assert organization.name_uk != "Перезаписано"
    assert not ProfileRevision.objects.exists()


def test_two_staff_edits_from_the_same_version_the_second_gets_409(
    client_for, staff, platform_admin, organization
):
    first = client_for(staff).patch(
        detail_url(organization), {"name_en": "First", "version": 1}, format="json"
    )
    second = client_for(platform_admin).patch(
        detail_url(organization), {"name_en": "Second", "version": 1}, format="json"
    )

    assert first.status_code == 200
    assert second.status_code == 409
    organization.refresh_from_db()
    assert organization.name_en == "First"


def test_delete_is_not_allowed(client_for, staff, organization):
    response = client_for(staff).delete(detail_url(organization))

    assert response.status_code == 405
    assert response.json()["errors"] == {}
    assert Organization.objects.filter(pk=organization.pk).exists()


# Logos come as multipart uploads.


def _png(name="logo.png"):
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(image, format="PNG")
    return SimpleUploadedFile(name, image.getvalue(), content_type="image/png")


def test_create_with_a_logo_and_sectors_as_multipart(client_for, editor, vocabulary):
    response = client_for(editor).post(
        LIST_URL,
        {
            "name_uk": "З логотипом",
            "kind": "startup",
            "sectors": ["X62"],
            "logo": _png(),
        },
        format="multipart",
    )

    assert response.status_code == 201
    organization = Organization.objects.get(name_uk="З логотипом")
    assert re.fullmatch(r"logos/\d{4}/\d{2}/[0-9a-f]{32}\.png", organization.logo.name)
    assert (
        response.json()["logo"] == f"http://testserver/media/{organization.logo.name}"
    )
    assert [s["code"] for s in response.json()["sectors"]] == ["X62"]


def test_a_file_that_is_not_an_image_is_refused(client_for, editor):
    response = client_for(editor).post(
        LIST_URL,
        {
            "name_uk": "Не картинка",
            "kind": "startup",
            "logo": SimpleUploadedFile("logo.png", b"not an image"),
        },
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["logo"]


def test_staff_remove_a_logo_with_null(client_for, staff, editor, vocabulary):
    created = (
        client_for(editor)
        .post(
            LIST_URL,
            {"name_uk": "Логотип геть", "kind": "startup", "logo": _png()},
            format="multipart",
        )
        .json()
    )
    client = client_for(staff)

    response = client.patch(
        f"{LIST_URL}{created['slug']}/", {"logo": None, "version": 1}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["logo"] is None
    assert not Organization.objects.get(slug=created["slug"]).logo
