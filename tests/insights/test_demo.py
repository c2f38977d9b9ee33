import pytest
from django.urls import reverse
from django.utils import translation

from insights.journey import queries
from insights.journey.demo import seed_demo


@pytest.mark.django_db
def test_demo_seeds_one_journey_end_to_end_once(client):
    from directory.demo import seed_demo as seed_directory
    from exchange.demo import seed_demo as seed_exchange
    from investments.demo import seed_demo as seed_investments
    from reviews.demo import seed_demo as seed_reviews

    seed_directory()
    seed_exchange()
    seed_reviews()
    seed_investments()

    first = seed_demo()
    second = seed_demo()

    assert first.startswith("journey: «Smart City pilots 2026»")
    assert second == "journey: already there"
    initiative = queries.initiatives().get()
    assert initiative.meetings_held == 2
    assert initiative.became_project is True
    journey = queries.journey_of(initiative.pk)
    assert journey.reviews_done == 2
    assert [p.code for p in journey.projects] == ["KH-SC-2026-J01"]
    assert journey.projects[0].funding_sources.get().interest.meetings.count() == 1
    with translation.override("en"):
        response = client.get(
            reverse("insights:journey-detail", kwargs={"pk": initiative.pk})
        )
    assert "Air-quality sensors near schools" in response.content.decode()
