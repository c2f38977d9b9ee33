"""The notification centre: own notifications only, read marks, preferences, bell."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse as reverse_uk
from django.utils import translation

from notifications import queries
from notifications.models import Notification, Preference
from tests.factories import UserFactory
from tests.notifications.factories import NotificationFactory


def reverse(name, *args, **kwargs):
    """The English page: the tests read its English text."""
    with translation.override("en"):
        return reverse_uk(name, *args, **kwargs)


@pytest.fixture
def person(db):
    return UserFactory(preferred_language="en")


def test_the_list_shows_only_my_notifications_newest_first(client, person):
    older = NotificationFactory(user=person, title="Older")
    newer = NotificationFactory(user=person, title="Newer")
    NotificationFactory(title="Someone else's")
    client.force_login(person)

    response = client.get(reverse("notifications:notification-list"))

    assert list(response.context["notifications"]) == [newer, older]
    assert "Someone else" not in response.text
    open_url = reverse("notifications:notification-open", args=[newer.pk])
    assert f'href="{open_url}"' in response.text
    assert "Mark all read" in response.text


def test_the_list_is_paginated(client, person):
    Notification.objects.bulk_create(
        Notification(user=person, kind="event", title=f"N{i}") for i in range(25)
    )
    client.force_login(person)

    second = client.get(reverse("notifications:notification-list") + "?page=2")

    assert len(second.context["notifications"]) == 5


def test_empty_state(client, person):
    client.force_login(person)

    response = client.get(reverse("notifications:notification-list"))

    assert "No notifications yet" in response.text
    assert "Mark all read" not in response.text


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count(client, person, count, django_assert_num_queries):
    NotificationFactory.create_batch(count, user=person)
    client.force_login(person)
    client.get(reverse("notifications:notification-list"))

    # session, user, page count, page rows
    with django_assert_num_queries(4):
        response = client.get(reverse("notifications:notification-list"))

    assert len(response.context["notifications"]) == count


def test_opening_marks_read_and_follows_the_link(client, person, settings):
    settings.SITE_URL = "https://mist.example.org"
    notification = NotificationFactory(
        user=person, link="https://mist.example.org/en/events/mine/"
    )
    client.force_login(person)

    response = client.get(
        reverse("notifications:notification-open", args=[notification.pk])
    )

    assert response.url == "/en/events/mine/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_foreign_link_is_not_followed(client, person):
    notification = NotificationFactory(user=person, link="https://evil.example/x")
    client.force_login(person)

    response = client.get(
        reverse("notifications:notification-open", args=[notification.pk])
    )

    assert response.url == reverse("notifications:notification-list")


def test_someone_elses_notification_is_not_found(client, person):
    other = NotificationFactory()
    client.force_login(person)

    response = client.get(reverse("notifications:notification-open", args=[other.pk]))

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_all_read_touches_only_mine(client, person):
    NotificationFactory.create_batch(2, user=person)
    theirs = NotificationFactory()
    client.force_login(person)

    client.post(reverse("notifications:mark-all-read"))

    assert queries.unread_count(person) == 0
    assert queries.unread_count(theirs.user) == 1


def test_preferences_are_saved(client, person):
    client.force_login(person)
    data = dict.fromkeys(queries.channels_of(person), "email")
    data.update(event="digest", meeting="off")

    response = client.post(reverse("notifications:preferences"), data)

    assert response.status_code == 302
    assert queries.channels_of(person)["event"] == "digest"
    assert queries.channels_of(person)["meeting"] == "off"


def test_preferences_with_a_missing_choice_show_an_error_and_save_nothing(
    client, person
):
    client.force_login(person)

    response = client.post(reverse("notifications:preferences"), {"event": "off"})

    assert response.status_code == 200
    assert "Choose how to hear about this." in response.text
    assert not Preference.objects.exists()


def test_unread_count_is_one_query(person, django_assert_num_queries):
    NotificationFactory.create_batch(3, user=person)
    NotificationFactory(user=person, read_at="2026-01-01T00:00Z")

    with django_assert_num_queries(1):
        assert queries.unread_count(person) == 3


def test_unread_count_uses_the_partial_index(person):
    NotificationFactory.create_batch(3, user=person)
    # As .count() runs it: no ORDER BY.
    unread = Notification.objects.filter(user=person, read_at__isnull=True).order_by()

    plan = unread.explain()

    if connection.vendor == "sqlite":
        assert "notification_user_unread" in plan
    else:  # a tiny table may be scanned; the index must at least exist
        with connection.cursor() as cursor:
            names = connection.introspection.get_constraints(
                cursor, Notification._meta.db_table
            )
        assert "notification_user_unread" in names


def test_the_bell_shows_the_unread_count(client, person):
    NotificationFactory.create_batch(2, user=person)
    client.force_login(person)

    response = client.get(reverse("notifications:bell"))

    assert '<span class="badge rounded-pill text-bg-danger">2' in response.text
    assert "hx-get" not in response.text
    assert "no-cache" in response["Cache-Control"]


def test_pages_load_the_bell_after_themselves_at_no_cost(client, person):
    NotificationFactory(user=person)
    client.force_login(person)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("events:event-list"))

    assert f'hx-get="{reverse("notifications:bell")}"' in response.text
    assert not any("notifications_notification" in q["sql"] for q in captured)


def test_anonymous_pages_have_no_bell(client, db):
    response = client.get(reverse("events:event-list"))

    assert reverse("notifications:bell") not in response.text


def test_the_bell_of_an_expired_session_is_the_bare_link(client, db):
    response = client.get(reverse("notifications:bell"))

    assert response.status_code == 200
    assert "badge" not in response.text


def test_the_bell_stops_counting_at_a_hundred(client, person):
    Notification.objects.bulk_create(
        Notification(user=person, kind="event", title=f"N{i}") for i in range(101)
    )
    client.force_login(person)

    response = client.get(reverse("notifications:bell"))

    assert queries.unread_count(person) == 100
    assert '<span class="badge rounded-pill text-bg-danger">99+' in response.text
