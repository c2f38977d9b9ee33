import datetime

import factory
from django.utils import timezone

from events.models import Event, Registration
from tests.factories import OrganizationFactory, UserFactory


def in_days(days: float, hour: int = 10) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    kind = Event.Kind.MEETUP
    title_uk = factory.Sequence(lambda n: f"Зустріч {n}")
    title_en = factory.Sequence(lambda n: f"Meetup {n}")
    description_uk = "Розмова про технології."
    description_en = "A talk about technology."
    starts_at = factory.LazyFunction(lambda: in_days(10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=8))
    time_zone = "Europe/Kyiv"
    venue_uk = "Харків, вул. Сумська, 1"
    venue_en = "1 Sumska St, Kharkiv"
    organizer = factory.SubFactory(OrganizationFactory)
    status = Event.Status.PUBLISHED
    is_public = True


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    status = Registration.Status.CONFIRMED
