"""One-click unsubscribe (RFC 8058): a signed token works signed out; a forged,
altered or expired one is refused and changes nothing."""

import datetime
import time

import pytest
from django.core import mail as outbox
from django.core import signing
from django.urls import reverse as reverse_uk
from django.utils import translation

from core import mail
from notifications import queries, services
from notifications.kinds import Channel
from notifications.models import Notification, Preference
from tests.factories import UserFactory

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def _url(token: str) -> str:
    return reverse("notifications:unsubscribe", kwargs={"token": token})


def reverse(name, *args, **kwargs):
    """The English page: the tests read its English text."""
    with translation.override("en"):
        return reverse_uk(name, *args, **kwargs)


@pytest.fixture
def person(db):
    return UserFactory(preferred_language="en")


def test_get_asks_for_confirmation_and_changes_nothing(client, person):
    response = client.get(_url(services.unsubscribe_token(person, "event")))

    assert response.status_code == 200
    assert "Yes, unsubscribe" in response.text
    assert queries.channel_for(person, "event") == Channel.EMAIL
    assert not Preference.objects.exists()


def test_one_click_post_works_signed_out_without_csrf(person):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    response = client.post(_url(services.unsubscribe_token(person, "event")), ONE_CLICK)

    assert response.status_code == 200
    assert queries.channel_for(person, "event") == Channel.IN_APP
    assert queries.channel_for(person, "meeting") == Channel.EMAIL


def test_the_link_in_a_sent_email_stops_that_kind(client, person, settings):
    settings.SITE_URL = "https://mist.example.org"
    mail.send(
        "accounts/emails/account_deleted",
        {},
        to=person,
        kind="event",
        after_commit=False,
    )
    header = outbox.outbox[0].extra_headers["List-Unsubscribe"]
    path = header.strip("<>").removeprefix(settings.SITE_URL)

    response = client.post(path, ONE_CLICK)
    mail.send(
        "accounts/emails/account_deleted",
        {},
        to=person,
        kind="event",
        after_commit=False,
    )

    assert response.status_code == 200
    assert len(outbox.outbox) == 1
    assert Notification.objects.filter(user=person).count() == 2


def _forged(person) -> str:
    return signing.dumps(
        {"u": person.pk, "k": "event"},
        key="not-the-secret",
        salt=services.UNSUBSCRIBE_SALT,
    )


def _other_salt(person) -> str:
    return signing.dumps({"u": person.pk, "k": "event"}, salt="something-else")


def _altered(person) -> str:
    """A valid token for someone else, its payload swapped for the victim's."""
    other = UserFactory()
    token = services.unsubscribe_token(other, "event")
    victim = signing.dumps({"u": person.pk, "k": "event"}, salt="x").split(":")[0]
    return ":".join([victim, *token.split(":")[1:]])


def _flipped(person) -> str:
    token = services.unsubscribe_token(person, "event")
    last = "A" if token[-1] != "A" else "B"
    return token[:-1] + last


def _expired(person) -> str:
    class LongAgo(signing.TimestampSigner):
        def timestamp(self):
            days = datetime.timedelta(days=365).total_seconds()
            return signing.b62_encode(int(time.time() - days))

    return LongAgo(salt=services.UNSUBSCRIBE_SALT).sign_object(
        {"u": person.pk, "k": "event"}, compress=True
    )


def _unknown_kind(person) -> str:
    return services.unsubscribe_token(person, "everything")


@pytest.mark.parametrize(
    "make", [_forged, _other_salt, _altered, _flipped, _expired, _unknown_kind]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_token_is_refused(client, person, make, method):
    response = getattr(client, method)(_url(make(person)), ONE_CLICK)

    assert response.status_code == 400
    assert "not valid" in response.text
    assert not Preference.objects.exists()


def test_the_digest_token_moves_digest_kinds_to_the_app(client, person):
    services.set_preferences(person, {"event": "digest", "meeting": "email"})

    client.post(_url(services.unsubscribe_token(person, "digest")), ONE_CLICK)

    assert queries.channel_for(person, "event") == Channel.IN_APP
    assert queries.channel_for(person, "meeting") == Channel.EMAIL


def test_unsubscribing_keeps_off_as_off(client, person):
    services.set_preferences(person, {"event": "off"})

    client.post(_url(services.unsubscribe_token(person, "event")), ONE_CLICK)

    assert queries.channel_for(person, "event") == Channel.OFF
