import datetime

import factory
from django.utils import timezone

from meetings.models import (
    B2BSession,
    Meeting,
    MeetingRequest,
    SessionParticipant,
    Slot,
    Table,
    WorkingHours,
)
from tests.events.factories import EventFactory
from tests.factories import UserFactory


class WorkingHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingHours

    user = factory.SubFactory(UserFactory)
    weekday = 0
    start = datetime.time(9)
    end = datetime.time(18)


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingRequest

    requester = factory.SubFactory(UserFactory)
    recipient = factory.SubFactory(UserFactory)
    message = "Let us talk about a pilot."
    expires_at = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(hours=72)
    )


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    request = factory.SubFactory(
        MeetingRequestFactory, status=MeetingRequest.Status.ACCEPTED
    )
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=3)).replace(
            minute=0, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(
        lambda o: o.starts_at + datetime.timedelta(minutes=30)
    )


class B2BSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = B2BSession

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"B2B session {n}")


class SessionParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionParticipant

    session = factory.SubFactory(B2BSessionFactory)
    user = factory.SubFactory(UserFactory)
    group = SessionParticipant.Group.LOCAL


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    session = factory.SubFactory(B2BSessionFactory)
    starts_at = factory.LazyFunction(timezone.now)
    ends_at = factory.LazyAttribute(
        lambda o: o.starts_at + datetime.timedelta(minutes=20)
    )


class TableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Table

    session = factory.SubFactory(B2BSessionFactory)
    name = factory.Sequence(lambda n: f"{n + 1}")
