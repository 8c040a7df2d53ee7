"""The bytes of an iCalendar object: content lines, TEXT escaping and folding (RFC 5545 §3.1).

A component is written from a list of properties `(NAME, value)` whose values are Python
objects:

- str: TEXT, escaped by RFC 5545 §3.3.11 (`\\` → `\\\\`, `;` → `\\;`, `,` → `\\,`, a line
  break → `\\n`; nothing else is escaped, and control characters, which TEXT cannot hold, are
  dropped);
- Uri: a URI, written as it is (URLs are never TEXT-escaped);
- int: INTEGER (SEQUENCE);
- an aware datetime: UTC is written `...Z`, any other zone `;TZID=<IANA name>:` with the
  wall-clock time the datetime carries (so a RECURRENCE-ID can carry a time the zone skips,
  exactly as the RRULE generates it; docs/calendar.md, "Daylight-saving edges");
- datetime.timedelta: DURATION; vRecur: RECUR (icalendar writes these two; they hold no text).

Why a writer of our own and not icalendar's `to_ical()` (benchmarks/WRITER.md measures both):
icalendar costs about 0.5 ms per event (35x this writer), and its TEXT escaping turns a typed
`\\N` into a line break (`C:\\Networks\\Notes` reaches clients as "C:" and two broken lines).
Everything else (folding, the order of a VEVENT's properties, TZID forms) is icalendar's
own, and tests/calendar/test_writer.py holds this module to icalendar byte for byte wherever
icalendar is right.
"""

import datetime as dt
import re

from icalendar import Event, vDuration
from icalendar.timezone.tzid import is_utc, tzid_from_dt

# Characters TEXT cannot carry (RFC 5545 §3.3.11: TSAFE-CHAR excludes CONTROL but HTAB; line
# breaks are escaped before this applies).
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_TOKEN_RE = re.compile(r"[A-Za-z0-9-]+")


class Uri(str):
    """A URI value (URL): written as is, never TEXT-escaped (icalendar's vUri)."""

    __slots__ = ()


class CalAddress(str):
    """A CAL-ADDRESS value (`mailto:...`), written as is (RFC 5545 §3.3.3)."""

    __slots__ = ()


def escape_text(value):
    """A TEXT value escaped by RFC 5545 §3.3.11, in one pass, line breaks as `\\n`.

    CRLF, CR and LF all become one `\\n`; control characters (which TEXT cannot hold) are
    dropped; `\\`, `;` and `,` are escaped; `:` and `"` are not (they are plain TSAFE text).
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not value.isprintable():
        value = _CONTROL_RE.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def param_value(value):
    """A parameter value (RFC 5545 §3.2): a token such as DURATION as it is; any other text
    quoted, with RFC 6868's ^-escapes for ^, " and line breaks, and no control characters."""
    if _TOKEN_RE.fullmatch(value):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL_RE.sub("", value)
    value = value.replace("^", "^^").replace('"', "^'").replace("\n", "^n")
    return f'"{value}"'


_ZONES = {}


def _zone(tzinfo):
    """(is UTC, TZID) of a tzinfo as icalendar decides them, once per zone."""
    found = _ZONES.get(tzinfo)
    if found is None:
        sample = dt.datetime(2000, 1, 1, tzinfo=tzinfo)
        found = _ZONES[tzinfo] = (is_utc(sample), tzid_from_dt(sample))
    return found


def is_zoned(value):
    """Whether a datetime is written with a TZID (and so needs a VTIMEZONE)."""
    return type(value) is dt.datetime and not _zone(value.tzinfo)[0]


def _stamp(value):
    # 20260304T050607 from 2026-03-04T05:06:07+01:00: isoformat is the fastest formatter.
    iso = value.isoformat(timespec="seconds")
    return f"{iso[:4]}{iso[5:7]}{iso[8:13]}{iso[14:16]}{iso[17:19]}"


def content_line(name, value, params=None):
    """One unfolded content line `NAME;PARAM=...:value` (RFC 5545 §3.1), without CRLF."""
    head = name
    if params:
        head += "".join(f";{key}={param_value(text)}" for key, text in params.items())
    kind = type(value)
    if kind is str:
        return f"{head}:{escape_text(value)}"
    if kind is dt.datetime:
        utc, tzid = _zone(value.tzinfo)
        return f"{head}:{_stamp(value)}Z" if utc else f"{head};TZID={tzid}:{_stamp(value)}"
    if kind is Uri or kind is CalAddress or kind is int:
        return f"{head}:{value}"
    if kind is dt.timedelta:
        return f"{head}:{vDuration(value).to_ical().decode()}"
    return f"{head}:{value.to_ical().decode()}"  # vRecur: a handful per feed


def fold(line):
    """RFC 5545 §3.1 folding exactly as icalendar does it: pieces of at most 74 octets (75 with
    the leading space of a continuation), never splitting a UTF-8 sequence, and never ending
    a piece on a backslash or caret (some clients misread an escape split by a fold)."""
    if line.isascii():
        if len(line) < 75:
            return line
        data = line
    else:
        data = line.encode()
        if len(data) < 75:
            return line
    pieces, start, length = [], 0, len(data)
    # Octet values for a str and for bytes alike: ord() of a character, or the byte.
    octet = ord if type(data) is str else int
    while length - start >= 75:
        end = start + 74
        while octet(data[end]) & 0xC0 == 0x80:  # inside a UTF-8 sequence: cut before it
            end -= 1
        if octet(data[end - 1]) in (0x5C, 0x5E) and end - 1 > start:  # a backslash or caret
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    if type(data) is str:
        return "\r\n ".join(pieces)
    return "\r\n ".join(piece.decode() for piece in pieces)


def _lines(props):
    return "".join(fold(content_line(*prop)) + "\r\n" for prop in props)


# icalendar writes a VEVENT's properties in its canonical order, then the others by name;
# so does write_event (clients do not care, the byte-for-byte tests against icalendar do).
_ORDER = {name: n for n, name in enumerate(Event.canonical_order)}


def _order(prop):
    name = prop[0]
    position = _ORDER.get(name)
    return (0, position, "") if position is not None else (1, 0, name)


def write_event(props):
    """One VEVENT as text, CRLF-terminated, its properties in icalendar's order."""
    return "BEGIN:VEVENT\r\n" + _lines(sorted(props, key=_order)) + "END:VEVENT\r\n"


def write_calendar(props, timezones, events):
    """The VCALENDAR as bytes: its properties, the VTIMEZONEs (before the events), the events.

    `props` as above, `timezones` icalendar Timezone components (written by icalendar: they
    hold no user text), `events` VEVENTs already written by write_event.
    """
    head = "BEGIN:VCALENDAR\r\n" + _lines(props)
    zones = b"".join(zone.to_ical() for zone in timezones)
    return head.encode() + zones + "".join(events).encode() + b"END:VCALENDAR\r\n"
