"""The feed expands to the same meetings in every parser, the app's list and by hand."""

import datetime as dt

import pytest
from django.urls import reverse

from meetings.occurrences import upcoming

from .conftest import EXPECTED_UTC_STARTS, WINDOW
from .ics import expand_icaljs, expand_python, parse

pytestmark = pytest.mark.django_db


def feed(client, committee):
    return client.get(reverse("calendar:committee_feed", args=[committee.slug])).content


def scheduled(expanded):
    return [(uid, start, end) for uid, start, end, status in expanded if status != "CANCELLED"]


def app_list(committee):
    """The app's own upcoming list for the two years (cancelled ones are listed, marked)."""
    start, end = WINDOW
    return [
        (o.start, o.end)
        for o in upcoming(committee=committee, now=start, horizon=end - start)
        if not o.is_cancelled
    ]


def test_recurring_ical_events_expands_the_feed_to_the_hand_written_utc_times(
    anonymous_client, scenario
):
    expanded = scheduled(expand_python(feed(anonymous_client, scenario["committee"]), *WINDOW))
    assert [start for _, start, _ in expanded] == EXPECTED_UTC_STARTS


def test_recurring_ical_events_agrees_with_the_apps_upcoming_list(anonymous_client, scenario):
    expanded = scheduled(expand_python(feed(anonymous_client, scenario["committee"]), *WINDOW))
    assert [(start, end) for _, start, end in expanded] == app_list(scenario["committee"])


def test_icaljs_expands_the_feed_to_the_hand_written_utc_times(anonymous_client, scenario):
    expanded = scheduled(expand_icaljs(feed(anonymous_client, scenario["committee"]), *WINDOW))
    assert [start for _, start, _ in expanded] == EXPECTED_UTC_STARTS


def test_icaljs_and_recurring_ical_events_agree_occurrence_by_occurrence(
    anonymous_client, scenario
):
    body = feed(anonymous_client, scenario["committee"])
    assert expand_icaljs(body, *WINDOW) == expand_python(body, *WINDOW)
    assert [(s, e) for _, s, e in scheduled(expand_icaljs(body, *WINDOW))] == app_list(
        scenario["committee"]
    )


def test_occurrences_before_the_time_change_belong_to_the_old_series_and_after_to_the_new(
    anonymous_client, scenario
):
    expanded = scheduled(expand_python(feed(anonymous_client, scenario["committee"]), *WINDOW))
    old, new = str(scenario["series"].uid), str(scenario["new_series"].uid)
    one_off = str(scenario["one_off"].uid)
    split = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    assert {uid for uid, start, _ in expanded if start < split} == {old, one_off}
    assert {uid for uid, start, _ in expanded if start >= split} == {new}


def test_the_cancelled_one_off_stays_in_the_feed_as_cancelled(anonymous_client, scenario):
    expanded = expand_python(feed(anonymous_client, scenario["committee"]), *WINDOW)
    cancelled = [item for item in expanded if item[3] == "CANCELLED"]
    assert [uid for uid, *_ in cancelled] == [str(scenario["cancelled_one_off"].uid)]


def test_a_committee_zone_without_daylight_saving_and_a_southern_one_expand_alike(
    anonymous_client, committee
):
    from tests.factories import MeetingSeriesFactory

    MeetingSeriesFactory(
        committee=committee,
        time_zone="Australia/Sydney",
        interval_weeks=1,
        weekday=0,
        first_date=dt.date(2025, 3, 3),
        start_time=dt.time(9, 30),
    )
    MeetingSeriesFactory(
        committee=committee,
        time_zone="Asia/Kolkata",
        interval_weeks=2,
        weekday=2,
        first_date=dt.date(2025, 1, 1),
        start_time=dt.time(18),
    )
    body = feed(anonymous_client, committee)
    parse(body)
    window = (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2028, 1, 1, tzinfo=dt.UTC))
    python = expand_python(body, *window)
    assert len(python) == 104 + 52
    assert expand_icaljs(body, *window) == python


def test_a_series_older_than_its_zones_current_rule_expands_alike_across_the_rule_change(
    anonymous_client, committee
):
    from tests.factories import MeetingSeriesFactory

    # US DST rules changed in 2007: the VTIMEZONE then has an observance per rule period.
    MeetingSeriesFactory(
        committee=committee, interval_weeks=1, weekday=3, first_date=dt.date(2005, 1, 6)
    )
    body = feed(anonymous_client, committee)
    window = (dt.datetime(2005, 1, 1, tzinfo=dt.UTC), dt.datetime(2009, 1, 1, tzinfo=dt.UTC))
    python = expand_python(body, *window)
    assert expand_icaljs(body, *window) == python
    # 10:00 New York: 14:00Z on Thu 15 Mar 2007 (new rule, EDT), 15:00Z a year earlier (EST).
    starts = {start for _, start, _, _ in python}
    assert dt.datetime(2007, 3, 15, 14, tzinfo=dt.UTC) in starts
    assert dt.datetime(2006, 3, 16, 15, tzinfo=dt.UTC) in starts


def test_the_demo_committees_feed_expands_identically_in_both_parsers(anonymous_client, db):
    from django.core.management import call_command

    from participants.models import Committee

    call_command("loaddemo", verbosity=0)
    committee = Committee.objects.get(slug="mwi")
    body = feed(anonymous_client, committee)
    window = (dt.datetime(2018, 1, 1, tzinfo=dt.UTC), dt.datetime(2028, 1, 1, tzinfo=dt.UTC))
    python = expand_python(body, *window)
    assert len(python) > 14  # the imported meetings and the series' future occurrences
    assert expand_icaljs(body, *window) == python


def test_icalendars_own_vtimezone_is_misread_by_icaljs_which_is_why_the_feed_writes_its_own():
    """docs/calendar.md rule 2. If this starts failing, icalendar's RDATE-form VTIMEZONE reads
    right in ical.js and meetings/ical/vtimezone.py may give way to add_missing_timezones()."""
    from zoneinfo import ZoneInfo

    import icalendar

    ny = ZoneInfo("America/New_York")
    cal = icalendar.Calendar()
    cal.add("prodid", "-//test//EN")
    cal.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", "weekly")
    event.add("dtstamp", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    event.add("dtstart", dt.datetime(2026, 1, 15, 10, tzinfo=ny))
    event.add("dtend", dt.datetime(2026, 1, 15, 11, tzinfo=ny))
    event.add("rrule", {"FREQ": "WEEKLY", "INTERVAL": 4, "BYDAY": "TH"})
    cal.add_component(event)
    cal.add_missing_timezones()
    window = (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    hours = {start.astimezone(ny).hour for _, start, _, _ in expand_icaljs(cal.to_ical(), *window)}
    assert hours != {10}
