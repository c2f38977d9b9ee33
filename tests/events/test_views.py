import csv
import datetime
import io
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from events import services
from events.models import Event, Registration
from tests.events.factories import EventFactory, RegistrationFactory, in_days
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_event_page_shows_times_in_event_zone_and_viewer_zone(client, organization):
    event = EventFactory(
        organizer=organization,
        starts_at=datetime.datetime(2027, 5, 12, 7, tzinfo=datetime.UTC),  # 10:00 Kyiv
        ends_at=datetime.datetime(2027, 5, 12, 15, tzinfo=datetime.UTC),
    )
    viewer = UserFactory(time_zone="America/Denver")
    client.force_login(viewer)

    with translation.override("en"):
        url = reverse("events:event-detail", args=[event.slug])

    response = client.get(url)

    text = response.content.decode()
    assert "10:00–18:00 Kyiv time" in text
    assert "(01:00–09:00 in Albuquerque, your time)" in text


def test_event_page_shows_one_zone_when_viewer_is_in_it(client, event):
    with translation.override("en"):
        url = reverse("events:event-detail", args=[event.slug])

    response = client.get(url)

    when = re.search(r"data-event-when[^>]*>([^<]*)</dd>", response.content.decode())
    assert "Kyiv time" in when.group(1)
    assert "your time" not in when.group(1)
    assert response.context["can_register"] is False  # anonymous


def test_register_and_cancel_through_the_pages(client, event):
    person = UserFactory()
    client.force_login(person)

    client.post(reverse("events:event-register", args=[event.slug]))
    page = client.get(reverse("events:event-detail", args=[event.slug]))
    confirm = client.get(reverse("events:registration-cancel", args=[event.slug]))
    client.post(reverse("events:registration-cancel", args=[event.slug]))

    assert page.context["registration"].status == Registration.Status.CONFIRMED
    assert confirm.context["registration"].status == Registration.Status.CONFIRMED
    assert Registration.objects.get(user=person).status == Registration.Status.CANCELLED


def test_full_event_shows_waitlist_position(client, event):
    RegistrationFactory.create_batch(2, event=event)
    RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    person = UserFactory()
    client.force_login(person)

    client.post(reverse("events:event-register", args=[event.slug]))
    page = client.get(reverse("events:event-detail", args=[event.slug]))

    assert page.context["registration"].status == Registration.Status.WAITLISTED
    assert page.context["waitlist_position"] == 2


def test_drafts_and_private_events_stay_hidden(client, organization):
    draft = EventFactory(organizer=organization, status=Event.Status.DRAFT)
    private = EventFactory(organizer=organization, is_public=False)
    stranger = UserFactory()
    client.force_login(stranger)

    listing = client.get(reverse("events:event-list"))
    month = client.get(
        reverse(
            "events:event-month",
            args=[draft.starts_at.year, draft.starts_at.month],
        )
    )
    feed = client.get(reverse("events:feed"))

    for event in (draft, private):
        assert client.get(event.get_absolute_url()).status_code == 404
        assert (
            client.get(reverse("events:event-ics", args=[event.slug])).status_code
            == 404
        )
        assert event.title_uk not in listing.content.decode()
        assert event.title_uk not in month.content.decode()
        assert event.title_uk.encode() not in feed.content


def test_organizer_editor_sees_own_draft(client, organization, editor):
    draft = EventFactory(organizer=organization, status=Event.Status.DRAFT)
    client.force_login(editor)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert response.context["can_publish"] is True


def test_list_filters_by_kind_search_and_past(client, organization):
    hackathon = EventFactory(
        organizer=organization, kind=Event.Kind.HACKATHON, title_en="Civic hack"
    )
    meetup = EventFactory(organizer=organization, title_en="Python meetup")
    past = EventFactory(
        organizer=organization, starts_at=in_days(-30), ends_at=in_days(-30, hour=18)
    )
    url = reverse("events:event-list")

    by_kind = client.get(url, {"kind": "hackathon"})
    by_word = client.get(url, {"q": "python"})
    earlier = client.get(url, {"when": "past"})

    assert list(by_kind.context["events"]) == [hackathon]
    assert list(by_word.context["events"]) == [meetup]
    assert list(earlier.context["events"]) == [past]


def test_list_htmx_returns_only_results(client, event):
    response = client.get(reverse("events:event-list"), HTTP_HX_REQUEST="true")

    text = response.content.decode()
    assert text.lstrip().startswith('<section id="results"')
    assert event.title_uk in text


def test_month_view_places_events_on_their_days_in_the_viewer_zone(
    client, organization
):
    # 23:30 UTC on 31 May is 1 June in Kyiv (and 17:30 on 31 May in Denver).
    event = EventFactory(
        organizer=organization,
        starts_at=datetime.datetime(2027, 5, 31, 23, 30, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2027, 6, 1, 1, tzinfo=datetime.UTC),
    )

    june = client.get(reverse("events:event-month", args=[2027, 6]))
    client.force_login(UserFactory(time_zone="America/Denver"))
    may_denver = client.get(reverse("events:event-month", args=[2027, 5]))

    day = next(
        d
        for w in june.context["weeks"]
        for d in w
        if d.date == datetime.date(2027, 6, 1)
    )
    assert day.events == [event]
    day = next(
        d
        for w in may_denver.context["weeks"]
        for d in w
        if d.date == datetime.date(2027, 5, 31)
    )
    assert day.events == [event]


@pytest.mark.parametrize("count", [1, 4])
def test_event_list_query_count(
    client, organization, count, django_assert_max_num_queries
):
    EventFactory.create_batch(count, organizer=organization)
    client.force_login(UserFactory())

    with django_assert_max_num_queries(8):
        response = client.get(reverse("events:event-list"))

    assert len(response.context["events"]) == count


@pytest.mark.parametrize("count", [1, 4])
def test_month_query_count(client, organization, count, django_assert_max_num_queries):
    now = timezone.now().astimezone(zoneinfo.ZoneInfo("Europe/Kyiv"))
    start = now.replace(day=15, hour=10, minute=0, second=0, microsecond=0)
    for _n in range(count):
        EventFactory(
            organizer=organization,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
        )

    with django_assert_max_num_queries(6):
        response = client.get(reverse("events:event-month"))

    assert len(response.context["events"]) == count


@pytest.mark.parametrize("count", [1, 4])
def test_my_events_query_count(
    client, organization, count, django_assert_max_num_queries
):
    person = UserFactory()
    for event in EventFactory.create_batch(count, organizer=organization):
        RegistrationFactory(event=event, user=person)
    client.force_login(person)

    with django_assert_max_num_queries(9):
        response = client.get(reverse("events:my-events"))

    assert len(response.context["registrations"]) == count


@pytest.mark.parametrize("count", [1, 4])
def test_participants_query_count(
    client, event, editor, count, django_assert_max_num_queries
):
    RegistrationFactory.create_batch(count, event=event)
    client.force_login(editor)

    with django_assert_max_num_queries(9):
        response = client.get(reverse("events:event-participants", args=[event.slug]))

    assert len(response.context["participants"]) == count


def test_participants_csv_for_organizer_only(client, event, editor):
    person = UserFactory(full_name="Olena Koval", email="olena@example.org")
    RegistrationFactory(event=event, user=person)
    outsider = UserFactory(role=Role.EDITOR)
    MembershipFactory(user=outsider)

    client.force_login(outsider)
    forbidden = client.get(reverse("events:event-participants-csv", args=[event.slug]))
    client.force_login(editor)
    response = client.get(reverse("events:event-participants-csv", args=[event.slug]))

    assert forbidden.status_code == 403
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[1][:2] == ["Olena Koval", "olena@example.org"]
    assert len(rows) == 2


def test_create_event_reads_times_in_the_event_zone(client, organization, editor):
    client.force_login(editor)
    data = {
        "kind": Event.Kind.DELEGATION_VISIT,
        "organizer": organization.pk,
        "title_uk": "Візит делегації з Альбукерке",
        "title_en": "Albuquerque delegation visit",
        "time_zone": "America/Denver",
        "starts_at": "2027-03-10T09:00",
        "ends_at": "2027-03-10T17:00",
        "venue_en": "Albuquerque Convention Center",
        "capacity": "30",
        "is_public": "on",
    }

    response = client.post(reverse("events:event-create"), data)

    event = Event.objects.get(slug="albuquerque-delegation-visit")
    assert response.status_code == 302
    # 9:00 MST (before the US change on 14 March) is 16:00 UTC.
    assert event.starts_at == datetime.datetime(2027, 3, 10, 16, tzinfo=datetime.UTC)
    assert event.status == Event.Status.DRAFT


def test_create_event_form_keeps_input_and_shows_errors(client, organization, editor):
    client.force_login(editor)

    response = client.post(
        reverse("events:event-create"),
        {
            "kind": "meetup",
            "organizer": organization.pk,
            "title_uk": "Зустріч",
            "time_zone": "Europe/Kyiv",
            "starts_at": "2027-03-10T18:00",
            "ends_at": "2027-03-10T09:00",
        },
    )

    assert response.status_code == 200
    assert "ends_at" in response.context["form"].errors
    assert "venue_uk" in response.context["form"].errors
    assert 'value="Зустріч"' in response.content.decode()


def test_cancel_event_asks_first(client, event, editor):
    RegistrationFactory(event=event)
    client.force_login(editor)

    confirm = client.get(reverse("events:event-cancel", args=[event.slug]))
    client.post(reverse("events:event-cancel", args=[event.slug]))

    assert confirm.context["registered"] == 1
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED


def test_edit_event_raises_sequence(client, event, editor):
    starts_at = event.starts_at
    client.force_login(editor)
    form = client.get(reverse("events:event-edit", args=[event.slug])).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v not in (None, False)}
    data["starts_at"] = form["starts_at"].value().strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = form["ends_at"].value().strftime("%Y-%m-%dT%H:%M")
    data["title_en"] = "Renamed meetup"
    data["is_public"] = "on"

    response = client.post(reverse("events:event-edit", args=[event.slug]), data)

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title_en, event.sequence) == ("Renamed meetup", 1)
    assert event.starts_at == starts_at


def test_personal_feed_needs_the_right_token(client, event):
    person = UserFactory()
    services.register(event, person)
    token = services.calendar_token_of(person).token

    good = client.get(reverse("events:personal-feed", args=[token]))
    services.regenerate_calendar_token(person)
    old = client.get(reverse("events:personal-feed", args=[token]))

    assert good.status_code == 200
    assert event.title_uk.encode() in good.content
    assert old.status_code == 404


def test_participants_xlsx_has_times_as_times_in_the_event_zone(client, event, editor):
    import openpyxl

    registration = RegistrationFactory(event=event)
    client.force_login(editor)

    url = reverse("events:event-participants-csv", args=[event.slug])
    response = client.get(url, {"format": "xlsx"})
    semicolons = client.get(url, {"format": "csv-excel"}).getvalue()

    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    registered = sheet["E2"]
    expected = registration.created_at.astimezone(event.zone).replace(tzinfo=None)
    assert abs(registered.value - expected) < datetime.timedelta(seconds=1)
    assert registered.number_format == "yyyy-mm-dd hh:mm"
    assert semicolons.decode("utf-8-sig").count(";") >= 5
    assert client.get(url, {"format": "pdf"}).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_event_page_query_count(
    client, organization, count, django_assert_num_queries, rendered_pages
):
    """The event with its counts is one query; the city's address for the JSON-LD
    is read once and then cached."""
    event = EventFactory(organizer=organization, capacity=count + 5)
    RegistrationFactory.create_batch(count, event=event)
    RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    client.get(event.get_absolute_url())  # the city's address, once

    with django_assert_num_queries(1):
        response = client.get(event.get_absolute_url())

    assert response.context["confirmed"] == count
    assert response.context["waitlist_count"] == 1
    assert response.context["places_left"] == 5
