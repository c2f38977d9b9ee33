"""Limited documents never reach an investor without an accepted interest and confirmed
terms, nor anyone through the catalogue, search, the project page or the API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from investments import permissions
from investments.models import InvestmentProject, ProjectDocument
from tests.factories import UserFactory
from tests.investments.factories import DocumentFactory, InterestFactory, ProjectFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()
Access = ProjectDocument.Access


@pytest.mark.parametrize(
    ("accepted", "terms", "declined", "expected"),
    [
        (False, False, False, False),
        (True, False, False, False),
        (False, True, False, False),
        (True, True, False, True),
        (True, True, True, False),
    ],
)
def test_limited_document_needs_accepted_interest_and_terms(
    investor, accepted, terms, declined, expected
):
    document = DocumentFactory(access=Access.LIMITED)
    interest = InterestFactory(
        project=document.project,
        investor=investor,
        accepted_at=NOW if accepted else None,
        terms_confirmed_at=NOW if terms else None,
        stage="declined" if declined else "meeting",
    )

    assert permissions.can_see_document(investor, document) is expected
    assert (
        permissions.can_see_document(investor, document, interest=interest) is expected
    )


@pytest.mark.parametrize(
    ("role", "access", "expected"),
    [
        ("anonymous", Access.OPEN, True),
        ("anonymous", Access.LIMITED, False),
        ("anonymous", Access.RESTRICTED, False),
        (Role.EDITOR, Access.LIMITED, False),
        (Role.INVESTOR, Access.RESTRICTED, False),
        (Role.CITY_OFFICER, Access.RESTRICTED, True),
        (Role.STAFF, Access.LIMITED, True),
    ],
)
def test_document_access_by_role(role, access, expected):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else UserFactory(role=role)
    document = DocumentFactory(access=access)

    assert permissions.can_see_document(user, document) is expected


def test_someone_elses_accepted_interest_opens_nothing(investor):
    document = DocumentFactory(access=Access.LIMITED)
    InterestFactory(project=document.project, accepted_at=NOW, terms_confirmed_at=NOW)

    assert not permissions.can_see_document(investor, document)


def test_open_document_of_draft_is_hidden(investor):
    document = DocumentFactory(
        access=Access.OPEN,
        project=ProjectFactory(status=InvestmentProject.Status.DRAFT),
    )

    assert not permissions.can_see_document(investor, document)


def test_project_page_never_links_closed_documents(client, investor):
    project = ProjectFactory()
    limited = DocumentFactory(
        project=project, access=Access.LIMITED, title_uk="Лімітований"
    )
    restricted = DocumentFactory(
        project=project, access=Access.RESTRICTED, title_uk="Таємний"
    )
    InterestFactory(project=project, investor=investor, accepted_at=NOW)  # no terms
    client.force_login(investor)

    content = client.get(project.get_absolute_url()).content.decode()

    assert limited.get_absolute_url() not in content
    assert "Лімітований" in content  # listed, locked
    assert restricted.get_absolute_url() not in content
    assert "Таємний" not in content


def test_catalogue_search_does_not_find_drafts_or_documents(client):
    ProjectFactory(title_uk="Чернетка мосту", status=InvestmentProject.Status.DRAFT)
    project = ProjectFactory()
    DocumentFactory(project=project, access=Access.RESTRICTED, title_uk="Міст таємний")

    response = client.get(reverse("investments:project-list"), {"q": "міст"})

    assert response.context["totals"].count == 0


def test_api_hides_closed_document_urls(client, investor):
    project = ProjectFactory()
    DocumentFactory(project=project, access=Access.OPEN)
    DocumentFactory(project=project, access=Access.LIMITED)
    DocumentFactory(project=project, access=Access.RESTRICTED)
    client.force_login(investor)

    data = client.get(
        reverse("api:investment-project-detail", kwargs={"slug": project.slug})
    ).json()

    by_access = {d["access"]: d["url"] for d in data["documents"]}
    assert set(by_access) == {"open", "limited"}
    assert by_access["open"].endswith("/download/")
    assert by_access["limited"] is None


def test_api_gives_limited_url_once_opened(client, investor):
    project = ProjectFactory()
    DocumentFactory(project=project, access=Access.LIMITED)
    InterestFactory(
        project=project,
        investor=investor,
        accepted_at=NOW,
        terms_confirmed_at=NOW - datetime.timedelta(hours=1),
    )
    client.force_login(investor)

    data = client.get(
        reverse("api:investment-project-detail", kwargs={"slug": project.slug})
    ).json()

    assert data["documents"][0]["url"]
