"""A pitch book whose build was lost with its worker is detected and started again."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.storage import private_storage
from investments import pdf
from tests.investments.fixtures import demo_portfolio


def _marker(key: str, *, minutes_ago: int) -> None:
    started = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    pdf.store(pdf.marker_name(key), started.isoformat().encode("ascii"))


@pytest.mark.django_db
def test_a_build_older_than_the_limit_is_stalled(settings):
    settings.MIST_PITCH_BOOK_STALL_SECONDS = 600
    demo_portfolio()
    key = pdf.pitch_book_key()

    _marker(key, minutes_ago=9)
    assert pdf.pitch_book_state(key) == "building"
    _marker(key, minutes_ago=11)
    assert pdf.pitch_book_state(key) == "stalled"


@pytest.mark.django_db
def test_a_building_book_is_not_started_twice(client, officer, settings):
    settings.MIST_PITCH_BOOK_STALL_SECONDS = 600
    demo_portfolio()
    key = pdf.pitch_book_key()
    _marker(key, minutes_ago=1)
    client.force_login(officer)

    client.post(reverse("investments:pitch-book"))

    assert pdf.pitch_book_state(key) == "building"
    assert not private_storage().exists(pdf.pitch_book_name(key))


@pytest.mark.django_db
def test_a_stalled_book_is_shown_and_prepared_again_from_its_page(
    client, officer, settings, django_capture_on_commit_callbacks
):
    settings.MIST_PITCH_BOOK_STALL_SECONDS = 600
    demo_portfolio()
    key = pdf.pitch_book_key()
    _marker(key, minutes_ago=30)
    client.force_login(officer)
    with translation.override("en"):
        url = reverse("investments:pitch-book")

    page = client.get(url)
    assert page.context["state"] == "stalled"
    assert "The preparation stopped without finishing" in page.content.decode()
    assert "Prepare the pitch book" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)  # eager in tests: built at once after the commit

    assert pdf.pitch_book_state(key) == "ready"
    assert not private_storage().exists(pdf.marker_name(key))
