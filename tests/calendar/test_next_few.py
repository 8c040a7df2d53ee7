"""The next few upcoming meetings (the archive's and a committee page's list) are the first few of
the whole upcoming list, though only the days they fall on are read."""

import datetime as dt

import pytest

from meetings.models import Meeting
from meetings.occurrences import upcoming
from tests.factories import MeetingFactory, MeetingSeriesFactory

from .conftest import WINDOW, ny, utc

pytestmark = pytest.mark.django_db


def shown(items):
    return [(o.start, o.title, o.is_cancelled, o.meeting and o.meeting.pk) for o in items]


def test_the_next_few_are_the_first_of_the_whole_list_all_through_the_scenario(scenario):
    now, end = WINDOW
    weekly = MeetingSeriesFactory(
        committee=scenario["committee"],
        title="Weekly sync",
        interval_weeks=1,
        weekday=0,
        start_time=dt.time(9),
        first_date=dt.date(2026, 1, 5),
        until=dt.date(2026, 12, 28),
    )
    # An occurrence moved three weeks later: past the few days first read.
    moved = dt.datetime(2026, 6, 8, 9, tzinfo=weekly.tz)
    MeetingFactory(
        committee=scenario["committee"],
        series=weekly,
        original_start=moved,
        start=moved + dt.timedelta(weeks=3, hours=2),
        end=moved + dt.timedelta(weeks=3, hours=3),
        title="Weekly sync (moved)",
        minutes_status=Meeting.MinutesStatus.NONE,
    )
    while now < end:
        whole = shown(upcoming(now=now))
        for limit in (1, 3, 6):
            assert shown(upcoming(now=now, limit=limit)) == whole[:limit], (now, limit)
            committee = scenario["committee"]
            assert shown(upcoming(committee=committee, now=now, limit=limit)) == whole[:limit]
        now += dt.timedelta(days=3, hours=5)


def test_the_next_few_read_only_their_days_and_the_whole_window_when_one_moved_past_them(
    committee, django_assert_num_queries
):
    weekly = MeetingSeriesFactory(
        committee=committee,
        title="Weekly sync",
        interval_weeks=1,
        weekday=0,
        start_time=dt.time(9),
        first_date=dt.date(2026, 1, 5),
    )
    now = utc(2026, 6, 7)
    with django_assert_num_queries(2):  # the series; the rows of the next few days
        assert [o.start for o in upcoming(now=now, limit=2)] == [
            ny(2026, 6, 8, 9),
            ny(2026, 6, 15, 9),
        ]
    MeetingFactory(
        committee=committee,
        series=weekly,
        original_start=ny(2026, 6, 8, 9),
        start=ny(2026, 7, 1, 9),
        end=ny(2026, 7, 1, 10),
        minutes_status=Meeting.MinutesStatus.NONE,
    )
    with django_assert_num_queries(3):  # and the rows of the whole window
        assert [o.start for o in upcoming(now=now, limit=2)] == [
            ny(2026, 6, 15, 9),
            ny(2026, 6, 22, 9),
        ]
