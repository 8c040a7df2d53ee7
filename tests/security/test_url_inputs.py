"""Dates, numbers and pages in URLs: no URL answers 500 (issue kind 4) and no request is
costly for free (kind 14). The property tests over every route are in test_every_url.py."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mwi.lib.params import MAX_DATE, MIN_DATE

from ..factories import (
    MappingFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    ProjectFactory,
    StageEventFactory,
)

# --- the examples and the edges of the date rule -------------------------------------


@pytest.mark.parametrize(
    "day", ["9999-12-31", "0001-01-01", "9999-12-21", "1899-12-31", "3000-01-01", "2020-02-30"]
)
@pytest.mark.parametrize("suffix", ["", "calendar.ics"])
def test_no_url_answers_500_for_an_occurrence_on_an_extreme_day(
    day, suffix, anonymous_client, committee
):
    series = MeetingSeriesFactory(committee=committee, interval_weeks=1)
    response = anonymous_client.get(f"/meetings/series/{series.pk}/{day}/{suffix}")
    assert response.status_code == 404


@pytest.mark.parametrize("day", [MIN_DATE, MAX_DATE])
def test_no_url_answers_500_at_the_ends_of_the_date_range(day, anonymous_client, committee):
    # The ends themselves are dates the site reads: the series simply has no meeting there.
    series = MeetingSeriesFactory(committee=committee, interval_weeks=1)
    assert anonymous_client.get(f"/meetings/series/{series.pk}/{day}/").status_code == 404
    meeting = MeetingFactory(committee=committee)
    response = anonymous_client.get(f"/meetings/{day}-{meeting.pk}/")
    assert response.status_code == 301  # the meeting's own day is elsewhere


@pytest.mark.parametrize(
    "url",
    [
        "/meetings/?page=0",
        "/meetings/?page=-1",
        "/meetings/?page=abc",
        "/meetings/?page=99999",
        "/meetings/?page=" + "9" * 40,
        "/meetings/?page=%C2%B2",  # a superscript two, which str.isdigit() accepts
        "/meetings/action-items/?page=2",
        "/stack/projects/?page=1x",
        "/stack/table/?page=3",
        "/stack/integrations/?page=7",
        "/stack/integrations/?flagged=7",
    ],
)
def test_no_url_answers_500_for_a_page_that_does_not_exist(url, anonymous_client, committee):
    MeetingFactory(committee=committee)
    assert anonymous_client.get(url).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "as_of=9999-12-31",
        "as_of=0001-01-01",
        "as_of=2020-02-31",
        "as_of=%00",
        "as_of=10000-01-01",
        "since=0001-01-01&until=9999-12-31",
        "since=2020-01-01&until=2020%00",
    ],
)
@pytest.mark.parametrize(
    "path", ["/stack/", "/stack/table/", "/stack/gaps/", "/stack/changes/", "/stack/map.csv"]
)
def test_no_url_answers_500_for_an_unreadable_stack_date(path, query, anonymous_client, db):
    response = anonymous_client.get(f"{path}?{query}")
    # Each page reads its own dates (as_of, or since and until): those are refused with 400
    # and the form says why; a date the page does not read changes nothing.
    ignored = path != "/stack/changes/" and "since" in query
    assert response.status_code == (200 if ignored else 400)
    reads_it = ("since" in query) == (path == "/stack/changes/")
    if reads_it and path != "/stack/map.csv" and "%00" not in query:
        assert "Enter a date as YYYY-MM-DD" in response.content.decode()


def test_a_date_the_site_reads_is_still_shown(anonymous_client, db):
    assert anonymous_client.get("/stack/?as_of=2999-12-31").status_code == 200
    assert anonymous_client.get("/stack/map.json?as_of=1900-01-01").json()["as_of"] == "1900-01-01"


# --- kind 14: no request is costly for free --------------------------------------------------


@pytest.fixture
def rule_steps(monkeypatch):
    """How many occurrences dateutil's rules step through (the cost of walking a series)."""
    from dateutil import rrule

    steps = {"n": 0}
    original = rrule.rrule._iter

    def counting(self):
        for value in original(self):
            steps["n"] += 1
            yield value

    monkeypatch.setattr(rrule.rrule, "_iter", counting)
    return steps


@pytest.mark.parametrize("suffix", ["", "calendar.ics"])
@pytest.mark.parametrize(
    "day",
    [
        "9999-12-21",  # the example: outside the date range, refused by the route
        "2999-12-26",  # a Thursday at the end of the range, within an open-ended series
        "2999-12-27",  # a day without a meeting at the end of the range
        "2019-12-26",  # before the series began
        "2200-01-02",  # a Thursday after the series ended
    ],
)
def test_no_request_is_costly_for_free_for_a_far_occurrence(
    day, suffix, anonymous_client, committee, rule_steps, django_assert_max_num_queries
):
    MeetingSeriesFactory(committee=committee, interval_weeks=1, first_date=dt.date(2020, 1, 16))
    ended = MeetingSeriesFactory(
        committee=committee,
        interval_weeks=1,
        first_date=dt.date(2020, 1, 16),
        until=dt.date(2021, 1, 14),
    )
    for series in (committee.series.first(), ended):
        rule_steps["n"] = 0
        with django_assert_max_num_queries(4):
            response = anonymous_client.get(f"/meetings/series/{series.pk}/{day}/{suffix}")
        assert response.status_code in (200, 404)
        # A handful (the days around it, once for the page and once more for the .ics), never
        # the weeks since the first meeting: 51,000 of them for the 2990s.
        assert rule_steps["n"] <= 8, f"{day}: walked {rule_steps['n']} occurrences"


def test_no_request_is_costly_for_free_yet_far_occurrences_are_found(
    anonymous_client, committee, rule_steps
):
    series = MeetingSeriesFactory(committee=committee, interval_weeks=4)
    far = series.first_date + dt.timedelta(weeks=4 * 12000)  # in the 2940s
    response = anonymous_client.get(f"/meetings/series/{series.pk}/{far}/")
    assert response.status_code == 200
    assert rule_steps["n"] <= 3
    after = far + dt.timedelta(weeks=1)  # the right weekday, the wrong week of the rhythm
    assert anonymous_client.get(f"/meetings/series/{series.pk}/{after}/").status_code == 404


@pytest.mark.parametrize(
    "query", ["as_of=2999-12-31", "as_of=1900-01-01", "since=1900-01-01&until=2999-12-31"]
)
def test_no_request_is_costly_for_free_on_the_stack_map(
    query, anonymous_client, db, django_assert_max_num_queries
):
    project = ProjectFactory()
    MappingFactory(project=project, valid_from=dt.date(2020, 1, 16))
    StageEventFactory(project=project)
    path = "/stack/changes/" if "since" in query else "/stack/"
    # The same queries as for today's map: a date is a filter, never a walk over days.
    with django_assert_max_num_queries(12) as today:
        anonymous_client.get(path)
    with django_assert_max_num_queries(len(today.captured_queries)):
        assert anonymous_client.get(f"{path}?{query}").status_code == 200


@pytest.mark.parametrize(
    "url", ["/meetings/?page=999999999", "/meetings/action-items/?page=999999999"]
)
def test_no_request_is_costly_for_free_for_a_far_page(
    url, anonymous_client, committee, django_assert_max_num_queries
):
    MeetingFactory(committee=committee)
    with django_assert_max_num_queries(3):  # the committees, the years, the count
        assert anonymous_client.get(url).status_code == 404


@settings(max_examples=300, deadline=None)
@given(
    interval=st.integers(1, 8),
    weekday=st.integers(0, 6),
    first=st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
    length=st.one_of(st.none(), st.integers(0, 3000)),
    start_hour=st.integers(0, 23),
    zone=st.sampled_from(["America/New_York", "Europe/Berlin", "Asia/Kolkata", "UTC"]),
    window_start=st.dates(dt.date(1985, 1, 1), dt.date(2040, 12, 31)),
    window_days=st.integers(1, 400),
)
def test_no_request_is_costly_for_free_yet_the_rule_gives_the_same_occurrences(
    interval, weekday, first, length, start_hour, zone, window_start, window_days
):
    # The shortcut (start the rule at the last whole period before the window) finds exactly
    # the occurrences that walking the rule from its first date finds.
    from dateutil.rrule import WEEKLY, rrule

    from meetings.models import MeetingSeries

    series = MeetingSeries(
        interval_weeks=interval,
        weekday=weekday,
        first_date=first,
        until=None if length is None else first + dt.timedelta(days=length),
        start_time=dt.time(start_hour, 30),
        time_zone=zone,
        duration=dt.timedelta(hours=1),
    )
    tz = series.tz
    after = dt.datetime.combine(window_start, dt.time.min, tzinfo=tz)
    before = after + dt.timedelta(days=window_days)
    walked = rrule(
        WEEKLY,
        interval=interval,
        byweekday=weekday,
        dtstart=dt.datetime.combine(first, series.start_time),
        until=dt.datetime.combine(series.until, dt.time.max) if series.until else None,
    )
    expected = [
        local.replace(tzinfo=tz).astimezone(dt.UTC)
        for local in walked.between(
            after.replace(tzinfo=None) - series.duration, before.replace(tzinfo=None), inc=True
        )
    ]
    expected = [s for s in expected if after <= s < before]
    assert series.occurrence_starts(after, before) == expected
