"""A committee calendar that crosses both DST changes, with a moved, a cancelled, a one-off,
a cancelled one-off and a change of time, plus the UTC times it must expand to (by hand)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from meetings.models import Meeting
from meetings.series_split import split_series
from tests.factories import MeetingFactory, MeetingSeriesFactory

NY = ZoneInfo("America/New_York")


def ny(*args):
    return dt.datetime(*args, tzinfo=NY)


def utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


# Every 4 weeks on Thursday at 10:00 New York, from 2026-01-15; 11:00 from 2026-09-01 on.
# DST 2026: Mar 8 - Nov 1; 2027: Mar 14 - Nov 7. EST = UTC-5, EDT = UTC-4.
EXPECTED_UTC_STARTS = [
    utc(2026, 1, 15, 15),  # EST
    utc(2026, 3, 10, 14),  # Feb 12 (EST) moved to Tue Mar 10 10:00 EDT: across the change
    utc(2026, 3, 12, 14),  # EDT: the rule keeps 10:00 local
    # Apr 9 cancelled
    utc(2026, 5, 7, 14),  # has its own row (agenda), not moved
    utc(2026, 6, 4, 14),
    utc(2026, 6, 18, 16),  # one-off workshop, 12:00 EDT
    utc(2026, 7, 2, 14),
    # Jul 9: a cancelled one-off (kept in the feed as STATUS:CANCELLED, not an occurrence)
    utc(2026, 7, 30, 14),
    utc(2026, 8, 27, 14),
    utc(2026, 9, 24, 15),  # new series: 11:00 EDT
    utc(2026, 10, 22, 15),  # has its own row, followed the new time
    utc(2026, 11, 20, 14),  # Nov 19 moved to Fri Nov 20 09:00 EST (kept through the split)
    utc(2026, 12, 17, 16),  # 11:00 EST
    utc(2027, 1, 14, 16),
    utc(2027, 2, 11, 16),
    utc(2027, 3, 11, 16),  # still EST (DST starts Mar 14)
    utc(2027, 4, 8, 15),
    utc(2027, 5, 6, 15),
    utc(2027, 6, 3, 15),
    utc(2027, 7, 1, 15),
    utc(2027, 7, 29, 15),
    utc(2027, 8, 26, 15),
    utc(2027, 9, 23, 15),
    utc(2027, 10, 21, 15),  # still EDT (DST ends Nov 7)
    utc(2027, 11, 18, 16),
    utc(2027, 12, 16, 16),
]
WINDOW = (utc(2026, 1, 1), utc(2028, 1, 1))


@pytest.fixture
def scenario(committee):
    committee.join_visibility = "public"
    committee.save()
    series = MeetingSeriesFactory(
        committee=committee,
        title="MWI call",
        interval_weeks=4,
        weekday=3,
        start_time=dt.time(10),
        time_zone="America/New_York",
        first_date=dt.date(2026, 1, 15),
    )

    def row(original, start=None, **kwargs):
        start = start or original
        return MeetingFactory(
            committee=committee,
            series=series,
            original_start=original,
            start=start,
            end=start + dt.timedelta(hours=1),
            title=kwargs.pop("title", "MWI call"),
            minutes_status=kwargs.pop("minutes_status", Meeting.MinutesStatus.NONE),
            **kwargs,
        )

    moved = row(ny(2026, 2, 12, 10), ny(2026, 3, 10, 10), title="MWI call (moved)")
    cancelled = row(ny(2026, 4, 9, 10), status=Meeting.Status.CANCELLED)
    with_agenda = row(ny(2026, 5, 7, 10), agenda="1. Stack review")
    october = row(ny(2026, 10, 22, 10), agenda="1. Roadmap")
    november = row(ny(2026, 11, 19, 10), ny(2026, 11, 20, 9), title="MWI call (Friday)")
    one_off = MeetingFactory(
        committee=committee,
        title="Workshop",
        start=ny(2026, 6, 18, 12),
        end=ny(2026, 6, 18, 14),
        minutes_status=Meeting.MinutesStatus.NONE,
    )
    cancelled_one_off = MeetingFactory(
        committee=committee,
        title="Hackathon",
        start=ny(2026, 7, 9, 12),
        end=ny(2026, 7, 9, 13),
        minutes_status=Meeting.MinutesStatus.NONE,
    )
    cancelled_one_off.status = Meeting.Status.CANCELLED
    cancelled_one_off.save()
    new_series = split_series(series, dt.date(2026, 9, 1), start_time=dt.time(11))
    for obj in (series, moved, cancelled, with_agenda, october, november):
        obj.refresh_from_db()
    committee.refresh_from_db()
    return {
        "committee": committee,
        "series": series,
        "new_series": new_series,
        "moved": moved,
        "cancelled": cancelled,
        "with_agenda": with_agenda,
        "october": october,
        "november": november,
        "one_off": one_off,
        "cancelled_one_off": cancelled_one_off,
    }
