"""Helpers of the calendar tests: parse a feed strictly and expand it in two parsers."""

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

ROOT = Path(__file__).resolve().parents[2]
ICALJS_SCRIPT = Path(__file__).with_name("expand_icaljs.mjs")

needs_icaljs = pytest.mark.skipif(
    not (ROOT / "node_modules" / "ical.js").is_dir() or shutil.which("node") is None,
    reason="ical.js is not installed: run `npm ci` at the repository root (CI does)",
)


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


def expand_icaljs(body, start, end):
    """The same list as ical.js (Thunderbird's parser) expands it, run by node."""
    result = subprocess.run(
        ["node", str(ICALJS_SCRIPT), start.isoformat(), end.isoformat()],
        input=body,
        capture_output=True,
        check=True,
        cwd=ROOT,
        timeout=60,
    )
    return sorted(
        [
            (
                item["uid"],
                dt.datetime.fromisoformat(item["start"]),
                dt.datetime.fromisoformat(item["end"]),
                item["status"],
            )
            for item in json.loads(result.stdout)
        ],
        key=lambda item: (item[1], item[0]),
    )


def lines(body):
    """The raw content lines (unfolded is not what we want here: we check the folding)."""
    assert body.endswith(b"\r\n")
    return body[:-2].split(b"\r\n")


def events(cal):
    return list(cal.walk("VEVENT"))
