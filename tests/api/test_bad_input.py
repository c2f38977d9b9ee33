"""What the fuzzer found, one case each: every bad request is a JSON 4xx, every
answer matches the schema, and nothing is saved."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from exchange.models import MAX_REVIEWS_PER_SUBMISSION, Call
from tests.events.factories import EventFactory
from tests.exchange.factories import CallFactory, SubmissionFactory
from tests.factories import OrganizationFactory, UserFactory
from tests.investments.factories import ProjectFactory

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Not found.", "errors": {}}


@pytest.fixture
def staff_api(db):
    client = APIClient()
    client.force_authenticate(UserFactory(role=Role.STAFF))
    return client


# Addresses: every one under /api/ answers JSON.


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/submissions/AAA/",
        "/api/v1/submissions/null,null/withdraw/",
        "/api/v1/submissions/99999999999999999999/",
        "/api/v1/review-assignments/1e3/",
        "/api/v1/no/such/thing/",
        "/api/v1/organizations",
        "/api/v1/calls/a%0Ab/review-dashboard/",
        "/api/v1/calls/a%00b/",
        "/api/",
        "/api/v2/organizations/",
    ],
)
def test_unknown_addresses_answer_json_404(path, staff_api):
    response = staff_api.get(path, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == NOT_FOUND


def test_a_method_the_address_does_not_take_answers_json_405(staff_api):
    response = staff_api.delete("/api/v1/organizations/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.', "errors": {}}


def test_a_crash_under_api_answers_json_500_and_elsewhere_the_page(settings):
    settings.ROOT_URLCONF = "tests.api.crash_urls"
    client = Client(raise_request_exception=False)

    api = client.get("/api/v1/crash/", HTTP_ACCEPT_LANGUAGE="en")
    page = client.get("/crash/", HTTP_ACCEPT_LANGUAGE="en")

    assert api.status_code == 500
    assert api["Content-Type"] == "application/json"
    assert api.json() == {"detail": "A server error occurred.", "errors": {}}
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")


def test_the_site_keeps_its_html_404_page(client):
    response = client.get("/uk/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# Bodies: a JSON object, nothing else.


@pytest.mark.parametrize("body", ["[]", '"x"', "1", "null", "[{}]"])
@pytest.mark.parametrize(
    "path",
    ["/api/v1/calls/", "/api/v1/events/", "/api/v1/organizations/"],
)
def test_a_body_that_is_not_a_json_object_is_400(path, body, staff_api):
    response = staff_api.post(
        path, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The body must be a JSON object ({…}).",
        "errors": {},
    }


def test_a_body_that_is_not_a_json_object_is_refused_in_ukrainian(staff_api):
    response = staff_api.post("/api/v1/events/", "[]", content_type="application/json")

    assert response.json()["detail"] == "Тіло запиту має бути об’єктом JSON ({…})."


def test_a_status_change_without_a_body_object_is_400(staff_api):
    project = ProjectFactory(status="draft")

    response = staff_api.post(
        f"/api/v1/investment-projects/{project.slug}/transition/",
        "[]",
        content_type="application/json",
    )

    assert response.status_code == 400
    project.refresh_from_db()
    assert project.status == "draft"


def test_a_call_missing_behind_a_newline_is_a_json_404(staff_api):
    response = staff_api.get("/api/v1/calls/a%0Ab/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == {
        "detail": "There is no call at this address that you may see.",
        "errors": {},
    }


# NUL bytes never reach a query.


def test_a_nul_byte_in_a_filter_is_400(staff_api):
    response = staff_api.get(
        "/api/v1/submissions/", {"call": "a\x00b"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["call"]


@pytest.mark.parametrize("body_format", ["json", "multipart"])
def test_a_nul_byte_anywhere_in_a_body_is_400(body_format, staff_api):
    response = staff_api.post(
        "/api/v1/submissions/",
        {"call": "a\x00b", "title_uk": "Назва"},
        format=body_format,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The body contains a NUL character, which no field takes.",
        "errors": {},
    }


def test_a_nul_byte_in_a_form_key_is_400(staff_api):
    response = staff_api.post(
        "/api/v1/submissions/",
        "ti%00tle_uk=x",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400


def test_the_submission_list_filters_by_call(staff_api):
    wanted = SubmissionFactory(status="submitted")
    SubmissionFactory(status="submitted")

    response = staff_api.get("/api/v1/submissions/", {"call": wanted.call.slug})

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


# Numbers and dates within reason.


def test_reviews_per_submission_has_a_maximum(staff_api):
    call = CallFactory()
    url = reverse("api:exchange-call-detail", kwargs={"slug": call.slug})

    too_many = staff_api.patch(
        url, {"reviews_per_submission": 40000}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    most = staff_api.patch(
        url, {"reviews_per_submission": MAX_REVIEWS_PER_SUBMISSION}, format="json"
    )

    assert too_many.status_code == 400
    assert too_many.json()["errors"] == {
        "reviews_per_submission": [
            "Ensure this value is less than or equal to 50.",
        ]
    }
    assert most.status_code == 200
    call.refresh_from_db()
    assert call.reviews_per_submission == MAX_REVIEWS_PER_SUBMISSION


def test_the_model_refuses_too_many_reviews_per_submission():
    from django.core.exceptions import ValidationError

    call = CallFactory(reviews_per_submission=MAX_REVIEWS_PER_SUBMISSION + 1)

    with pytest.raises(ValidationError) as error:
        call.full_clean()

    assert set(error.value.message_dict) == {"reviews_per_submission"}


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Enter a date between the years 2000 and 2100."),
        ("uk", "Вкажіть дату між 2000 і 2100 роками."),
    ],
)
def test_a_call_in_the_year_704_is_refused(language, message, staff_api):
    organizer = OrganizationFactory()

    response = staff_api.post(
        "/api/v1/calls/",
        {
            "organizer": organizer.slug,
            "title_en": "Old call",
            "time_zone": "Europe/Kyiv",
            "opens_at": "0704-01-01T00:00:00",
            "closes_at": "2101-01-01T00:00:00Z",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "opens_at": [message],
        "closes_at": [message],
    }
    assert not Call.objects.filter(title_en="Old call").exists()


@pytest.mark.parametrize(
    ("path", "field", "value"),
    [
        ("/api/v1/events/", "starts_at", "1999-12-31T23:00:00Z"),
        ("/api/v1/needs-offers/", "valid_until", "2101-01-01"),
        ("/api/v1/investment-projects/", "starts_on", "0704-05-01"),
    ],
)
def test_dates_outside_2000_to_2100_are_refused_everywhere(
    path, field, value, staff_api
):
    response = staff_api.post(
        path, {field: value}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code in (400, 403)
    if response.status_code == 400:
        assert response.json()["errors"][field] == [
            "Enter a date between the years 2000 and 2100."
        ]


def test_the_call_form_refuses_the_year_704():
    from exchange.forms import CallForm

    organizer = OrganizationFactory()
    form = CallForm(
        data={
            "organizer": organizer.pk,
            "title_en": "Old",
            "time_zone": "Europe/Kyiv",
            "opens_at": "0704-01-01T00:00",
            "closes_at": "2027-01-01T00:00",
            "reviews_per_submission": 3,
            "open_to_all_verified": "on",
        }
    )

    assert not form.is_valid()
    assert form.errors["opens_at"] == ["Вкажіть дату між 2000 і 2100 роками."]
    assert "closes_at" not in form.errors


# Answers as the schema documents them.


def test_an_event_without_an_online_link_says_null(staff_api):
    event = EventFactory(online_url="")

    response = staff_api.get(f"/api/v1/events/{event.slug}/")

    assert response.json()["online_url"] is None


def test_registering_for_an_unknown_event_is_400(staff_api):
    response = staff_api.post(
        "/api/v1/event-registrations/",
        {"event": "no-such-event"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "event": ["There is no event with this address that you may see."]
    }


def test_recommendations_are_a_page_as_documented(staff_api):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    documented = schema["paths"]["/api/v1/recommendations/"]["get"]["responses"]
    reference = documented["200"]["content"]["application/json"]["schema"]["$ref"]

    response = staff_api.get("/api/v1/recommendations/")

    assert reference == "#/components/schemas/PaginatedRecommendationList"
    assert set(response.json()) == {"count", "next", "previous", "results"}
