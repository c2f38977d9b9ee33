import pytest

from meetings.demo import seed_demo
from meetings.models import B2BSession, Meeting


@pytest.mark.django_db
def test_demo_seeds_a_scheduled_session_once():
    from directory.demo import seed_demo as seed_directory
    from events.demo import seed_demo as seed_events

    seed_directory()
    seed_events()

    first = seed_demo()
    second = seed_demo()

    assert "4 meetings scheduled" in first
    assert "already there" in second
    assert B2BSession.objects.count() == 1
    assert Meeting.objects.count() == 4
