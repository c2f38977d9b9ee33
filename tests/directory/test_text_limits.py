"""An organization's description has a length limit, in the form and in the API."""

import pytest
from django.urls import reverse

from tests.directory.test_views import form_data, url

LIMIT = 20000


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            f"Ensure this value has at most {LIMIT} characters (it has {LIMIT + 1}).",
        ),
        (
            "uk",
            f"Переконайтеся, що це значення містить не більше ніж {LIMIT} символів "
            f"(зараз {LIMIT + 1}).",
        ),
    ],
)
def test_organization_form_refuses_a_description_over_the_limit(
    client, organization, staff, language, message
):
    client.force_login(staff)

    response = client.post(
        url("organization-edit", language, slug=organization.slug),
        form_data(organization, description_uk="а" * (LIMIT + 1)),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"description_uk": [message]}
    organization.refresh_from_db()
    assert len(organization.description_uk) < LIMIT


def test_organization_form_takes_a_description_at_the_limit(
    client, organization, staff
):
    client.force_login(staff)

    response = client.post(
        url("organization-edit", slug=organization.slug),
        form_data(organization, description_uk="а" * LIMIT),
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    assert len(organization.description_uk) == LIMIT


def test_organization_api_refuses_a_description_over_the_limit(
    client, editor, organization
):
    client.force_login(editor)

    response = client.patch(
        reverse("api:organization-detail", kwargs={"slug": organization.slug}),
        {"description_en": "x" * (LIMIT + 1), "version": organization.version},
        content_type="application/json",
        headers={"accept-language": "en"},
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "description_en": [f"Ensure this field has no more than {LIMIT} characters."]
    }
