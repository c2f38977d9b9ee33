import datetime
import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from events import services
from events.models import Event, Registration
from events.queries import waitlist_position
from tests.events.factories import EventFactory, RegistrationFactory, in_days
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_register_confirms_until_capacity_then_waitlists(event):
    people = UserFactory.create_batch(4)

    registrations = [services.register(event, person) for person in people]

    assert [r.status for r in registrations] == [
        Registration.Status.CONFIRMED,
        Registration.Status.CONFIRMED,
        Registration.Status.WAITLISTED,
        Registration.Status.WAITLISTED,
    ]
    assert [waitlist_position(r) for r in registrations] == [None, None, 1, 2]


def test_register_twice_returns_the_same_registration(event):
    person = UserFactory()

    first = services.register(event, person)
    second = services.register(event, person)

    assert first.pk == second.pk
    assert event.registrations.count() == 1


def test_cancelling_a_place_moves_the_first_waitlisted_up_and_mails_them(
    event, django_capture_on_commit_callbacks
):
    first, second, waiting, last = UserFactory.create_batch(4)
    waiting.preferred_language = "en"
    waiting.save()
    places = [services.register(event, p) for p in (first, second, waiting, last)]

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(places[0], by=first)

    statuses = {r.user_id: r.status for r in Registration.objects.filter(event=event)}
    assert statuses == {
        first.pk: Registration.Status.CANCELLED,
        second.pk: Registration.Status.CONFIRMED,
        waiting.pk: Registration.Status.CONFIRMED,
        last.pk: Registration.Status.WAITLISTED,
    }
    promoted = Registration.objects.get(user=waiting)
    assert promoted.promoted_at is not None
    assert waitlist_position(Registration.objects.get(user=last)) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [waiting.email]
    assert mail.outbox[0].subject == f"You have a place at {event.title_en}"


def test_cancelling_a_waitlist_place_promotes_nobody(
    event, django_capture_on_commit_callbacks
):
    people = UserFactory.create_batch(3)
    places = [services.register(event, p) for p in people]

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(places[2], by=people[2])

    assert event.registrations.filter(status="confirmed").count() == 2
    assert mail.outbox == []


def test_coming_back_after_cancelling_joins_the_end_of_the_waitlist(event):
    a, b, c, d = UserFactory.create_batch(4)
    for person in (a, b, c):
        services.register(event, person)
    services.cancel_registration(Registration.objects.get(user=c), by=c)
    services.register(event, d)

    again = services.register(event, c)

    assert again.status == Registration.Status.WAITLISTED
    assert waitlist_position(again) == 2


def test_more_capacity_moves_waitlisted_up_and_raises_sequence(
    event, editor, django_capture_on_commit_callbacks
):
    people = UserFactory.create_batch(4)
    for person in people:
        services.register(event, person)

    with django_capture_on_commit_callbacks(execute=True):
        updated = services.update_event(event, by=editor, capacity=3)

    assert updated.sequence == 1
    assert event.registrations.filter(status="confirmed").count() == 3
    assert [m.to for m in mail.outbox] == [[people[2].email]]


def test_unlimited_capacity_never_waitlists(organization):
    event = EventFactory(organizer=organization, capacity=None)

    statuses = {services.register(event, p).status for p in UserFactory.create_batch(5)}

    assert statuses == {Registration.Status.CONFIRMED}


def test_register_refuses_drafts_and_past_events(organization):
    draft = EventFactory(organizer=organization, status=Event.Status.DRAFT)
    past = EventFactory(
        organizer=organization, starts_at=in_days(-3), ends_at=in_days(-3, hour=18)
    )

    for event in (draft, past):
        with pytest.raises(PermissionDenied):
            services.register(event, UserFactory())


def test_cancel_event_mails_everyone_registered_in_their_language(
    event, editor, django_capture_on_commit_callbacks
):
    uk_person = UserFactory(preferred_language="uk")
    en_person = UserFactory(preferred_language="en")
    gone = UserFactory()
    services.register(event, uk_person)
    services.register(event, en_person)
    services.register(event, gone)  # waitlisted: told too
    RegistrationFactory(event=event, status=Registration.Status.CANCELLED)

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.cancel_event(event, by=editor)

    assert cancelled.status == Event.Status.CANCELLED
    assert cancelled.sequence == 1
    # The title in the reader's language (the words around it come from the
    # catalogue).
    titles = {m.to[0]: m.subject.split(": ", 1)[1] for m in mail.outbox}
    assert titles == {
        uk_person.email: event.title_uk,
        en_person.email: event.title_en,
        gone.email: event.title_uk,
    }
    english = next(m for m in mail.outbox if m.to == [en_person.email])
    assert english.subject == f"Cancelled: {event.title_en}"


def test_only_staff_and_organizer_editors_run_events(event, staff):
    outsider = UserFactory(role=Role.EDITOR)
    MembershipFactory(user=outsider)  # edits another organization

    with pytest.raises(PermissionDenied):
        services.cancel_event(event, by=outsider)
    with pytest.raises(PermissionDenied):
        services.update_event(event, by=outsider, title_en="Mine")
    with pytest.raises(PermissionDenied):
        services.create_event(by=outsider, **event_fields(event.organizer))
    services.update_event(event, by=staff, title_en="Renamed")


def event_fields(organizer) -> dict:
    return {
        "kind": Event.Kind.HACKATHON,
        "title_uk": "Хакатон міста",
        "title_en": "City hackathon",
        "starts_at": in_days(20),
        "ends_at": in_days(21),
        "time_zone": "Europe/Kyiv",
        "organizer": organizer,
        "capacity": 50,
    }


def test_create_and_publish_event(editor, organization):
    event = services.create_event(by=editor, **event_fields(organization))

    assert event.status == Event.Status.DRAFT
    assert event.slug == "city-hackathon"
    published = services.publish_event(event, by=editor)
    assert published.status == Event.Status.PUBLISHED


def test_reminders_go_once_to_confirmed_people_24_hours_ahead(
    organization, django_capture_on_commit_callbacks
):
    soon = EventFactory(
        organizer=organization,
        starts_at=timezone.now() + datetime.timedelta(hours=20),
        ends_at=timezone.now() + datetime.timedelta(hours=26),
        capacity=1,
    )
    later = EventFactory(organizer=organization, starts_at=in_days(5))
    confirmed = services.register(soon, UserFactory(preferred_language="en"))
    services.register(soon, UserFactory())  # waitlisted: no reminder
    services.register(later, UserFactory())

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", stdout=StringIO())
        again = services.send_due_reminders()

    assert again == 0
    assert [m.to for m in mail.outbox] == [[confirmed.user.email]]
    assert mail.outbox[0].subject == f"Tomorrow: {soon.title_en}"
    assert "Kyiv time" in mail.outbox[0].body
    confirmed.refresh_from_db()
    assert confirmed.reminded_at is not None


def test_regenerating_the_calendar_token_replaces_it():
    user = UserFactory()
    old = services.calendar_token_of(user).token

    new = services.regenerate_calendar_token(user).token

    assert new != old
    assert services.calendar_token_of(user).token == new


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_exceed_capacity():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serializes writers")
    event = EventFactory(organizer=OrganizationFactory(), capacity=3)
    people = UserFactory.create_batch(8)
    barrier = threading.Barrier(len(people))
    errors = []

    def join(person):
        from django.db import connections

        try:
            barrier.wait()
            services.register(Event.objects.get(pk=event.pk), person)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=join, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    statuses = list(event.registrations.values_list("status", flat=True))
    assert statuses.count(Registration.Status.CONFIRMED) == 3
    assert statuses.count(Registration.Status.WAITLISTED) == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_promote_each_waitlisted_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serializes writers")
    event = EventFactory(organizer=OrganizationFactory(), capacity=3)
    people = UserFactory.create_batch(6)
    places = [services.register(event, p) for p in people]
    barrier = threading.Barrier(3)
    errors = []

    def leave(registration):
        from django.db import connections

        try:
            barrier.wait()
            services.cancel_registration(registration, by=registration.user)
        except Exception as error:  # pragma: no cover
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=leave, args=(r,)) for r in places[:3]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    confirmed = set(
        event.registrations.filter(status="confirmed").values_list("user", flat=True)
    )
    assert confirmed == {p.pk for p in people[3:]}
    assert len(mail.outbox) == 3
