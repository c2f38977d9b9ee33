"""An event's description has a length limit in the API."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_event_api_refuses_a_description_over_the_limit(organization, editor):
    api = APIClient()
    api.force_authenticate(editor)

    response = api.post(
        "/api/v1/events/",
        {
            "kind": "meetup",
            "organizer": organization.slug,
            "title_uk": "Зустріч",
            "description_uk": "а" * 20001,
            "time_zone": "Europe/Kyiv",
            "starts_at": "2027-01-01T10:00",
            "ends_at": "2027-01-01T12:00",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="uk",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "description_uk": [
            "Переконайтесь, що кількість символів в цьому полі не перевищує 20000."
        ]
    }
