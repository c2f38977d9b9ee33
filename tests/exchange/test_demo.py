import pytest

from directory.demo import seed_demo as seed_directory
from exchange.demo import CALL_SLUG, seed_demo
from exchange.models import Call, Submission

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent():
    seed_directory()

    first = seed_demo()
    second = seed_demo()

    call = Call.objects.get(slug=CALL_SLUG)
    assert first == "exchange: 1 call, 5 criteria, 8 submissions"
    assert second == "exchange: demo call already present"
    assert call.organizer.name_en == "Albuquerque–Kharkiv Sister City Committee"
    assert call.criteria.count() == 5
    submissions = list(call.submissions.all())
    assert len(submissions) == 8
    assert {s.organization.country.code for s in submissions} == {"UA"}
    assert sum(s.status == Submission.Status.SUBMITTED for s in submissions) == 6
    assert any(s.languages() == {"uk"} for s in submissions)
    assert any(s.languages() == {"uk", "en"} for s in submissions)
