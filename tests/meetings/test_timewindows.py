"""Common working-hour windows across zones and DST changes (Kyiv vs Denver)."""

import datetime as dt

import pytest

from meetings.services import set_working_hours
from meetings.timewindows import common_windows, within_common_hours

UTC = dt.UTC


def weekdays(start, end):
    return [(d, dt.time(start), dt.time(end)) for d in range(5)]


@pytest.fixture
def nine_to_six(kyiv_user, denver_user):
    set_working_hours(kyiv_user, weekdays(9, 18))
    set_working_hours(denver_user, weekdays(9, 18))
    return kyiv_user, denver_user


def test_nine_hours_apart_leaves_no_common_hour_in_winter(nine_to_six):
    kyiv, denver = nine_to_six

    windows = common_windows(kyiv, denver, 14, now=dt.datetime(2027, 1, 11, tzinfo=UTC))

    assert windows == []


def test_window_opens_while_the_us_has_switched_and_europe_has_not(nine_to_six):
    kyiv, denver = nine_to_six

    # The US springs forward on 14 March 2027, Europe on 28 March.
    windows = common_windows(kyiv, denver, 14, now=dt.datetime(2027, 3, 8, tzinfo=UTC))

    assert [(w.start, w.end) for w in windows] == [
        (
            dt.datetime(2027, 3, day, 15, tzinfo=UTC),
            dt.datetime(2027, 3, day, 16, tzinfo=UTC),
        )
        for day in (15, 16, 17, 18, 19)
    ]


def test_overlap_is_longer_for_the_weeks_between_the_changes(kyiv_user, denver_user):
    set_working_hours(kyiv_user, weekdays(9, 19))
    set_working_hours(denver_user, weekdays(8, 17))

    def hours_on(day):
        start = dt.datetime(2027, 3, day, tzinfo=UTC)
        return sum(
            w.minutes for w in common_windows(kyiv_user, denver_user, 1, now=start)
        )

    # Mon 8 March: both on winter time; Mon 15: US summer time; Mon 29: both summer.
    assert [hours_on(8) / 60, hours_on(15) / 60, hours_on(29) / 60] == [2, 3, 2]


def test_autumn_gap_between_europe_and_us_changes(nine_to_six):
    kyiv, denver = nine_to_six

    # Europe falls back on 31 October 2027, the US on 7 November.
    windows = common_windows(kyiv, denver, 7, now=dt.datetime(2027, 11, 1, tzinfo=UTC))

    assert [w.start.day for w in windows] == [1, 2, 3, 4, 5]
    assert all(w.minutes == 60 for w in windows)


def test_within_common_hours_checks_both_people(nine_to_six):
    kyiv, denver = nine_to_six
    inside = dt.datetime(2027, 3, 16, 15, 15, tzinfo=UTC)
    outside = dt.datetime(2027, 3, 16, 12, tzinfo=UTC)

    assert within_common_hours(kyiv, denver, inside, inside + dt.timedelta(minutes=30))
    assert not within_common_hours(
        kyiv, denver, outside, outside + dt.timedelta(minutes=30)
    )


def test_people_without_stated_hours_get_weekday_office_hours(kyiv_user, db):
    from tests.factories import UserFactory

    colleague = UserFactory(time_zone="Europe/Kyiv")

    windows = common_windows(
        kyiv_user, colleague, 1, now=dt.datetime(2027, 1, 11, tzinfo=UTC)
    )

    assert [(w.start.hour, w.end.hour) for w in windows] == [(7, 16)]
