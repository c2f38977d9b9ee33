"""A submission's free texts have length limits, in the form and in the API."""

import pytest
from django.urls import reverse
from django.utils import translation

from exchange.models import Submission

pytestmark = pytest.mark.django_db


def test_submission_form_refuses_a_summary_over_the_limit(client, call, submitter):
    client.force_login(submitter)
    with translation.override("en"):
        url = reverse("exchange:submission-create", kwargs={"slug": call.slug})

    response = client.post(
        url, {"title_uk": "Проєкт", "summary_en": "x" * 2001, "asks": ["funding"]}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["summary_en"] == [
        "Ensure this value has at most 2000 characters (it has 2001)."
    ]
    assert not Submission.objects.exists()


def test_submission_form_limits_follow_the_model(client, call, submitter):
    client.force_login(submitter)

    response = client.get(
        reverse("exchange:submission-create", kwargs={"slug": call.slug})
    )

    form = response.context["form"]
    assert form.fields["summary_uk"].max_length == 2000
    assert form.fields["problem_en"].max_length == 5000
    assert form.fields["title_uk"].max_length == 255
    assert 'maxlength="5000"' in str(form["team_uk"])
