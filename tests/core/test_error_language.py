"""Error messages of the main forms are in the page's language: no Ukrainian on an
English page, and Ukrainian on a Ukrainian one (Django's, DRF's and our own)."""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from tests.exchange.factories import CallFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile("[А-ЯЁІЇЄҐа-яёіїєґ]")
ERROR_CLASSES = {"invalid-feedback", "alert-danger", "errorlist", "text-danger"}


class ErrorText(HTMLParser):
    """The texts inside elements marked as errors."""

    VOID = {"br", "img", "input", "hr", "meta", "link", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []
        self.messages: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        self.stack.append(bool(classes & ERROR_CLASSES))

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.stack:
            return
        if self.stack.pop() and not any(self.stack):
            text = " ".join("".join(self.current).split())
            if text:
                self.messages.append(text)
            self.current = []

    def handle_data(self, data):
        if any(self.stack):
            self.current.append(data)


def error_messages(response) -> list[str]:
    """The error texts of a page (a required field's "*" mark is none)."""
    parser = ErrorText()
    parser.feed(response.content.decode())
    return [message for message in parser.messages if re.search(r"[^\W\d_]", message)]


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def organization_form(client, language):
    staff = UserFactory(role=Role.STAFF)
    organization = OrganizationFactory()
    client.force_login(staff)
    return client.post(
        url("directory:organization-edit", language, slug=organization.slug),
        {
            "name_uk": "",
            "kind": "bakery",
            "legal_form": "entity",
            "edrpou": "00000000",
            "country": "UA",
            "place": "UA00",
            "founded_year": "1700",
            "website": "not a site",
            "email": "not-an-email",
            "phone": "call me",
            "description_en": "x" * 20001,
            "visibility": "everyone",
            "version": organization.version,
        },
    )


def submission_form(client, language):
    call = CallFactory()
    startup = OrganizationFactory(kind="startup")
    founder = UserFactory(role=Role.EDITOR)
    MembershipFactory(user=founder, organization=startup)
    client.force_login(founder)
    return client.post(
        url("exchange:submission-create", language, slug=call.slug),
        {
            "title_uk": "x" * 300,
            "summary_en": "x" * 2001,
            "stage": "unicorn",
            "asks": ["everything"],
            "funding_amount": "lots",
            "funding_currency": "XYZ",
            "links": "not a link",
            "tags": ["999999"],
        },
    )


def investment_project_form(client, language):
    officer = UserFactory(role=Role.CITY_OFFICER)
    client.force_login(officer)
    return client.post(
        url("investments:project-create", language),
        {
            "code": "",
            "title_uk": "",
            "strategy_area": "mars",
            "owner": "999999",
            "latitude": "200",
            "total_cost": "-1",
            "financing_sought": "lots",
            "starts_on": "2027-06-01",
            "ends_on": "2027-05-31",
            "contact_email": "nobody",
            "instruments": ["magic"],
            "budget-TOTAL_FORMS": "1",
            "budget-INITIAL_FORMS": "0",
            "budget-0-category": "party",
            "budget-0-amount": "abc",
            "funding-TOTAL_FORMS": "0",
            "funding-INITIAL_FORMS": "0",
            "indicators-TOTAL_FORMS": "0",
            "indicators-INITIAL_FORMS": "0",
        },
    )


def event_form(client, language):
    staff = UserFactory(role=Role.STAFF)
    client.force_login(staff)
    return client.post(
        url("events:event-create", language),
        {
            "kind": "rave",
            "organizer": "999999",
            "title_uk": "",
            "time_zone": "Mars/Olympus",
            "starts_at": "someday",
            "ends_at": "2027-13-45T25:00",
            "online_url": "not a link",
            "capacity": "-3",
        },
    )


def import_upload(client, language):
    staff = UserFactory(role=Role.STAFF)
    client.force_login(staff)
    return client.post(
        url("directory:import-upload", language),
        {"file": SimpleUploadedFile("partners.pdf", b"%PDF-1.4")},
    )


FORMS = [
    organization_form,
    submission_form,
    investment_project_form,
    event_form,
    import_upload,
]


@pytest.mark.parametrize("submit", FORMS, ids=lambda f: f.__name__)
def test_errors_on_english_pages_are_in_english(client, submit):
    response = submit(client, "en")

    messages = error_messages(response)
    assert len(messages) >= 1
    assert [m for m in messages if CYRILLIC.search(m)] == []


@pytest.mark.parametrize("submit", FORMS, ids=lambda f: f.__name__)
def test_errors_on_ukrainian_pages_are_in_ukrainian(client, submit):
    response = submit(client, "uk")

    messages = error_messages(response)
    assert len(messages) >= 1
    assert [m for m in messages if not CYRILLIC.search(m)] == []


def test_django_choice_message_reads_well_in_ukrainian(client):
    response = event_form(client, "uk")

    assert "Виберіть коректний варіант: rave немає серед доступних." in (
        error_messages(response)
    )


def test_drf_messages_missing_from_its_catalogue_are_ukrainian(client, staff):
    client.force_login(staff)

    response = client.post(
        "/api/v1/events/",
        {"kind": "meetup", "title_uk": ["a", "b"], "time_zone": "Europe/Kyiv"},
        content_type="application/json",
        headers={"accept-language": "uk"},
    )

    assert response.json()["errors"]["title_uk"] == ["Це не рядок тексту."]
