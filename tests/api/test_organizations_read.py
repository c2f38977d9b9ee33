"""GET /api/v1/organizations/ and /api/v1/organizations/<slug>/."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework import serializers

from accounts.models import Role
from api.serializers import OrganizationSerializer
from directory.models import Organization, Sector
from directory.queries import with_card_data
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


def slugs(response):
    return [row["slug"] for row in response.json()["results"]]


@pytest.fixture
def sole_proprietor(db):
    """A verified, public sole proprietor: its taxpayer number is personal data."""
    return OrganizationFactory(
        slug="fop-shevchenko", name_uk="ФОП Шевченко", rntrc="3184710691", edrpou=None
    )


def test_list_shows_every_field_of_a_public_organization(api_client):
    place = PlaceFactory(code="UA99000000000000001", name_uk="Місто", name_en="City")
    sector = SectorFactory(code="X62", name_uk="Програмування", name_en="Programming")
    tag = TagFactory(slug="zz-python", name_uk="Пайтон", name_en="Python")
    organization = OrganizationFactory(
        slug="acme",
        name_uk="Акме",
        name_en="Acme",
        description_uk="Опис",
        description_en="Description",
        edrpou="32855961",
        place=place,
        size=Organization.Size.SMALL,
        founded_year=2014,
        website="https://acme.example",
        email="hello@acme.example",
        phone="+380501234567",
        cluster_status=Organization.ClusterStatus.MEMBER,
        cluster_member_since=datetime.date(2019, 5, 1),
    )
    organization.sectors.set([sector])
    organization.tags.set([tag])

    response = api_client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["next"] is None
    assert body["previous"] is None
    row = body["results"][0]
    organization.refresh_from_db()
    assert row == {
        "slug": "acme",
        "name_uk": "Акме",
        "name_en": "Acme",
        "kind": "it_company",
        "description_uk": "Опис",
        "description_en": "Description",
        "edrpou": "32855961",
        "country": "UA",
        "place": {"code": "UA99000000000000001", "name_uk": "Місто", "name_en": "City"},
        "locality": "",
        "address": "",
        "sectors": [
            {"code": "X62", "name_uk": "Програмування", "name_en": "Programming"}
        ],
        "tags": [{"slug": "zz-python", "name_uk": "Пайтон", "name_en": "Python"}],
        "size": "10-49",
        "founded_year": 2014,
        "website": "https://acme.example",
        "email": "hello@acme.example",
        "phone": "+380501234567",
        "logo": None,
        "cluster_status": "member",
        "cluster_member_since": "2019-05-01",
        "verification": "verified",
        "visibility": "public",
        "version": 1,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "url": "http://testserver/en/directory/o/acme/",
    }
    assert "rntrc" not in row


@pytest.mark.parametrize("language", ["uk", "en"])
def test_representation_is_model_serializers_own(db, rf, language):
    """OrganizationSerializer builds its rows by hand for speed: the same keys in
    the same order with the same values as ModelSerializer's field machinery."""
    full = OrganizationFactory(
        slug="full",
        name_en="Full",
        description_en="Description",
        place=PlaceFactory(),
        size=Organization.Size.SMALL,
        founded_year=2014,
        rntrc=None,
        website="https://full.example",
        email="hello@full.example",
        phone="+380501234567",
        cluster_status=Organization.ClusterStatus.MEMBER,
        cluster_member_since=datetime.date(2019, 5, 1),
    )
    full.logo.name = "logos/full.png"
    full.save()
    full.sectors.set([SectorFactory(), SectorFactory()])
    full.tags.set([TagFactory()])
    bare = OrganizationFactory(slug="bare", name_en="", edrpou=None, place=None)
    staff = UserFactory(role=Role.STAFF)  # sees rntrc too
    request = rf.get("/", HTTP_ACCEPT_LANGUAGE=language)
    request.user = staff

    with translation.override(language):
        serializer = OrganizationSerializer(context={"request": request})
        preloaded = list(with_card_data(Organization.objects.filter(pk=full.pk)))
        for organization in (full, bare, *preloaded):
            organization.refresh_from_db()
            expected = serializers.ModelSerializer.to_representation(
                serializer, organization
            )

            assert list(serializer.to_representation(organization).items()) == list(
                expected.items()
            )
    assert OrganizationSerializer().to_representation(bare)["url"] == (
        "/uk/directory/o/bare/"
    )


def test_list_keeps_an_empty_english_name_as_it_is(api_client):
    OrganizationFactory(name_uk="Харківська компанія", name_en="")

    response = api_client.get(LIST_URL)

    row = response.json()["results"][0]
    assert row["name_uk"] == "Харківська компанія"
    assert row["name_en"] == ""


def test_logo_is_an_absolute_url(api_client, settings):
    organization = OrganizationFactory(slug="logo-org")
    organization.logo.name = "logos/acme.png"
    organization.save()

    response = api_client.get(detail_url(organization))

    assert response.json()["logo"] == "http://testserver/media/logos/acme.png"


@pytest.mark.parametrize("role", ROLES)
def test_list_for_each_role_shows_what_the_role_may_see(
    role, user_with_role, client_for
):
    public = OrganizationFactory(slug="public")
    members_only = OrganizationFactory(
        slug="members-only", visibility=Organization.Visibility.MEMBERS
    )
    OrganizationFactory(slug="pending", verification=Organization.Verification.PENDING)
    OrganizationFactory(
        slug="rejected", verification=Organization.Verification.REJECTED
    )
    OrganizationFactory(slug="deleted", deleted_at=datetime.datetime.now(datetime.UTC))
    user = user_with_role(role)

    response = client_for(user).get(LIST_URL)

    assert response.status_code == 200
    expected = {
        "anonymous": {public.slug},
        Role.EDITOR: {public.slug, members_only.slug},
        Role.CITY_OFFICER: {public.slug, members_only.slug},
        Role.REVIEWER: {public.slug, members_only.slug},
        Role.INVESTOR: {public.slug, members_only.slug},
        Role.STAFF: {public.slug, members_only.slug, "pending", "rejected"},
        Role.ADMIN: {public.slug, members_only.slug, "pending", "rejected"},
    }[role]
    assert set(slugs(response)) == expected


def test_list_shows_an_editor_their_own_pending_organization(client_for, other_editor):
    own = OrganizationFactory(
        slug="own-pending", verification=Organization.Verification.PENDING
    )
    MembershipFactory(user=other_editor, organization=own)
    OrganizationFactory(
        slug="someone-elses-pending", verification=Organization.Verification.PENDING
    )

    response = client_for(other_editor).get(LIST_URL)

    assert "own-pending" in slugs(response)
    assert "someone-elses-pending" not in slugs(response)


@pytest.mark.parametrize(
    ("who", "sees_rntrc"),
    [
        ("anonymous", False),
        (Role.EDITOR, False),
        (Role.CITY_OFFICER, False),
        (Role.REVIEWER, False),
        (Role.INVESTOR, False),
        ("editor of another organization", False),
        ("editor of the organization", True),
        (Role.STAFF, True),
        (Role.ADMIN, True),
    ],
)
def test_rntrc_only_for_editors_of_the_organization_and_staff(
    who, sees_rntrc, sole_proprietor, user_with_role, other_editor, client_for
):
    if who == "editor of the organization":
        user = UserFactory(role=Role.EDITOR)
        MembershipFactory(user=user, organization=sole_proprietor)
    elif who == "editor of another organization":
        user = other_editor
    else:
        user = user_with_role(who)
    client = client_for(user)

    listed = client.get(LIST_URL).json()["results"]
    detail = client.get(detail_url(sole_proprietor)).json()

    row = next(row for row in listed if row["slug"] == sole_proprietor.slug)
    if sees_rntrc:
        assert row["rntrc"] == "3184710691"
        assert detail["rntrc"] == "3184710691"
    else:
        assert "rntrc" not in row
        assert "rntrc" not in detail
        assert "3184710691" not in client.get(LIST_URL).content.decode()


def test_rntrc_never_in_search_results_for_anonymous(api_client, sole_proprietor):
    response = api_client.get(LIST_URL, {"q": "Шевченко"})

    assert "3184710691" not in response.content.decode()


def test_detail_of_a_public_organization(api_client, organization):
    response = api_client.get(detail_url(organization))

    assert response.status_code == 200
    assert response.json()["slug"] == organization.slug
    assert response.json()["name_uk"] == organization.name_uk


@pytest.mark.parametrize(
    ("state", "role", "status"),
    [
        ("members", "anonymous", 404),
        ("members", Role.INVESTOR, 200),
        ("pending", "anonymous", 404),
        ("pending", Role.EDITOR, 404),
        ("pending", Role.REVIEWER, 404),
        ("pending", Role.STAFF, 200),
        ("pending", Role.ADMIN, 200),
        ("rejected", Role.CITY_OFFICER, 404),
        ("deleted", "anonymous", 404),
        ("deleted", Role.STAFF, 404),
    ],
)
def test_detail_of_an_organization_not_everyone_sees(
    state, role, status, user_with_role, client_for
):
    fields = {
        "members": {"visibility": Organization.Visibility.MEMBERS},
        "pending": {"verification": Organization.Verification.PENDING},
        "rejected": {"verification": Organization.Verification.REJECTED},
        "deleted": {"deleted_at": datetime.datetime.now(datetime.UTC)},
    }[state]
    organization = OrganizationFactory(slug="hidden", **fields)

    response = client_for(user_with_role(role)).get(detail_url(organization))

    assert response.status_code == status
    if status == 404:
        assert response.json()["errors"] == {}
        assert "hidden" not in response.content.decode()


def test_detail_of_a_pending_organization_for_its_editor(client_for, other_editor):
    organization = OrganizationFactory(
        slug="mine", verification=Organization.Verification.PENDING
    )
    MembershipFactory(user=other_editor, organization=organization)

    response = client_for(other_editor).get(detail_url(organization))

    assert response.status_code == 200
    assert response.json()["verification"] == "pending"


def test_detail_of_an_unknown_slug_is_404(api_client, db):
    response = api_client.get("/api/v1/organizations/no-such-thing/")

    assert response.status_code == 404


# Filters.


def test_filter_by_kind(api_client):
    OrganizationFactory(slug="uni", kind=Organization.Kind.EDUCATION)
    OrganizationFactory(slug="company", kind=Organization.Kind.IT_COMPANY)

    response = api_client.get(LIST_URL, {"kind": "education"})

    assert slugs(response) == ["uni"]


def test_filter_by_section_includes_its_divisions(api_client):
    section = SectorFactory(code="X", level=Sector.Level.SECTION)
    division = SectorFactory(code="X62", level=Sector.Level.DIVISION, parent=section)
    other = SectorFactory(code="X85", level=Sector.Level.DIVISION)
    in_section = OrganizationFactory(slug="in-section", name_uk="А")
    in_division = OrganizationFactory(slug="in-division", name_uk="Б")
    elsewhere = OrganizationFactory(slug="elsewhere", name_uk="В")
    in_section.sectors.set([section])
    in_division.sectors.set([division, section])
    elsewhere.sectors.set([other])

    by_section = api_client.get(LIST_URL, {"sector": "x"})
    by_division = api_client.get(LIST_URL, {"sector": "X62"})

    assert slugs(by_section) == ["in-section", "in-division"]
    assert by_section.json()["count"] == 2
    assert slugs(by_division) == ["in-division"]


def test_filter_by_tag(api_client):
    python = TagFactory(slug="zz-python")
    tagged = OrganizationFactory(slug="tagged")
    tagged.tags.set([python, TagFactory(slug="zz-django")])
    OrganizationFactory(slug="untagged")

    response = api_client.get(LIST_URL, {"tag": "zz-python"})

    assert slugs(response) == ["tagged"]


def test_filter_by_place_includes_its_parts(api_client):
    city = PlaceFactory(code="UA99000000000000001", category="M")
    district = PlaceFactory(code="UA99000000000000002", category="B", parent=city)
    elsewhere = PlaceFactory(code="UA99000000000000003", category="K")
    OrganizationFactory(slug="in-city", name_uk="А", place=city)
    OrganizationFactory(slug="in-district", name_uk="Б", place=district)
    OrganizationFactory(slug="in-kyiv", name_uk="В", place=elsewhere)
    OrganizationFactory(slug="nowhere", name_uk="Г")

    by_city = api_client.get(LIST_URL, {"place": city.code})
    by_district = api_client.get(LIST_URL, {"place": district.code})

    assert slugs(by_city) == ["in-city", "in-district"]
    assert slugs(by_district) == ["in-district"]


def test_filter_by_country(api_client):
    OrganizationFactory(slug="abq", country="US", name_uk="А")
    OrganizationFactory(slug="kharkiv", country="UA", name_uk="Б")

    lower = api_client.get(LIST_URL, {"country": "us"})
    upper = api_client.get(LIST_URL, {"country": "UA"})

    assert slugs(lower) == ["abq"]
    assert slugs(upper) == ["kharkiv"]


@pytest.mark.parametrize(
    ("value", "expected"), [("true", ["member"]), ("false", ["former", "none"])]
)
def test_filter_by_cluster_membership(api_client, value, expected):
    OrganizationFactory(
        slug="member", name_uk="А", cluster_status=Organization.ClusterStatus.MEMBER
    )
    OrganizationFactory(
        slug="former", name_uk="Б", cluster_status=Organization.ClusterStatus.FORMER
    )
    OrganizationFactory(slug="none", name_uk="В")

    response = api_client.get(LIST_URL, {"cluster_member": value})

    assert slugs(response) == expected


def test_filters_combine(api_client):
    OrganizationFactory(slug="match", kind=Organization.Kind.NGO, country="US")
    OrganizationFactory(slug="wrong-kind", kind=Organization.Kind.STARTUP, country="US")
    OrganizationFactory(slug="wrong-country", kind=Organization.Kind.NGO, country="UA")

    response = api_client.get(LIST_URL, {"kind": "ngo", "country": "US"})

    assert slugs(response) == ["match"]


def test_search_finds_an_organization_by_name(api_client):
    OrganizationFactory(slug="softserve", name_uk="СофтСерв", name_en="SoftServe")
    OrganizationFactory(slug="other", name_uk="Інша", name_en="Another")

    response = api_client.get(LIST_URL, {"q": "SoftServe"})

    assert slugs(response) == ["softserve"]


def test_search_understands_ukrainian_inflections(api_client):
    OrganizationFactory(
        slug="karazin",
        name_uk="Харківський національний університет",
        name_en="Kharkiv National University",
        description_uk="Готуємо фахівців для інвестиційних проєктів.",
    )
    OrganizationFactory(slug="other", name_uk="Кавʼярня", name_en="Cafe")

    by_case = api_client.get(LIST_URL, {"q": "університету"})
    by_phrase = api_client.get(LIST_URL, {"q": "інвестиційний проєкт"})

    assert slugs(by_case) == ["karazin"]
    assert slugs(by_phrase) == ["karazin"]


def test_search_results_come_by_relevance_unless_ordered(api_client):
    OrganizationFactory(
        slug="in-description",
        name_uk="Альфа",
        name_en="Alpha",
        description_en="We train robotics engineers.",
    )
    OrganizationFactory(
        slug="in-name", name_uk="Яхонт Робототехніка", name_en="Yakhont Robotics"
    )

    by_relevance = api_client.get(LIST_URL, {"q": "robotics"})
    by_name = api_client.get(LIST_URL, {"q": "robotics", "ordering": "name_uk"})

    assert slugs(by_relevance) == ["in-name", "in-description"]
    assert slugs(by_name) == ["in-description", "in-name"]


def test_search_never_finds_what_the_reader_may_not_see(api_client):
    OrganizationFactory(
        slug="hidden-softserve",
        name_en="SoftServe Hidden",
        verification=Organization.Verification.PENDING,
    )
    OrganizationFactory(
        slug="members-softserve",
        name_en="SoftServe Members",
        visibility=Organization.Visibility.MEMBERS,
    )

    response = api_client.get(LIST_URL, {"q": "SoftServe"})

    assert response.json()["count"] == 0


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"kind": "bakery"}, "kind", '"bakery" is not a valid choice.'),
        ({"sector": "ZZ"}, "sector", "There is no sector with the code ZZ."),
        ({"tag": "cobol"}, "tag", "There is no technology tag cobol."),
        (
            {"place": "UA00000000000000000"},
            "place",
            "There is no place with the KATOTTG code UA00000000000000000.",
        ),
        ({"country": "XX"}, "country", "XX is not a two-letter country code."),
        ({"cluster_member": "maybe"}, "cluster_member", "Must be a valid boolean."),
        ({"ordering": "edrpou"}, "ordering", '"edrpou" is not a valid choice.'),
    ],
)
def test_bad_filter_values_are_explained(api_client, db, params, field, message):
    response = api_client.get(LIST_URL, params, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}


# Ordering.


@pytest.fixture
def three_organizations(db):
    first = OrganizationFactory(
        slug="b", name_uk="Бета", name_en="Zeta", founded_year=2001
    )
    second = OrganizationFactory(
        slug="a", name_uk="Альфа", name_en="", founded_year=None
    )
    third = OrganizationFactory(
        slug="c", name_uk="Гамма", name_en="Alpha", founded_year=1995
    )
    return first, second, third


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        (None, ["a", "b", "c"]),
        ("name_uk", ["a", "b", "c"]),
        ("-name_uk", ["c", "b", "a"]),
        # An empty English name sorts as the Ukrainian one (Cyrillic after Latin).
        ("name_en", ["c", "b", "a"]),
        ("-name_en", ["a", "b", "c"]),
        ("created_at", ["b", "a", "c"]),
        ("-created_at", ["c", "a", "b"]),
        ("founded_year", ["c", "b", "a"]),
        ("-founded_year", ["b", "c", "a"]),
    ],
)
def test_ordering(api_client, three_organizations, ordering, expected):
    params = {"ordering": ordering} if ordering else {}

    response = api_client.get(LIST_URL, params)

    assert slugs(response) == expected


# Pagination.


def test_pagination_pages_and_links(api_client):
    for number in range(25):
        OrganizationFactory(slug=f"org-{number:02d}", name_uk=f"Орг {number:02d}")

    first = api_client.get(LIST_URL).json()
    second = api_client.get(LIST_URL, {"page": 2}).json()
    small = api_client.get(LIST_URL, {"page_size": 5, "page": 3}).json()

    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["next"] == "http://testserver/api/v1/organizations/?page=2"
    assert [row["slug"] for row in second["results"]] == [
        f"org-{n:02d}" for n in range(20, 25)
    ]
    assert second["next"] is None
    assert [row["slug"] for row in small["results"]] == [
        f"org-{n:02d}" for n in range(10, 15)
    ]


def test_page_size_is_capped_at_100(api_client):
    OrganizationFactory.create_batch(105)

    response = api_client.get(LIST_URL, {"page_size": 1000})

    assert len(response.json()["results"]) == 100


def test_a_page_past_the_end_is_404(api_client, organization):
    response = api_client.get(LIST_URL, {"page": 9})

    assert response.status_code == 404
    assert response.json()["errors"] == {}
    assert response.json()["detail"]


# Query counts: constant, whatever the number of rows.


def _organizations_with_relations(count):
    place = PlaceFactory()
    sectors = SectorFactory.create_batch(2)
    tags = TagFactory.create_batch(2)
    organizations = OrganizationFactory.create_batch(count, place=place)
    for organization in organizations:
        organization.sectors.set(sectors)
        organization.tags.set(tags)
    return organizations


@pytest.mark.parametrize("count", [1, 5])
@pytest.mark.parametrize(
    ("who", "queries"),
    [
        # count, page, sectors, tags
        ("anonymous", 4),
        # + the organizations the editor edits
        (Role.EDITOR, 5),
        # staff see every private identifier: no membership query
        (Role.STAFF, 4),
    ],
)
def test_list_query_count(
    who, queries, count, user_with_role, client_for, django_assert_num_queries
):
    _organizations_with_relations(count)
    client = client_for(user_with_role(who))

    with django_assert_num_queries(queries):
        response = client.get(LIST_URL)

    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 5])
def test_search_query_count(api_client, count, django_assert_num_queries):
    for organization in _organizations_with_relations(count):
        organization.name_en = f"Robotics {organization.pk}"
        organization.save()

    # count, page, sectors, tags
    with django_assert_num_queries(4):
        response = api_client.get(LIST_URL, {"q": "robotics"})

    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 5])
def test_filtered_list_query_count(api_client, count, django_assert_num_queries):
    organizations = _organizations_with_relations(count)
    sector = organizations[0].sectors.first()
    tag = organizations[0].tags.first()

    # sector and tag looked up, then count, page, sectors, tags
    with django_assert_num_queries(6):
        response = api_client.get(LIST_URL, {"sector": sector.code, "tag": tag.slug})

    assert len(response.json()["results"]) == count
