"""core.mail: one language rule, sent after commit, an outage logged, not raised."""

import pytest
from django.core import mail as outbox
from django.db import transaction

from core import mail
from tests.factories import UserFactory

TEMPLATE = "accounts/emails/account_deleted"


@pytest.mark.parametrize(
    ("preferred", "expected"), [("en", "en"), ("uk", "uk"), ("", "uk")]
)
def test_language_is_the_readers_choice_else_the_site_default(
    db, settings, preferred, expected
):
    settings.LANGUAGE_CODE = "uk"
    person = UserFactory(preferred_language=preferred)

    assert mail.language_of(person) == expected


def test_language_of_an_address_alone_is_the_site_default(settings):
    settings.LANGUAGE_CODE = "en"

    assert mail.language_of("someone@example.org") == "en"


def test_send_waits_for_commit_and_renders_in_the_readers_language(
    db, django_capture_on_commit_callbacks
):
    english = UserFactory(email="en@example.org", preferred_language="en")
    ukrainian = UserFactory(email="uk@example.org", preferred_language="uk")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = mail.send(TEMPLATE, {"site_url": ""}, to=[english, ukrainian])
        assert outbox.outbox == []

    assert (queued, len(callbacks)) == (2, 1)
    assert [m.to for m in outbox.outbox] == [[english.email], [ukrainian.email]]
    assert outbox.outbox[0].subject == "Your Mist account is deleted"
    assert outbox.outbox[1].subject != outbox.outbox[0].subject


def test_a_rolled_back_change_sends_nothing(transactional_db):
    person = UserFactory(preferred_language="en")

    with transaction.atomic():
        mail.send(TEMPLATE, {"site_url": ""}, to=person)
        transaction.set_rollback(True)

    assert outbox.outbox == []


def test_other_languages_follow_below_a_rule(db):
    person = UserFactory(preferred_language="en")

    mail.send(
        TEMPLATE,
        {"site_url": ""},
        to=person,
        other_languages=True,
        after_commit=False,
    )

    english, ukrainian = outbox.outbox[0].body.split(mail.LANGUAGE_RULE)
    assert "deleted" in english
    assert "deleted" not in ukrainian


def test_a_mail_outage_is_logged_not_raised(db, settings, caplog):
    settings.EMAIL_BACKEND = "tests.core.test_mail.BrokenBackend"

    mail.send(TEMPLATE, {"site_url": ""}, to="gone@example.org", after_commit=False)

    assert "Could not send 1 e-mails" in caplog.text


class BrokenBackend:
    """A mail server that is down."""

    def __init__(self, **kwargs):
        pass

    def __enter__(self):
        raise ConnectionRefusedError

    def __exit__(self, *args):
        return False
