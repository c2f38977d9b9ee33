import datetime as dt

import factory
from django.conf import settings
from django.utils import timezone

from accounts.models import Role
from tests.factories import OrganizationFactory, UserFactory
from visits.models import ProgrammeItem, Visit, VisitInvitation, VisitMember


def site_time(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """`hour:minute` on `day` in the deployment's zone."""
    import zoneinfo

    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    organization = factory.SubFactory(
        OrganizationFactory, country="US", kind="foreign_partner"
    )
    title_uk = factory.Sequence(lambda n: f"Візит делегації {n}")
    title_en = factory.Sequence(lambda n: f"Delegation visit {n}")
    starts_on = factory.LazyFunction(
        lambda: timezone.localdate() + dt.timedelta(days=10)
    )
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=2))
    cities = "Kharkiv"
    host = factory.SubFactory(UserFactory, role=Role.STAFF)
    status = Visit.Status.PLANNED


class VisitMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitMember

    visit = factory.SubFactory(VisitFactory)
    user = factory.SubFactory(UserFactory, role=Role.INVESTOR)


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    visit = factory.SubFactory(VisitFactory)
    kind = ProgrammeItem.Kind.COMPANY_VISIT
    title_uk = factory.Sequence(lambda n: f"Пункт {n}")
    title_en = factory.Sequence(lambda n: f"Item {n}")
    starts_at = factory.LazyAttribute(lambda o: site_time(o.visit.starts_on, 10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1))


class VisitInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitInvitation

    visit = factory.SubFactory(VisitFactory)
    organization = factory.SubFactory(OrganizationFactory)
    starts_at = factory.LazyAttribute(lambda o: site_time(o.visit.starts_on, 14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1))
