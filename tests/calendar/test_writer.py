"""The feeds' own VEVENT writer writes exactly what icalendar writes for the same events.

meetings.calendar.write_event exists for speed (icalendar's to_ical costs ~0.5 ms per event,
seconds for a large feed); these tests hold it to the library byte for byte: the same
escaping, folding (75 octets, whole UTF-8 characters, no fold right after a backslash),
TZID forms, UTC stamps and property order.
"""

import datetime as dt
import random
import zoneinfo

import pytest
from icalendar import vRecur

from meetings import calendar
from tests.factories import (
    CommitteeFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    RecordingFactory,
)

from .ics import parse

pytestmark = pytest.mark.django_db

ALPHABET = "abc XYZ,;:\\\\\\^\"'\n\r\t\\N é東京🚀–…"


def library_bytes(props):
    return calendar.event_component(props).to_ical().decode()


def test_the_scenario_feed_is_byte_identical_to_icalendars_serialisation(scenario):
    fast = calendar.feed_bytes(scenario["committee"])
    assert fast == calendar.feed_bytes(scenario["committee"], fast=False)
    parse(fast)


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
    fast = calendar.feed_bytes()
    assert fast == calendar.feed_bytes(fast=False)
    parse(fast)


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
            ("URL", calendar._Uri(url)),
        ]
        assert calendar.write_event(props) == library_bytes(props)


def test_a_fold_never_follows_a_backslash_and_never_splits_a_character():
    for head in range(60, 80):
        for tail in ("\\\\n", "é\\;", "🚀🚀🚀", "^^x"):
            props = [("DESCRIPTION", "d" * head + tail * 30)]
            written = calendar.write_event(props)
            assert written == library_bytes(props)
            for line in written.encode().split(b"\r\n"):
                assert len(line) <= 75
                line.decode()
