"""The feeds' own writer writes what icalendar writes for the same events, wherever icalendar
follows RFC 5545: folding (75 octets, whole UTF-8 characters, no fold right after a backslash),
TZID forms, UTC stamps, property order and TEXT escaping of every character but the one
sequence icalendar gets wrong (a typed `\\N`, see test_ical_text.py and docs/calendar.md).
"""

import datetime as dt
import random
import zoneinfo

import pytest
from icalendar import Event, vRecur

from meetings.ical import document, versions, writer
from tests.factories import (
    CommitteeFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    RecordingFactory,
)

from .ics import parse

pytestmark = pytest.mark.django_db

BASE = "https://committees.example.org"
# Every character class of TEXT but `\N` (backslash + capital N), which icalendar turns into
# a line break: backslash, semicolon, comma, colon, quotes, caret, CR, LF, tab, non-ASCII
# from two, three and four UTF-8 octets.
ALPHABET = "abc XYZ,;:\\\\\\^\"'\n\r\t\\n é東京🚀–…"


def library_bytes(props):
    """icalendar's serialisation of a property list: the oracle."""
    event = Event()
    for name, value, *params in props:
        event.add(name, value, parameters=params[0] if params else None)
    return event.to_ical().decode()


def every_event_is_written_as_icalendar_writes_it(committee):
    data = document.load_feed_data(committee, BASE)
    events = document.feed_events(data)
    assert events
    for props in events:
        assert writer.write_event(props) == library_bytes(props)
    return events


def test_every_event_of_the_scenario_feed_is_byte_identical_to_icalendars(scenario):
    every_event_is_written_as_icalendar_writes_it(scenario["committee"])
    parse(document.feed_bytes(scenario["committee"], BASE))


def test_the_site_feed_with_hard_text_and_several_zones_is_byte_identical(db):
    berlin = CommitteeFactory(time_zone="Europe/Berlin", join_visibility="public")
    utc = CommitteeFactory(time_zone="UTC", join_url="https://meet.example.org/x;y,z")
    MeetingSeriesFactory(committee=berlin, first_date=dt.date(2019, 3, 5), weekday=1)
    MeetingSeriesFactory(committee=utc, first_date=dt.date(2024, 1, 2), weekday=1)
    for n, committee in enumerate([berlin, utc] * 4):
        meeting = MeetingFactory(
            committee=committee,
            title=("Zürich; Köln, \\ " * (n + 3)) + "🚀" * n,
            agenda=("x" * (72 - n)) + "\\;,\n" + "東京, ; é " * 40 * n,
            status="cancelled" if n == 5 else "scheduled",
        )
        if n % 2:
            RecordingFactory(meeting=meeting, url=f"https://video.example.org/{n}?a=1;b=2")
    every_event_is_written_as_icalendar_writes_it(None)
    parse(document.feed_bytes(None, BASE))


def test_random_text_in_every_property_is_written_as_icalendar_writes_it():
    rng = random.Random(5545)
    zone = zoneinfo.ZoneInfo("America/New_York")
    start = dt.datetime(2026, 3, 8, 1, 30, tzinfo=zone)
    for _ in range(300):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 400)))
        url = "https://example.org/" + "a\\^" * rng.randrange(0, 40)
        props = [
            ("SUMMARY", text[: rng.randrange(0, 120)]),
            ("DTSTART", start),
            ("DTEND", start + dt.timedelta(hours=1)),
            ("DTSTAMP", dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)),
            ("UID", "5f0c-" + text[:3].replace("\n", "")),
            ("SEQUENCE", rng.randrange(0, 1000)),
            ("RRULE", vRecur({"FREQ": "WEEKLY", "INTERVAL": 4, "BYDAY": "TH"})),
            ("EXDATE", start + dt.timedelta(days=28)),
            ("EXDATE", start + dt.timedelta(days=56)),
            ("DESCRIPTION", text),
            ("LOCATION", text[::-1]),
            ("URL", writer.Uri(url)),
        ]
        assert writer.write_event(props) == library_bytes(props)


def test_a_fold_never_follows_a_backslash_and_never_splits_a_character():
    for head in range(60, 80):
        for tail in ("\\\\n", "é\\;", "🚀🚀🚀", "^^x"):
            props = [("DESCRIPTION", "d" * head + tail * 30)]
            written = writer.write_event(props)
            assert written == library_bytes(props)
            for line in written.encode().split(b"\r\n"):
                assert len(line) <= 75
                line.decode()


def test_the_format_version_is_a_hash_of_the_writing_code_not_a_hand_kept_number():
    assert len(versions.FORMAT_VERSION) == 16
    int(versions.FORMAT_VERSION, 16)
    assert versions._format_version() == versions.FORMAT_VERSION


def test_a_change_to_the_writing_code_changes_every_feeds_etag(committee, monkeypatch):
    before = versions.feed_validator(committee, BASE)[0]
    monkeypatch.setattr(versions, "FORMAT_VERSION", "0" * 16)
    assert versions.feed_validator(committee, BASE)[0] != before
