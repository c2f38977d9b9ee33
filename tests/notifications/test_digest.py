"""The daily digest: once a day, after 08:00 in each person's own time zone."""

import datetime

import pytest
from django.core import mail as outbox

from notifications import services
from notifications.models import DigestRun, Notification
from tests.factories import UserFactory
from tests.notifications.factories import NotificationFactory

UTC = datetime.UTC


def at(hour: int, minute: int = 0, day: int = 4) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def kyiv(db):
    person = UserFactory(
        email="kyiv@example.org", time_zone="Europe/Kyiv", preferred_language="en"
    )
    NotificationFactory(user=person, title="Event moved", in_digest=True)
    NotificationFactory(user=person, title="Meeting accepted", in_digest=True)
    return person


@pytest.fixture
def denver(db):
    person = UserFactory(
        email="denver@example.org", time_zone="America/Denver", preferred_language="en"
    )
    NotificationFactory(user=person, title="New interest", in_digest=True)
    return person


def test_not_before_eight_in_the_persons_zone(kyiv, django_capture_on_commit_callbacks):
    # 05:59 UTC is 07:59 in Kyiv (UTC+2 in December).
    with django_capture_on_commit_callbacks(execute=True):
        before = services.send_digests(now=at(5, 59))
        after = services.send_digests(now=at(6, 0))

    assert (before, after) == (0, 1)
    assert [m.to for m in outbox.outbox] == [[kyiv.email]]


def test_each_person_gets_it_after_eight_in_their_own_zone(
    kyiv, denver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        # 07:00 UTC: 09:00 in Kyiv, 00:00 in Denver (UTC-7).
        at_seven = services.send_digests(now=at(7, 0))
        # 14:59 UTC is 07:59 in Denver; 15:00 is 08:00.
        at_two_fifty_nine = services.send_digests(now=at(14, 59))
        at_three = services.send_digests(now=at(15, 0))

    assert (at_seven, at_two_fifty_nine, at_three) == (1, 0, 1)
    assert [m.to for m in outbox.outbox] == [[kyiv.email], [denver.email]]


def test_the_digest_lists_what_waited_and_is_sent_once_a_day(
    kyiv, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_digests(now=at(7))
        NotificationFactory(user=kyiv, title="Later news", in_digest=True)
        sent_again_today = services.send_digests(now=at(20))
        sent_tomorrow = services.send_digests(now=at(6, 30, day=5))

    first, second = outbox.outbox
    assert first.subject == "Mist: 2 new notifications"
    assert first.body.index("Event moved") < first.body.index("Meeting accepted")
    assert "Later news" not in first.body
    assert first.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (sent_again_today, sent_tomorrow) == (0, 1)
    assert "Later news" in second.body
    assert "Event moved" not in second.body
    assert DigestRun.objects.get(user=kyiv).last_sent_on == datetime.date(2026, 12, 5)
    assert not Notification.objects.filter(in_digest=True).exists()


def test_no_waiting_items_no_digest(db):
    person = UserFactory(time_zone="Europe/Kyiv")
    NotificationFactory(user=person, in_digest=False)

    assert services.send_digests(now=at(10)) == 0
    assert outbox.outbox == []


def test_no_zone_means_the_sites(kyiv, settings):
    settings.TIME_ZONE = "UTC"
    kyiv.time_zone = ""
    kyiv.save()

    assert services.send_digests(now=at(7, 59)) == 0
    assert services.send_digests(now=at(8, 0)) == 1


def test_the_command_sends_them(kyiv, capsys):
    from django.core.management import call_command

    call_command("send_digests")

    assert "digest e-mails sent" in capsys.readouterr().out
