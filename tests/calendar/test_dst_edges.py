"""iCal at daylight-saving edges: RECURRENCE-ID and EXDATE carry the value the RRULE generates.

A weekly series on Sunday at 02:30 America/New_York generates 20260308T023000 on the
spring-forward day, a wall-clock time that does not exist (RFC 5545 §3.3.5 reads it with the
offset before the gap: 03:30 EDT). An override or EXDATE written as ...T033000 matches no
generated occurrence, so clients showed the cancelled one and the moved one twice
(docs/calendar.md, "Daylight-saving edges"). Checked in the bytes, in recurring-ical-events,
in ical.js (Thunderbird's parser, with the feed's own VTIMEZONE) and against the app's list.
"""

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from meetings.models import Meeting
from meetings.occurrences import upcoming
from tests.factories import CommitteeFactory, MeetingFactory, MeetingSeriesFactory

from .ics import expand_icaljs, expand_python

pytestmark = pytest.mark.django_db


@dataclasses.dataclass(frozen=True)
class Edge:
    zone: str
    first_date: dt.date  # a Sunday
    start_time: dt.time
    edge_day: dt.date  # a Sunday whose start_time the zone skips (or repeats)
    written: str  # the rule's value on that day, as RECURRENCE-ID/EXDATE must write it


EDGES = {
    # The example: spring forward, 02:00 -> 03:00.
    "new york spring forward": Edge(
        "America/New_York", dt.date(2026, 1, 4), dt.time(2, 30), dt.date(2026, 3, 8),
        "20260308T023000",
    ),
    "new york spring forward, the next year": Edge(
        "America/New_York", dt.date(2027, 1, 3), dt.time(2, 15), dt.date(2027, 3, 14),
        "20270314T021500",
    ),
    # Europe changes at 02:00 on the last Sunday of March.
    "berlin spring forward": Edge(
        "Europe/Berlin", dt.date(2026, 1, 4), dt.time(2, 30), dt.date(2026, 3, 29),
        "20260329T023000",
    ),
    # Lord Howe Island moves by half an hour, 02:00 -> 02:30, on the first Sunday of October.
    "lord howe half-hour spring forward": Edge(
        "Australia/Lord_Howe", dt.date(2026, 8, 2), dt.time(2, 15), dt.date(2026, 10, 4),
        "20261004T021500",
    ),
    # Fall back: 01:30 happens twice; the rule's value means the first (RFC 5545 §3.3.5).
    "new york fall back": Edge(
        "America/New_York", dt.date(2026, 9, 6), dt.time(1, 30), dt.date(2026, 11, 1),
        "20261101T013000",
    ),
}  # fmt: skip
WINDOW = (dt.datetime(2025, 12, 1, tzinfo=dt.UTC), dt.datetime(2028, 1, 1, tzinfo=dt.UTC))


def rule_start(edge):
    """The occurrence's instant, as the rule places it (the skipped time: offset before)."""
    return dt.datetime.combine(edge.edge_day, edge.start_time, tzinfo=ZoneInfo(edge.zone))


@pytest.fixture(params=list(EDGES), ids=list(EDGES))
def edge(request):
    return EDGES[request.param]


@pytest.fixture
def series(edge):
    # One edge day per series: ical.js places a skipped time that no override or EXDATE names
    # an hour early (docs/calendar.md, "Daylight-saving edges"), so every series here ends
    # before the next year's.
    committee = CommitteeFactory(time_zone=edge.zone)
    return MeetingSeriesFactory(
        committee=committee,
        title="Weekly call",
        interval_weeks=1,
        weekday=6,
        start_time=edge.start_time,
        time_zone=edge.zone,
        first_date=edge.first_date,
        until=edge.edge_day + dt.timedelta(weeks=6),
    )


def row(series, original, start=None, **kwargs):
    start = (start or original).astimezone(dt.UTC)  # wall-clock + 1 h across a gap is 0 h
    return MeetingFactory(
        committee=series.committee,
        series=series,
        original_start=original,
        start=start,
        end=start + series.duration,
        title=kwargs.pop("title", series.title),
        minutes_status="none",
        **kwargs,
    )


def feed(client, owner):
    """The committee feed of a series' or a meeting's committee."""
    return client.get(reverse("calendar:committee_feed", args=[owner.committee.slug])).content


def scheduled_starts(expanded):
    return [start for _, start, _, status in expanded if status != "CANCELLED"]


def app_starts(series):
    start, end = WINDOW
    return [
        o.start
        for o in upcoming(committee=series.committee, now=start, horizon=end - start)
        if not o.is_cancelled
    ]


def parsers(body):
    yield "recurring-ical-events", expand_python(body, *WINDOW)
    yield "ical.js", expand_icaljs(body, *WINDOW)


def test_dst_edge_a_cancelled_occurrence_is_an_exdate_with_the_rules_value(
    anonymous_client, series, edge
):
    row(series, rule_start(edge), status=Meeting.Status.CANCELLED)
    body = feed(anonymous_client, series)
    assert f"EXDATE;TZID={edge.zone}:{edge.written}".encode() in body
    instant = rule_start(edge).astimezone(dt.UTC)
    for name, expanded in parsers(body):
        starts = scheduled_starts(expanded)
        assert instant not in starts, name
        assert starts == app_starts(series), name
        assert len(starts) == len(set(starts)), name


def test_dst_edge_a_moved_occurrence_is_an_override_with_the_rules_value_shown_once(
    anonymous_client, series, edge
):
    moved_to = rule_start(edge).replace(hour=10, minute=0) + dt.timedelta(days=1)
    row(series, rule_start(edge), moved_to, title="Moved call")
    body = feed(anonymous_client, series)
    assert f"RECURRENCE-ID;TZID={edge.zone}:{edge.written}".encode() in body
    instant = rule_start(edge).astimezone(dt.UTC)
    for name, expanded in parsers(body):
        starts = scheduled_starts(expanded)
        assert instant not in starts, name
        assert starts.count(moved_to.astimezone(dt.UTC)) == 1, name
        assert starts == app_starts(series), name


def test_dst_edge_an_occurrence_with_its_own_page_is_an_override_not_a_second_event(
    anonymous_client, series, edge
):
    row(series, rule_start(edge), agenda="1. Welcome")
    body = feed(anonymous_client, series)
    assert f"RECURRENCE-ID;TZID={edge.zone}:{edge.written}".encode() in body
    instant = rule_start(edge).astimezone(dt.UTC)
    for name, expanded in parsers(body):
        starts = scheduled_starts(expanded)
        assert starts.count(instant) == 1, name
        assert starts == app_starts(series), name


def test_dst_edge_the_one_meeting_download_carries_the_rules_value_too(
    anonymous_client, series, edge
):
    meeting = row(series, rule_start(edge), status=Meeting.Status.CANCELLED)
    body = anonymous_client.get(reverse("calendar:meeting_ics", args=[meeting.pk])).content
    assert f"RECURRENCE-ID;TZID={edge.zone}:{edge.written}".encode() in body
    day = edge.edge_day.isoformat()
    url = reverse("calendar:occurrence_ics", args=[series.pk, day])
    meeting.delete()
    body = anonymous_client.get(url).content
    assert f"RECURRENCE-ID;TZID={edge.zone}:{edge.written}".encode() in body


@pytest.mark.parametrize(
    ("zone", "local", "fold"),
    [
        ("America/New_York", (2026, 11, 1, 1, 30), 0),
        ("America/New_York", (2026, 11, 1, 1, 30), 1),
        ("Europe/Berlin", (2026, 10, 25, 2, 45), 1),
        ("Australia/Lord_Howe", (2026, 4, 5, 1, 45), 1),
    ],
)
def test_dst_edge_a_meeting_in_a_repeated_hour_is_read_at_its_own_instant(
    anonymous_client, zone, local, fold
):
    start = dt.datetime(*local, tzinfo=ZoneInfo(zone), fold=fold).astimezone(dt.UTC)
    meeting = MeetingFactory(
        committee=CommitteeFactory(time_zone=zone), start=start, minutes_status="none"
    )
    body = feed(anonymous_client, meeting)
    for name, expanded in parsers(body):
        assert [s for uid, s, _, _ in expanded if uid == str(meeting.uid)] == [start], name
