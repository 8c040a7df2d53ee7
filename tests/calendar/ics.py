"""Helpers of the calendar tests: parse a feed strictly and expand it in two parsers."""

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import icalendar
import recurring_ical_events

from tests.system_tools import require

ROOT = Path(__file__).resolve().parents[2]
ICALJS_SCRIPT = Path(__file__).with_name("expand_icaljs.mjs")


def parse(body):
    """The feed as icalendar reads it, failing on any component error or missing VTIMEZONE."""
    cal = icalendar.Calendar.from_ical(body)
    for component in cal.walk():
        assert not component.errors, (component.name, component.errors)
    assert cal.get_missing_tzids() == set()
    return cal


def expand_python(body, start, end):
    """[(uid, start UTC, end UTC, status)] by recurring-ical-events, ordered by start."""
    cal = parse(body)
    return sorted(
        [
            (
                str(event["UID"]),
                event.DTSTART.astimezone(dt.UTC),
                event.DTEND.astimezone(dt.UTC),
                str(event.get("STATUS", "")),
            )
            for event in recurring_ical_events.of(cal).between(start, end)
        ],
        key=lambda item: (item[1], item[0]),
    )


def icaljs_items(body, start, end):
    """ical.js's (Thunderbird's parser) occurrences in [start, end), run by node: dicts with
    uid, start, end, status, recurrenceId, summary, description, location (times ISO UTC)."""
    return _icaljs(body, start, end)


def icaljs_items_of_each(bodies, start, end):
    """icaljs_items for several feeds in one node run (each read on its own): a list per feed."""
    texts = [body.decode() if isinstance(body, bytes) else body for body in bodies]
    return _icaljs(json.dumps(texts), start, end)


def _icaljs(stdin, start, end):
    require("node")
    assert (ROOT / "node_modules" / "ical.js").is_dir(), "ical.js is missing: run `make test`"
    result = subprocess.run(
        ["node", str(ICALJS_SCRIPT), start.isoformat(), end.isoformat()],
        input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True,
        check=True,
        cwd=ROOT,
        timeout=60,
    )
    return json.loads(result.stdout)


def expand_icaljs(body, start, end):
    """The same list as expand_python, as ical.js (Thunderbird's parser) expands it."""
    return sorted(
        [
            (
                item["uid"],
                dt.datetime.fromisoformat(item["start"]),
                dt.datetime.fromisoformat(item["end"]),
                item["status"],
            )
            for item in icaljs_items(body, start, end)
        ],
        key=lambda item: (item[1], item[0]),
    )


_ESCAPE_RE = re.compile(r"\\([\\;,nN])")


def text_values(body, name):
    """Every value of a TEXT property in the raw bytes, unfolded and unescaped by RFC 5545
    §3.1 and §3.3.11 in one pass: an oracle independent of the writer and of icalendar, whose
    parser reads `\\\\n` (an escaped backslash, then n) as a line break."""
    unfolded = body.decode().replace("\r\n ", "").replace("\r\n\t", "")
    values = []
    for line in unfolded.split("\r\n"):
        head, _, value = line.partition(":")
        if head.split(";")[0] == name:
            values.append(_ESCAPE_RE.sub(lambda m: "\n" if m[1] in "nN" else m[1], value))
    return values


def lines(body):
    """The raw content lines (unfolded is not what we want here: we check the folding)."""
    assert body.endswith(b"\r\n")
    return body[:-2].split(b"\r\n")


def events(cal):
    return list(cal.walk("VEVENT"))
