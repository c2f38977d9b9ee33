"""core.mail.notify: an in-app notification for events that send no e-mail, as the
person's preference per kind says, never an e-mail."""

import pytest
from django.core import mail as outbox
from django.utils import translation

from core import mail
from notifications.kinds import Channel
from notifications.models import Notification, Preference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("channel", "in_app", "in_digest"),
    [
        (Channel.EMAIL, 1, False),
        (Channel.IN_APP, 1, False),
        (Channel.DIGEST, 1, True),
        (Channel.OFF, 0, False),
    ],
)
def test_notify_records_as_the_preference_says_and_never_mails(
    channel, in_app, in_digest
):
    person = UserFactory(preferred_language="en")
    Preference.objects.create(user=person, kind="submission", channel=channel)

    offered = mail.notify(
        person,
        kind="submission",
        title=lambda: translation.gettext("Draft"),
        link=lambda: "/en/somewhere/",
    )

    assert offered == 1
    assert outbox.outbox == []
    rows = list(Notification.objects.values_list("title", "link", "in_digest"))
    assert rows == ([("Draft", "/en/somewhere/", in_digest)] if in_app else [])


def test_notify_titles_in_each_readers_language():
    english = UserFactory(preferred_language="en")
    ukrainian = UserFactory(preferred_language="uk")

    mail.notify(
        [english, ukrainian, "someone@example.org"],
        kind="review",
        title=lambda: translation.gettext("Draft"),
    )

    assert dict(Notification.objects.values_list("user_id", "title")) == {
        english.pk: "Draft",
        ukrainian.pk: "Чернетка",
    }
