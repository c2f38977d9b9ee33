"""GET /api/v1/sectors/, /tags/ and /places/: public, read-only, paginated."""

import pytest
from django.urls import reverse

from directory.models import Sector, Tag
from tests.conftest import ROLES
from tests.factories import PlaceFactory, SectorFactory, TagFactory


def codes(response, key="code"):
    return [row[key] for row in response.json()["results"]]


@pytest.fixture
def sectors(db):
    section = SectorFactory(
        code="X",
        level=Sector.Level.SECTION,
        name_uk="Інформація та телекомунікації",
        name_en="Information and communication",
    )
    division = SectorFactory(
        code="X62",
        level=Sector.Level.DIVISION,
        parent=section,
        name_uk="Комп'ютерне програмування",
        name_en="Computer programming",
    )
    return section, division


@pytest.fixture
def places(db):
    city = PlaceFactory(
        code="UA99000000000000001", category="M", name_uk="Місто", name_en="City"
    )
    district = PlaceFactory(
        code="UA99000000000000002",
        category="B",
        parent=city,
        name_uk="Шевченківський",
        name_en="Shevchenkivskyi",
    )
    return city, district


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["sector", "tag", "place"])
def test_vocabularies_are_public(name, role, user_with_role, client_for, db):
    response = client_for(user_with_role(role)).get(reverse(f"api:{name}-list"))

    assert response.status_code == 200
    assert set(response.json()) == {"count", "next", "previous", "results"}


@pytest.mark.parametrize("name", ["sector", "tag", "place"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_vocabularies_are_read_only(name, method, client_for, staff):
    response = getattr(client_for(staff), method)(
        reverse(f"api:{name}-list"), {}, format="json"
    )

    assert response.status_code == 405
    assert response.json()["errors"] == {}


def test_sector_list_shows_both_languages_and_the_section(api_client, sectors):
    response = api_client.get(reverse("api:sector-list"), {"parent": "x"})

    assert response.json()["results"] == [
        {
            "code": "X62",
            "level": "division",
            "parent": "X",
            "name_uk": "Комп'ютерне програмування",
            "name_en": "Computer programming",
        }
    ]


def test_sector_list_filters_by_level(api_client, sectors):
    response = api_client.get(
        reverse("api:sector-list"), {"level": "section", "page_size": 100}
    )

    assert "X" in codes(response)
    assert "X62" not in codes(response)
    assert {row["level"] for row in response.json()["results"]} == {"section"}


def test_sector_detail_by_code(api_client, sectors):
    response = api_client.get(reverse("api:sector-detail", kwargs={"code": "X"}))

    assert response.json()["parent"] is None
    assert response.json()["name_en"] == "Information and communication"


def test_sector_list_explains_a_bad_level(api_client, db):
    response = api_client.get(
        reverse("api:sector-list"), {"level": "galaxy"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"level": ['"galaxy" is not a valid choice.']}


def test_tag_list_and_search(api_client, db):
    TagFactory(slug="zz-python", name_uk="Пайтон", name_en="Python")
    TagFactory(slug="zz-rust", name_uk="Раст", name_en="Rust")

    by_ukrainian = api_client.get(reverse("api:tag-list"), {"q": "Пайт"})
    by_english = api_client.get(reverse("api:tag-list"), {"q": "python"})

    expected = [{"slug": "zz-python", "name_uk": "Пайтон", "name_en": "Python"}]
    assert by_ukrainian.json()["results"] == expected
    assert "zz-python" in codes(by_english, "slug")
    assert "zz-rust" not in codes(by_english, "slug")


def test_tag_detail_by_slug(api_client, db):
    TagFactory(slug="zz-python", name_uk="Пайтон", name_en="Python")

    response = api_client.get(reverse("api:tag-detail", kwargs={"slug": "zz-python"}))

    assert response.json() == {
        "slug": "zz-python",
        "name_uk": "Пайтон",
        "name_en": "Python",
    }


def test_place_list_by_parent(api_client, places):
    city, _district = places

    response = api_client.get(reverse("api:place-list"), {"parent": city.code})

    assert response.json()["results"] == [
        {
            "code": "UA99000000000000002",
            "category": "B",
            "parent": "UA99000000000000001",
            "name_uk": "Шевченківський",
            "name_en": "Shevchenkivskyi",
        }
    ]


def test_place_detail_by_code(api_client, places):
    response = api_client.get(
        reverse("api:place-detail", kwargs={"code": "UA99000000000000001"})
    )

    assert response.json()["name_en"] == "City"


def test_unknown_code_is_404(api_client, db):
    response = api_client.get(reverse("api:sector-detail", kwargs={"code": "QQ"}))

    assert response.status_code == 404


def test_vocabulary_pagination(api_client, db):
    for number in range(30):
        TagFactory(slug=f"zz-{number:02d}")
    total = Tag.objects.count()

    response = api_client.get(reverse("api:tag-list"), {"page_size": 10, "q": "zz-"})

    assert response.json()["count"] == 30
    assert len(response.json()["results"]) == 10
    assert total >= 30


def _sectors(count):
    section = SectorFactory(code="XZ", level=Sector.Level.SECTION)
    SectorFactory.create_batch(count, parent=section)
    return {"parent": "XZ"}


def _tags(count):
    for number in range(count):
        TagFactory(slug=f"qq-{number}")
    return {"q": "qq-"}


def _places(count):
    parent = PlaceFactory()
    PlaceFactory.create_batch(count, parent=parent)
    return {"parent": parent.code}


@pytest.mark.parametrize("count", [1, 5])
@pytest.mark.parametrize(
    ("name", "make"), [("sector", _sectors), ("tag", _tags), ("place", _places)]
)
def test_vocabulary_list_query_count(
    api_client, name, make, count, db, django_assert_num_queries
):
    params = make(count)

    # count and page (parents come joined)
    with django_assert_num_queries(2):
        response = api_client.get(reverse(f"api:{name}-list"), params)

    assert len(response.json()["results"]) == count
