import pytest

from visits.demo import seed_demo
from visits.models import Visit, VisitInvitation


@pytest.mark.django_db
def test_demo_seeds_one_silicon_valley_delegation_once():
    from directory.demo import seed_demo as seed_directory

    seed_directory()

    first = seed_demo()
    second = seed_demo()

    assert "Silicon Valley delegation of 3" in first
    assert "already there" in second
    visit = Visit.objects.get()
    assert {m.user.time_zone for m in visit.members.select_related("user")} == {
        "America/Los_Angeles"
    }
    accepted = visit.invitations.filter(status=VisitInvitation.Status.ACCEPTED)
    assert [i.item.organization for i in accepted] == [accepted[0].organization]
