"""A moved occurrence belongs to its own series, by UID, as Thunderbird files it.

ical.js's `new ICAL.Event(vevent)` relates every override in the file to every master by
local time alone; the harness (expand_icaljs.mjs) relates them by UID. A site feed with two
committees meeting at the same hour, one occurrence moved, must expand the same in ical.js,
in recurring-ical-events and in the app's own list.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from meetings.models import Meeting
from meetings.occurrences import upcoming
from tests.factories import CommitteeFactory, MeetingFactory, MeetingSeriesFactory

from .ics import expand_icaljs, expand_python

pytestmark = pytest.mark.django_db

WINDOW = (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 7, 1, tzinfo=dt.UTC))


def series_of(zone, **kwargs):
    return MeetingSeriesFactory(
        committee=CommitteeFactory(time_zone=zone),
        interval_weeks=kwargs.pop("interval_weeks", 2),
        weekday=3,
        start_time=dt.time(10),
        time_zone=zone,
        first_date=dt.date(2026, 1, 15),
        **kwargs,
    )


def occurrence(series, day, moved_to=None, **kwargs):
    original = dt.datetime.combine(day, series.start_time, tzinfo=series.tz)
    start = moved_to or original
    return MeetingFactory(
        committee=series.committee,
        series=series,
        original_start=original,
        start=start,
        end=start + series.duration,
        minutes_status="none",
        **kwargs,
    )


def app_list():
    start, end = WINDOW
    return sorted(
        (o.start, o.end) for o in upcoming(now=start, horizon=end - start) if not o.is_cancelled
    )


def check(client, series):
    body = client.get(reverse("calendar:feed")).content
    by_icaljs = expand_icaljs(body, *WINDOW)
    assert by_icaljs == expand_python(body, *WINDOW)
    assert sorted((s, e) for _, s, e, status in by_icaljs if status != "CANCELLED") == app_list()
    for one in series:  # every series keeps its own occurrences
        mine = [item for item in by_icaljs if item[0] == str(one.uid)]
        assert (
            len(mine)
            == len(one.occurrence_starts(*WINDOW))
            - one.meetings.filter(status=Meeting.Status.CANCELLED).count()
        )
    return by_icaljs


@pytest.mark.parametrize(
    "zones",
    [
        ("America/New_York", "America/New_York"),  # the same hour, the same zone
        ("America/New_York", "Europe/Berlin"),  # the same local hour in two zones
        ("UTC", "Asia/Tokyo"),
    ],
)
def test_overrides_by_uid_two_committees_at_the_same_hour_one_moved(anonymous_client, zones):
    a, b = series_of(zones[0]), series_of(zones[1])
    moved_to = dt.datetime(2026, 2, 13, 15, tzinfo=ZoneInfo(zones[0]))
    occurrence(a, dt.date(2026, 2, 12), moved_to, title="Moved")
    expanded = check(anonymous_client, [a, b])
    b_feb_12 = dt.datetime(2026, 2, 12, 10, tzinfo=ZoneInfo(zones[1])).astimezone(dt.UTC)
    assert [uid for uid, s, *_ in expanded if s == b_feb_12] == [str(b.uid)]
    assert [uid for uid, s, *_ in expanded if s == moved_to] == [str(a.uid)]


def test_overrides_by_uid_both_moved_and_one_cancelled_at_the_same_hour(anonymous_client):
    a, b = series_of("America/New_York"), series_of("America/New_York")
    c = series_of("America/New_York", interval_weeks=1)
    occurrence(a, dt.date(2026, 3, 12), dt.datetime(2026, 3, 13, 9, tzinfo=a.tz))
    occurrence(b, dt.date(2026, 3, 12), dt.datetime(2026, 3, 11, 16, tzinfo=b.tz))
    occurrence(c, dt.date(2026, 3, 12), status=Meeting.Status.CANCELLED)
    occurrence(c, dt.date(2026, 3, 19), agenda="1. Welcome")
    check(anonymous_client, [a, b, c])
