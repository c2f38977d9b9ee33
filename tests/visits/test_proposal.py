"""Mist's programme proposal: local organizations per member, with reasons."""

import pytest

from matching.models import MatchProfile
from tests.factories import OrganizationFactory, TagFactory
from visits.proposal import propose_programme


@pytest.fixture
def robotics(db):
    return TagFactory(slug="robotics", name_uk="Робототехніка", name_en="Robotics")


def test_each_member_gets_local_organizations_with_reasons(visit, member, robotics):
    visit.tags.add(robotics)
    local = OrganizationFactory(name_uk="Харків Роботикс", country="UA")
    local.tags.add(robotics)
    abroad = OrganizationFactory(name_uk="Каліфорнія Роботикс", country="US")
    abroad.tags.add(robotics)
    OrganizationFactory(name_uk="Без спільного", country="UA")

    proposal = propose_programme(visit)

    [(person, recommendations)] = proposal.members
    assert person == member
    assert [r.obj for r in recommendations] == [local]
    assert any(
        "Robotics" in reason or "Робототехніка" in reason
        for reason in recommendations[0].reasons
    )


def test_a_members_own_profile_adds_to_the_visits_interests(visit, member, robotics):
    energy = TagFactory(slug="energy", name_uk="Енергетика", name_en="Energy")
    visit.tags.add(robotics)
    profile = MatchProfile.objects.create(user=member)
    profile.tags.add(energy)
    energetic = OrganizationFactory(country="UA")
    energetic.tags.add(energy)

    proposal = propose_programme(visit)

    [(_person, recommendations)] = proposal.members
    assert energetic in [r.obj for r in recommendations]


def test_sites_are_research_and_education_fitting_the_visit(visit, member, robotics):
    visit.tags.add(robotics)
    university = OrganizationFactory(kind="education", country="UA")
    university.tags.add(robotics)
    company = OrganizationFactory(kind="it_company", country="UA")
    company.tags.add(robotics)

    proposal = propose_programme(visit)

    assert [r.obj for r in proposal.sites] == [university]
