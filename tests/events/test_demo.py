import pytest
from django.utils import timezone

from accounts.models import Role
from events.demo import DEMO_USERS, seed_demo
from events.models import Event, Registration
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_with_a_waitlisted_delegation_visit():
    OrganizationFactory()
    for email in DEMO_USERS:
        UserFactory(email=email, role=Role.EDITOR)

    first = seed_demo()
    second = seed_demo()

    assert first == "events: 8 events created, 23 registrations"
    assert second == "events: 0 events created, 0 registrations"
    visit = Event.objects.get(slug="albuquerque-delegation-visit")
    statuses = list(visit.registrations.values_list("status", flat=True))
    assert statuses.count(Registration.Status.CONFIRMED) == 4
    assert statuses.count(Registration.Status.WAITLISTED) == 2
    assert Event.objects.filter(ends_at__lt=timezone.now()).count() == 2


def test_seed_demo_skips_without_organizations():
    assert seed_demo() == "events: no organizations yet, skipped"
