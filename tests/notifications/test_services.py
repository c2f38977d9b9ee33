"""The mail hook: a person's preference per kind decides in-app, e-mail, digest, off."""

import pytest
from django.core import mail as outbox
from django.db import transaction
from django.urls import reverse

from core import mail
from directory import emails
from notifications import services
from notifications.kinds import KINDS, Channel
from notifications.models import Notification, Preference
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

TEMPLATE = "accounts/emails/account_deleted"
CONTEXT = {"site_url": "", "url": "https://mist.example.org/uk/events/"}


def _send(user, kind="event", **extra):
    return mail.send(TEMPLATE, CONTEXT, to=user, kind=kind, after_commit=False, **extra)


@pytest.mark.parametrize(
    ("channel", "mailed", "in_app", "in_digest"),
    [
        (Channel.EMAIL, 1, 1, False),
        (Channel.IN_APP, 0, 1, False),
        (Channel.DIGEST, 0, 1, True),
        (Channel.OFF, 0, 0, False),
    ],
)
def test_preference_decides_where_a_kind_goes(db, channel, mailed, in_app, in_digest):
    person = UserFactory(preferred_language="en")
    Preference.objects.create(user=person, kind="event", channel=channel)

    queued = _send(person)

    assert (queued, len(outbox.outbox)) == (mailed, mailed)
    notifications = list(Notification.objects.filter(user=person))
    assert len(notifications) == in_app
    if notifications:
        assert notifications[0].title == "Your Mist account is deleted"
        assert notifications[0].kind == "event"
        assert notifications[0].in_digest is in_digest
        assert notifications[0].read_at is None


def test_other_kinds_keep_their_default(db):
    person = UserFactory()
    Preference.objects.create(user=person, kind="meeting", channel=Channel.OFF)

    _send(person, kind="event")

    assert len(outbox.outbox) == 1
    assert Notification.objects.get(user=person).kind == "event"


def test_an_email_carries_one_click_unsubscribe_headers(db, settings):
    settings.SITE_URL = "https://mist.example.org"
    person = UserFactory(preferred_language="en")

    _send(person)

    headers = outbox.outbox[0].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = headers["List-Unsubscribe"]
    assert link.startswith("<https://mist.example.org/en/notifications/unsubscribe/")
    assert link.endswith("/>")
    token = link.removesuffix("/>").rsplit("/", 1)[1]
    assert services.read_unsubscribe_token(token) == (person.pk, "event")
    assert "List-Unsubscribe" in outbox.outbox[0].message().as_string()


def test_the_link_is_the_emails_url_built_in_the_readers_language(db):
    person = UserFactory(preferred_language="en")

    mail.send(
        TEMPLATE,
        {"site_url": "", "url": lambda: mail.absolute_url(reverse("events:my-events"))},
        to=person,
        kind="event",
        after_commit=False,
    )

    link = Notification.objects.get(user=person).link
    assert link == mail.absolute_url("/en/events/mine/")


def test_mail_without_a_kind_always_goes_and_records_nothing(db):
    person = UserFactory()
    for kind in KINDS:
        Preference.objects.create(user=person, kind=kind.code, channel=Channel.OFF)

    mail.send(TEMPLATE, CONTEXT, to=person, after_commit=False)

    assert len(outbox.outbox) == 1
    assert "List-Unsubscribe" not in outbox.outbox[0].extra_headers
    assert not Notification.objects.filter(user=person).exists()


def test_security_mail_is_sent_whatever_the_preferences(client, db):
    person = UserFactory(email="locked@example.org")
    for kind in KINDS:
        Preference.objects.create(user=person, kind=kind.code, channel=Channel.OFF)

    client.post(reverse("accounts:password-reset"), {"email": person.email})

    assert [m.to for m in outbox.outbox] == [[person.email]]
    assert not Notification.objects.filter(user=person).exists()


def test_a_kind_to_a_bare_address_is_just_sent(db):
    mail.send(TEMPLATE, CONTEXT, to="guest@example.org", kind="invitation")

    assert Notification.objects.count() == 0


def test_a_rolled_back_change_leaves_no_notification(transactional_db):
    person = UserFactory()

    with transaction.atomic():
        mail.send(TEMPLATE, CONTEXT, to=person, kind="event")
        transaction.set_rollback(True)

    assert outbox.outbox == []
    assert not Notification.objects.filter(user=person).exists()


def test_a_real_sender_names_its_kind(db):
    organization = OrganizationFactory()
    editor = MembershipFactory(organization=organization).user
    Preference.objects.create(user=editor, kind="organization", channel="in_app")
    emails.mail_editors(organization, "organization_verified")

    notification = Notification.objects.get(user=editor)
    assert notification.kind == "organization"
    assert notification.link.endswith(organization.get_absolute_url())


def test_set_preferences_ignores_unknown_kinds_and_channels(db):
    person = UserFactory()

    services.set_preferences(
        person, {"event": "digest", "nonsense": "email", "meeting": "loud"}
    )

    assert dict(
        Preference.objects.filter(user=person).values_list("kind", "channel")
    ) == {"event": "digest"}
