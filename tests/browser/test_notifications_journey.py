"""A person's notifications: the bell fills in after the page, the centre lists them,
opening one marks it read, preferences save, and an e-mail's unsubscribe link works
signed out."""

import pytest
from playwright.sync_api import expect

from notifications import services
from notifications.models import Notification
from tests.factories import UserFactory
from tests.notifications.factories import NotificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bell_centre_preferences_and_unsubscribe(
    page, live_server, login, page_errors, screenshot, check_accessibility
):
    person = UserFactory(email="olena@example.org", preferred_language="en")
    NotificationFactory(user=person, title="Older news", link="/en/events/")
    NotificationFactory(user=person, title="Your meeting is confirmed", link="/en/")
    login(person.email)

    page.goto(f"{live_server.url}/en/events/")
    bell = page.get_by_role("link", name="Notifications 2 unread")
    expect(bell).to_be_visible()
    bell.click()

    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    screenshot("notifications-centre")
    check_accessibility("notification centre")
    page.get_by_role("link", name="Your meeting is confirmed").click()
    expect(page.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    assert Notification.objects.filter(user=person, read_at__isnull=True).count() == 1

    page.goto(f"{live_server.url}/en/notifications/preferences/")
    page.get_by_role("group", name="Events I registered for").get_by_label(
        "Daily digest"
    ).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your notification preferences are saved.")).to_be_visible()
    screenshot("notifications-preferences")

    page.context.clear_cookies()
    token = services.unsubscribe_token(person, "event")
    page.goto(f"{live_server.url}/en/notifications/unsubscribe/{token}/")
    page.get_by_role("button", name="Yes, unsubscribe").click()
    expect(page.get_by_role("status")).to_contain_text("no longer receive e-mails")
    screenshot("notifications-unsubscribed")
    assert person.notification_preferences.get(kind="event").channel == "in_app"
    assert page_errors == []
