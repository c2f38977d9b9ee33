import pytest

from tests.events.factories import EventFactory


@pytest.fixture
def event(organization):
    """A published public event of `organization`, ten days ahead, two places."""
    return EventFactory(organizer=organization, capacity=2)
