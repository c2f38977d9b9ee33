"""A blind call leaks no identity to reviewers: pages, files, e-mails, exports, API.

Every reviewer-facing response is rendered for a blind call and searched for the
startup's names, its EDRPOU and the submitter's name and e-mail.
"""

import json
import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse

from exchange.models import Attachment
from reviews import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def blind(call, submission, assignment, reviewer, criteria, submitter, startup):
    call.is_blind = True
    call.save()
    attachment = Attachment(
        submission=submission,
        original_name="Zhovten Startup pitch.pdf",
        size=len(PDF),
        uploaded_by=submitter,
    )
    attachment.file.save("pitch.pdf", ContentFile(PDF), save=False)
    attachment.save()
    services.confirm_no_conflict(assignment, by=reviewer)
    services.save_review(
        assignment,
        by=reviewer,
        scores={criteria[0].pk: 4, criteria[1].pk: 7},
        comments_to_submitters="Promising.",
        recommendation="accept",
        submit=True,
    )
    return submission


def _secrets(startup, submitter) -> list[str]:
    return [
        startup.name_uk,
        startup.name_en,
        startup.edrpou,
        submitter.full_name,
        submitter.email,
        "Zhovten",
        "Жовтень",
    ]


def _without_ties_choices(body: str) -> str:
    """The reviewer profile lists every organization to declare ties with; that list
    says nothing about who submitted what, so it is left out of the search."""
    return re.sub(r'<select name="ties".*?</select>', "", body, flags=re.S)


def _reviewer_urls(submission) -> list[str]:
    call = submission.call
    urls = [
        reverse("reviews:my-reviews"),
        reverse("reviews:review-edit", kwargs={"pk": submission.pk}),
        reverse("reviews:reviewer-profile", kwargs={"slug": call.slug}),
        reverse("exchange:submission-detail", kwargs={"pk": submission.pk}),
        "/api/v1/review-assignments/",
        "/api/v1/reviews/",
        "/api/v1/decisions/",
        reverse("exchange:call-detail", kwargs={"slug": call.slug}),
    ]
    return urls


@pytest.mark.parametrize("language", ["uk", "en"])
def test_blind_call_pages_and_api_show_no_identity(
    client, blind, reviewer, startup, submitter, language
):
    client.force_login(reviewer)
    secrets = _secrets(startup, submitter)
    leaks = []

    for url in _reviewer_urls(blind):
        if not url.startswith("/api/"):
            url = url.replace("/uk/", f"/{language}/", 1)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        body = _without_ties_choices(response.content.decode())
        leaks += [(url, s) for s in secrets if s and s in body]

    assert leaks == []


def test_blind_call_api_has_no_organization_and_review_page_names_files_neutrally(
    client, blind, reviewer
):
    client.force_login(reviewer)

    data = json.loads(client.get("/api/v1/review-assignments/").content)
    page = client.get(
        reverse("reviews:review-edit", kwargs={"pk": blind.pk})
    ).content.decode()

    assert data["results"][0]["submission"]["organization"] is None
    assert "pitch.pdf" not in page
    assert "(PDF)" in page


def test_reviewer_invitation_email_names_only_the_call(
    call, blind, staff, startup, submitter, django_capture_on_commit_callbacks
):
    UserFactory(email="second@abq.example")

    with django_capture_on_commit_callbacks(execute=True):
        services.invite_reviewer(call, email="second@abq.example", invited_by=staff)

    message = mail.outbox[-1]
    text = message.subject + message.body
    assert [s for s in _secrets(startup, submitter) if s in text] == []


def test_open_call_shows_the_organization_to_reviewers(
    client, submission, assignment, reviewer, startup
):
    client.force_login(reviewer)

    page = client.get(
        reverse("reviews:review-edit", kwargs={"pk": submission.pk})
    ).content.decode()

    assert startup.name_uk in page or startup.name_en in page
