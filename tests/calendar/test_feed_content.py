"""What the feed says: docs/calendar.md rules 1-4, 6-13, checked on the bytes and on the parse."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.factories import (
    CommitteeFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    PersonFactory,
    RecordingFactory,
)

from .ics import events, lines, parse

pytestmark = pytest.mark.django_db


def committee_feed(client, committee):
    return client.get(reverse("calendar:committee_feed", args=[committee.slug])).content


def prop_lines(body, name):
    unfolded = body.replace(b"\r\n ", b"").decode()
    return [line for line in unfolded.split("\r\n") if re.match(rf"{name}[;:]", line)]


def test_every_timed_value_carries_the_committee_zone_and_never_floats_or_uses_utc(
    anonymous_client, scenario
):
    body = committee_feed(anonymous_client, scenario["committee"])
    for name in ("DTSTART", "DTEND", "EXDATE", "RECURRENCE-ID"):
        for line in prop_lines(body, name):
            if line.startswith("DTSTART:"):  # inside VTIMEZONE: local time by definition
                continue
            assert line.startswith(f"{name};TZID=America/New_York:"), line
            assert not line.endswith("Z"), line
    assert prop_lines(body, "EXDATE") == ["EXDATE;TZID=America/New_York:20260409T100000"]


def test_the_vtimezone_has_one_standard_and_one_daylight_rule(anonymous_client, scenario):
    cal = parse(committee_feed(anonymous_client, scenario["committee"]))
    (vtimezone,) = cal.walk("VTIMEZONE")
    assert vtimezone["TZID"] == "America/New_York"
    kinds = [(sub.name, sub["RRULE"].to_ical()) for sub in vtimezone.subcomponents]
    assert sorted(kinds) == [
        ("DAYLIGHT", b"FREQ=YEARLY;BYDAY=2SU;BYMONTH=3"),
        ("STANDARD", b"FREQ=YEARLY;BYDAY=1SU;BYMONTH=11"),
    ]
    assert b"RDATE" not in committee_feed(anonymous_client, scenario["committee"])


def test_a_zone_whose_rule_changed_gets_one_observance_per_rule_period(anonymous_client):
    committee = CommitteeFactory(time_zone="America/New_York")
    MeetingSeriesFactory(committee=committee, first_date=dt.date(2005, 1, 6), weekday=3)
    cal = parse(committee_feed(anonymous_client, committee))
    (vtimezone,) = cal.walk("VTIMEZONE")
    rules = sorted(
        (sub.name, re.sub(rb"UNTIL=\w+;", b"", sub["RRULE"].to_ical()))
        for sub in vtimezone.subcomponents
    )
    # 1987-2006: first Sunday of April / last Sunday of October; since 2007 the current rule.
    assert rules == [
        ("DAYLIGHT", b"FREQ=YEARLY;BYDAY=1SU;BYMONTH=4"),
        ("DAYLIGHT", b"FREQ=YEARLY;BYDAY=2SU;BYMONTH=3"),
        ("STANDARD", b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"),
        ("STANDARD", b"FREQ=YEARLY;BYDAY=1SU;BYMONTH=11"),
    ]


def test_stamps_and_until_are_in_utc(anonymous_client, scenario):
    body = committee_feed(anonymous_client, scenario["committee"])
    for name in ("DTSTAMP", "LAST-MODIFIED", "CREATED"):
        assert all(
            re.fullmatch(rf"{name}:\d{{8}}T\d{{6}}Z", line) for line in prop_lines(body, name)
        )
    (rrule,) = [line for line in prop_lines(body, "RRULE") if "WEEKLY" in line and "UNTIL" in line]
    assert rrule == "RRULE:FREQ=WEEKLY;UNTIL=20260827T140000Z;INTERVAL=4;BYDAY=TH"


def test_masters_use_freq_first_and_start_on_their_first_meeting(anonymous_client, scenario):
    cal = parse(committee_feed(anonymous_client, scenario["committee"]))
    masters = [e for e in events(cal) if "RRULE" in e]
    assert [m.DTSTART.date() for m in masters] == [dt.date(2026, 1, 15), dt.date(2026, 9, 24)]
    for line in prop_lines(committee_feed(anonymous_client, scenario["committee"]), "RRULE"):
        assert line.startswith("RRULE:FREQ=")


def test_uids_come_from_the_stored_uuids(anonymous_client, scenario):
    cal = parse(committee_feed(anonymous_client, scenario["committee"]))
    uids = {str(e["UID"]) for e in events(cal)}
    expected = {
        str(scenario["series"].uid),
        str(scenario["new_series"].uid),
        str(scenario["one_off"].uid),
        str(scenario["cancelled_one_off"].uid),
    }
    assert uids == expected


def test_a_moved_occurrence_is_an_override_whose_recurrence_id_matches_the_master_form(
    anonymous_client, scenario
):
    body = committee_feed(anonymous_client, scenario["committee"])
    cal = parse(body)
    (moved,) = [e for e in events(cal) if str(e["SUMMARY"]) == "MWI call (moved)"]
    assert str(moved["UID"]) == str(scenario["series"].uid)
    assert "RECURRENCE-ID;TZID=America/New_York:20260212T100000" in prop_lines(
        body, "RECURRENCE-ID"
    )
    assert dt.datetime(2026, 3, 10, 14, tzinfo=dt.UTC) == moved.DTSTART


def test_overrides_carry_a_sequence_at_least_the_masters(anonymous_client, scenario):
    cal = parse(committee_feed(anonymous_client, scenario["committee"]))
    masters = {str(e["UID"]): e["SEQUENCE"] for e in events(cal) if "RRULE" in e}
    for event in events(cal):
        if "RECURRENCE-ID" in event:
            assert event["SEQUENCE"] >= masters[str(event["UID"])]


def test_calendar_properties_name_the_committee_and_ask_for_hourly_refresh(
    anonymous_client, scenario
):
    body = committee_feed(anonymous_client, scenario["committee"])
    cal = parse(body)
    assert cal["VERSION"] == "2.0"
    # No METHOD: a published feed is not an iTIP message (docs/calendar.md, "No METHOD").
    assert "METHOD" not in cal and b"METHOD" not in body
    assert cal["NAME"] == cal["X-WR-CALNAME"] == "ML Workflow & InterOp Committee"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in body
    assert body.count(b"PRODID:") == 1
    assert b"X-WR-TIMEZONE" not in body
    assert body.count(b"BEGIN:VCALENDAR") == 1


def test_an_empty_committee_gets_a_valid_empty_calendar(anonymous_client):
    body = committee_feed(anonymous_client, CommitteeFactory())
    cal = parse(body)
    assert events(cal) == []
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")


def test_text_with_special_characters_and_2_kb_survives_the_round_trip(anonymous_client, committee):
    title = 'Budget, plans; and a back\\slash – Zürich 東京 "quoted"'
    agenda = ("Línea, uno; dos \\ tres\r\nsecond line\rthird line 🚀 " * 40)[:2100]
    # Upcoming and not yet written up: the whole agenda is in the feed.
    MeetingFactory(
        committee=committee,
        title=title,
        agenda=agenda,
        start=timezone.now() + dt.timedelta(days=3),
        minutes="",
        minutes_status=Meeting.MinutesStatus.NONE,
    )
    body = committee_feed(anonymous_client, committee)
    (event,) = events(parse(body))
    assert str(event["SUMMARY"]) == title
    normalised = agenda.replace("\r\n", "\n").replace("\r", "\n").strip()
    assert f"Agenda:\n{normalised}\n\n" in str(event["DESCRIPTION"])
    assert len(normalised.encode()) > 2048


def test_every_line_is_crlf_terminated_and_at_most_75_octets_with_whole_characters(
    anonymous_client, committee
):
    MeetingFactory(committee=committee, title="東京" * 100, agenda="é🚀, ; \\ " * 300)
    body = committee_feed(anonymous_client, committee)
    for line in lines(body):
        assert len(line) <= 75
        assert b"\r" not in line and b"\n" not in line
        line.decode("utf-8")  # a fold never splits a UTF-8 sequence


def test_past_meetings_link_their_published_minutes_and_recordings(anonymous_client, committee):
    published = MeetingFactory(committee=committee, minutes_status="published", title="Past")
    RecordingFactory(meeting=published, url="https://zoom.example.org/rec/42")
    MeetingFactory(committee=committee, minutes_status="draft", title="Draft")
    cal = parse(committee_feed(anonymous_client, committee))
    by_title = {str(e["SUMMARY"]): str(e["DESCRIPTION"]) for e in events(cal)}
    page = f"http://testserver{published.get_absolute_url()}"
    assert f"Minutes: {page}" in by_title["Past"]
    assert "Recording: https://zoom.example.org/rec/42" in by_title["Past"]
    assert "Minutes:" not in by_title["Draft"]


def test_occurrences_with_a_page_link_it_as_url(anonymous_client, scenario):
    cal = parse(committee_feed(anonymous_client, scenario["committee"]))
    urls = {str(e["URL"]) for e in events(cal) if "RECURRENCE-ID" in e}
    assert any(scenario["with_agenda"].get_absolute_url() in url for url in urls)


def test_the_join_link_appears_only_when_the_committee_publishes_it(anonymous_client):
    committee = CommitteeFactory(join_visibility="members", join_url="https://zoom.example.org/j/9")
    MeetingSeriesFactory(committee=committee)
    MeetingFactory(committee=committee)
    body = committee_feed(anonymous_client, committee)
    assert b"zoom.example.org/j/9" not in body.replace(b"\r\n ", b"")
    assert b"LOCATION" not in body
    committee.join_visibility = "public"
    committee.save()
    body = committee_feed(anonymous_client, committee).replace(b"\r\n ", b"")
    assert b"LOCATION:https://zoom.example.org/j/9" in body


def test_no_email_address_and_no_organizer_ever(anonymous_client, committee):
    person = PersonFactory(name="Ada Lovelace", email="ada@example.org")
    MeetingFactory(
        committee=committee,
        agenda=f"Ask @[{person.name}] (ada@example.org is private)",
        minutes_status=Meeting.MinutesStatus.PUBLISHED,
    )
    body = committee_feed(anonymous_client, committee).replace(b"\r\n ", b"")
    assert b"ORGANIZER" not in body and b"ATTENDEE" not in body and b"MAILTO" not in body.upper()
    assert b"Ada Lovelace" in body
    # Agenda text typed with an address is the lead's own words; the feed still drops addresses.
    assert b"@example.org" not in body


def test_a_meeting_with_its_record_carries_an_agenda_summary_and_the_links_not_the_whole_agenda(
    anonymous_client, committee
):
    agenda = "Opening words. " + "Long discussion of the stack map, item by item. " * 60
    published = MeetingFactory(committee=committee, agenda=agenda, title="Past")
    RecordingFactory(meeting=published, url="https://zoom.example.org/rec/7")
    cal = parse(committee_feed(anonymous_client, committee))
    (event,) = events(cal)
    description = str(event["DESCRIPTION"])
    summary = description.split("\n\n")[0]
    assert summary.startswith("Agenda:\nOpening words. Long discussion")
    assert summary.endswith(" …")
    assert len(summary) < 300 < len(agenda)
    page = str(event["URL"])
    # The minutes link is the meeting page: it is not repeated as "Meeting page".
    assert description.endswith(f"Minutes: {page}\nRecording: https://zoom.example.org/rec/7")
