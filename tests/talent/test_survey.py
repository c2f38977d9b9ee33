import pytest

from talent import aggregates, survey
from talent.models import SpecialistProfile

pytestmark = pytest.mark.django_db

FILE = (
    b"answer_id;intent;timeframe;country_now;seniority;skills;conditions\n"
    b"a-1;return;6m;pl;senior;cloud;shelter|housing\n"
    b"a-2;remote;3m;DE;middle;;hybrid\n"
    b"a-3;fly away;;;;nonsense-tag;\n"
    b"a-1;return;6m;PL;senior;cloud;shelter\n"
)


def test_dry_run_reports_each_row_and_writes_nothing():
    report = survey.check_survey(FILE, "answers.csv")

    assert [row.action for row in report.rows] == ["create", "create"]
    assert sorted((e.row, e.column) for e in report.errors) == [
        (4, "intent"),
        (4, "skills"),
        (5, "answer_id"),
    ]
    assert not SpecialistProfile.objects.exists()


def test_import_creates_aggregate_only_records_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = survey.import_survey(FILE, "answers.csv")
    second = survey.import_survey(FILE, "answers.csv")

    assert first.created == 2
    assert second.created == 0
    assert second.unchanged == 2
    records = SpecialistProfile.objects.order_by("survey_key")
    assert [(p.survey_key, p.user_id, p.visibility) for p in records] == [
        ("a-1", None, "aggregate"),
        ("a-2", None, "aggregate"),
    ]
    assert records[0].country_now == "PL"
    assert aggregates.counts()["total"] == 2


def test_unreadable_file_is_one_clear_error():
    report = survey.check_survey(b"intent\nreturn\n", "answers.csv")

    assert "answer_id" in report.file_error
