"""An investment project's free texts have length limits in the API."""

import pytest
from django.urls import reverse

from tests.investments.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_project_api_refuses_texts_over_their_limits(client, officer):
    project = ProjectFactory()
    client.force_login(officer)

    response = client.patch(
        reverse("api:investment-project-detail", kwargs={"slug": project.slug}),
        {
            "summary_en": "x" * 2001,
            "description_uk": "а" * 20001,
            "version": project.version,
        },
        content_type="application/json",
        headers={"accept-language": "en"},
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "summary_en": ["Ensure this field has no more than 2000 characters."],
        "description_uk": ["Ensure this field has no more than 20000 characters."],
    }
    project.refresh_from_db()
    assert project.version == 1
