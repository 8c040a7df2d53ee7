"""iCal text escapes: every text field reads back as typed, for every character class.

RFC 5545 §3.3.11 (docs/calendar.md, "Text"): a backslash, semicolon and comma are escaped,
a line break is `\\n`, nothing else is escaped, and control characters (which TEXT cannot
hold) are dropped. The title `C:\\Networks\\Notes` must not reach a client as "C:" and two
broken lines. Each text is read back by ical.js (Thunderbird's parser) and by a one-pass
RFC 5545 unescaper (tests/calendar/ics.py), from the committee feed, the site feed and the
one-meeting download.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse

from meetings.ical import writer
from tests.factories import CommitteeFactory, MeetingFactory, MeetingSeriesFactory

from .ics import icaljs_items_of_each, parse, text_values

pytestmark = pytest.mark.django_db

# Every character class a TEXT value can meet, by name.
TEXTS = {
    "windows path (backslash + N)": r"C:\Networks\Notes",
    "backslash + n": r"C:\new\notes\n",
    "backslash + N, + comma, + semicolon": r"a\N b\, c\; d\\ e",
    "trailing backslash": "ends with a backslash \\",
    "semicolons": "Roadmap; stack; review;;",
    "commas": "Milvus, Feast,, Kubeflow",
    "colons": "Note: starts at 10:30",
    "quotes": "The \"stack\" and the 'map'",
    "line feeds": "1. Welcome\n2. Stack review\n\n3. AOB",
    "CRLF and lone CR": "first\r\nsecond\rthird",
    "tab": "a\tb",
    "carets": "x^y ^^ ^n ^'",
    "two-, three- and four-octet characters": "Zürich 東京 🚀 café",
    "combining characters": "e\u0301 n\u0303",
    "control characters": "bell\x07 escape\x1b delete\x7f end",
    "a long text whose folds fall on escapes": ("\\;," * 30) + ("é\\" * 40),
}
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def typed(text):
    """What a reader must get back: line breaks as LF, no control characters, no outer space."""
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


@pytest.fixture(params=list(TEXTS), ids=list(TEXTS))
def text(request):
    return TEXTS[request.param]


@pytest.fixture
def written(text):
    """A committee named with the text, a series located at it, a meeting titled with it and
    its agenda: the feed, the site feed and the meeting's own .ics."""
    committee = CommitteeFactory(name=typed(text)[:200] or "x", join_visibility="public")
    series = MeetingSeriesFactory(
        committee=committee,
        location=typed(text)[:200],
        first_date=dt.date(2026, 1, 15),
        title="Call",
    )
    meeting = MeetingFactory(
        committee=committee,
        title=text[:200],
        agenda=text,
        start=dt.datetime(2026, 6, 18, 16, tzinfo=dt.UTC),
        minutes_status="none",
    )
    return committee, series, meeting


def bodies(client, committee, meeting):
    return [
        client.get(reverse("calendar:committee_feed", args=[committee.slug])).content,
        client.get(reverse("calendar:feed")).content,
        client.get(reverse("calendar:meeting_ics", args=[meeting.pk])).content,
    ]


def test_ical_text_escapes_every_field_so_a_strict_reader_gets_it_back(
    anonymous_client, written, text
):
    committee, series, meeting = written
    expected = typed(text)
    for body in bodies(anonymous_client, committee, meeting):
        parse(body)
        assert expected[:200] in text_values(body, "SUMMARY")
        assert any(f"Agenda:\n{expected}\n" in d for d in text_values(body, "DESCRIPTION"))
    feed = bodies(anonymous_client, committee, meeting)[0]
    assert text_values(feed, "NAME") == text_values(feed, "X-WR-CALNAME") == [committee.name]
    assert series.location in text_values(feed, "LOCATION")


def test_ical_text_reaches_thunderbirds_parser_as_typed(anonymous_client, written, text):
    committee, series, meeting = written
    expected = typed(text)
    window = (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 12, 31, tzinfo=dt.UTC))
    # The three feeds in one node run (one start of node, not three).
    read = icaljs_items_of_each(bodies(anonymous_client, committee, meeting), *window)
    for found in read:
        items = {item["uid"]: item for item in found}
        one_off = items[str(meeting.uid)]
        assert one_off["summary"] == expected[:200]
        assert one_off["description"].startswith(f"Agenda:\n{expected}\n")
    master = {item["uid"]: item for item in read[0]}  # the committee feed's series
    assert master[str(series.uid)]["location"] == series.location


def test_ical_text_the_windows_path_is_written_with_its_backslashes_escaped(anonymous_client, db):
    meeting = MeetingFactory(title=r"C:\Networks\Notes", agenda="")
    body = anonymous_client.get(reverse("calendar:meeting_ics", args=[meeting.pk])).content
    assert b"SUMMARY:C:\\\\Networks\\\\Notes\r\n" in body
    assert text_values(body, "SUMMARY") == [r"C:\Networks\Notes"]


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("\\", "\\\\"),
        (";", "\\;"),
        (",", "\\,"),
        ("\n", "\\n"),
        ("\r\n", "\\n"),
        ("\r", "\\n"),
        ("\\N", "\\\\N"),
        ("\\n", "\\\\n"),
        (":", ":"),
        ('"', '"'),
        ("\t", "\t"),
        ("\x00\x07\x1b\x7f", ""),
        ("é東🚀", "é東🚀"),
    ],
)
def test_ical_text_escaping_of_each_character_class(value, escaped):
    assert writer.escape_text(value) == escaped


def test_ical_text_parameter_values_are_quoted_with_rfc_6868_escapes():
    assert writer.param_value("DURATION") == "DURATION"
    assert writer.param_value('LF AI & Data; "MWI": x^y\nz') == "\"LF AI & Data; ^'MWI^': x^^y^nz\""
