import pytest

from directory.demo import seed_demo as seed_directory
from matching.demo import seed_demo
from matching.models import MatchProfile, NeedOffer


@pytest.mark.django_db
def test_demo_data_is_created_once():
    seed_directory()

    first = seed_demo()
    second = seed_demo()

    assert NeedOffer.objects.filter(status="published").count() == 20
    assert (
        MatchProfile.objects.filter(
            user__email__in=["investor@mist.local", "reviewer@mist.local"]
        ).count()
        == 2
    )
    assert "20 needs and offers" in first
    assert "0 needs and offers, 0 match profiles" in second
