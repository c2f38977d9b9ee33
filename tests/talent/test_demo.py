import pytest

from directory.demo import seed_demo as seed_directory
from talent import matches
from talent.demo import seed_demo
from talent.models import PlanStep, Role, SpecialistProfile


@pytest.mark.django_db
def test_demo_data_is_created_once_and_matches():
    seed_directory()

    first = seed_demo()
    second = seed_demo()

    assert Role.objects.published().count() == 3
    assert SpecialistProfile.objects.count() == 3
    assert PlanStep.objects.count() == 5
    assert first == "talent: 3 roles, 3 specialist profiles"
    assert second == "talent: 0 roles, 0 specialist profiles"
    krakow = SpecialistProfile.objects.get(user__email="specialist.krakow@mist.local")
    assert matches.roles_for(krakow)[0].obj.title_en == "Python backend developer"
