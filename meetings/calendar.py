"""iCalendar feeds of meetings, built so Google, Outlook, Apple and Thunderbird agree.

The rules and their reasons are in ICAL.md (the project's calendar checklist); in short:

- a series is ONE master VEVENT with an RRULE, anchored in the series' IANA zone (TZID), with a
  VTIMEZONE we build ourselves in the RRULE form (icalendar's own is an RDATE list that ical.js,
  the parser in Thunderbird, misreads after its first year);
- an occurrence that is moved, or that has its own page (agenda, minutes), is an override with
  the master's UID and a RECURRENCE-ID written exactly like the master's DTSTART; a cancelled
  occurrence is an EXDATE on the master, in that same form;
- a one-off meeting is its own VEVENT; a cancelled one-off stays, with STATUS:CANCELLED and the
  SEQUENCE its cancellation raised (so subscribers see it cancelled instead of keeping it);
- every byte comes from the data (DTSTAMP/LAST-MODIFIED are the rows' `updated`), so two
  requests with no change in between return the same bytes, and the HTTP validators
  (feed_validator) come from two columns of Committee that every change bumps.
"""

import dataclasses
import datetime as dt
import functools
import hashlib
import re
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Sum
from django.db.models.signals import post_delete, post_save
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vDuration,
    vRecur,
)
from icalendar.timezone.tzid import is_utc, tzid_from_dt

from participants.models import Committee, Visibility

from .models import Meeting, MeetingSeries, Recording

PRODID = "-//MWI//Committee meetings//EN"
SITE_FEED_NAME = "MWI – all committees' meetings"
# How often subscribers should refetch (REFRESH-INTERVAL and X-PUBLISHED-TTL say the same).
REFRESH = dt.timedelta(hours=1)
# Changes whenever this module's output for the same data changes, so caches keyed on the ETag
# don't keep a feed built by an older release.
FORMAT_VERSION = "2"
# VTIMEZONEs are derived from zoneinfo up to at least this year; a rule still in force then is
# written as an open-ended RRULE (zoneinfo continues it the same way from its POSIX rule).
TZ_HORIZON_YEAR = 2037
MENTION_MARKUP_RE = re.compile(r"(?<![\w@.])@\[([^\]\n]{1,200})\]")
# The feed is public: an address typed into an agenda is replaced, never published.
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


# ---------------------------------------------------------------------------------------------
# What the feed contains, independently of iCalendar: the app's own list of occurrences.


@dataclasses.dataclass(frozen=True)
class Occurrence:
    """One meeting as a calendar shows it: a series occurrence (maybe with a row) or a one-off."""

    start: dt.datetime  # aware, UTC
    end: dt.datetime
    title: str
    uid: str
    recurrence_id: dt.datetime | None  # UTC original start, for series occurrences
    meeting: Meeting | None = None


# Placeholders in the meeting page URL template (FeedData.page_url); no real URL contains them.
_DAY_MARK = dt.date(1111, 11, 11)
_PK_MARK = 987654321987


@dataclasses.dataclass
class FeedData:
    """Everything a feed needs, loaded in a fixed number of queries (see load_feed_data)."""

    committees: dict
    series: list
    meetings: list
    recordings: dict  # meeting pk -> [Recording]

    def rows_of(self, series):
        return self._rows_by_series.get(series.pk, [])

    @functools.cached_property
    def _rows_by_series(self):
        grouped = defaultdict(list)
        for meeting in self.meetings:
            if meeting.series_id:
                grouped[meeting.series_id].append(meeting)
        return grouped

    @functools.cached_property
    def series_by_pk(self):
        return {s.pk: s for s in self.series}

    @functools.cached_property
    def occurrence_sets(self):
        """Per series, the rule's starts (UTC) over the span of its rows' original starts."""
        result = {}
        for series in self.series:
            rows = self.rows_of(series)
            if not rows:
                result[series.pk] = set()
                continue
            low = min(m.original_start for m in rows)
            high = max(m.original_start for m in rows)
            starts = series.occurrence_starts(low, high + dt.timedelta(seconds=1))
            result[series.pk] = {s.replace(microsecond=0) for s in starts}
        return result

    @functools.cached_property
    def _page_template(self):
        """The meeting page's absolute URL with placeholders: one reverse() per feed, not one
        per meeting (reverse() was a quarter of the build time at 10,000 meetings)."""
        try:
            path = reverse("meetings:detail", kwargs={"day": _DAY_MARK, "pk": _PK_MARK})
        except NoReverseMatch:
            return None
        return absolute(path)

    def page_url(self, meeting):
        """meeting_url(meeting), from the template."""
        template = self._page_template
        if template is None:
            return meeting_url(meeting)
        day = meeting.start.astimezone(self.committees[meeting.committee_id].tz).date()
        return template.replace(_DAY_MARK.isoformat(), day.isoformat()).replace(
            str(_PK_MARK), str(meeting.pk)
        )

    def is_override(self, meeting):
        """Whether a series row can be written as an override of its master (else a one-off).

        A row whose original start is not (or no longer) one of the rule's occurrences would
        point its RECURRENCE-ID at nothing; clients then drop or duplicate it, so it is written
        as a meeting of its own instead.
        """
        return (
            meeting.series_id in self.series_by_pk
            and meeting.original_start.replace(microsecond=0)
            in self.occurrence_sets[meeting.series_id]
        )


def load_feed_data(committee=None):
    """Series, meetings and recordings of one committee (or all): 4 queries.

    1. committees  2. series  3. meetings  4. recordings (one join query, not a per-row look-up
    and not an IN list of thousands of ids).
    """
    committees = Committee.objects.all() if committee is None else [committee]
    committees = {c.pk: c for c in committees}
    series = MeetingSeries.objects.order_by("first_date", "pk")
    # The feed never reads minutes or rendered HTML: leaving them in the database halves the
    # time to load 10,000 meetings.
    meetings = Meeting.objects.order_by("start", "pk").defer(
        "minutes", "minutes_html", "agenda_html", "unresolved_mentions", "created"
    )
    # Rows, not model instances: the description reads .url and .file (a path) only.
    recordings = Recording.objects.order_by("pk").values_list(
        "meeting_id", "url", "file", named=True
    )
    if committee is not None:
        series = series.filter(committee=committee)
        meetings = meetings.filter(committee=committee)
        recordings = recordings.filter(meeting__committee=committee)
    series = list(series)
    series_by_pk = {s.pk: s for s in series}
    meetings = list(meetings)
    for item in [*series, *meetings]:
        # Fill the relations from what is loaded: URLs and zones need them, per row queries not.
        item.committee = committees[item.committee_id]
    for meeting in meetings:
        if meeting.series_id in series_by_pk:
            meeting.series = series_by_pk[meeting.series_id]
    by_meeting = defaultdict(list)
    for recording in recordings:
        by_meeting[recording.meeting_id].append(recording)
    return FeedData(committees, series, meetings, by_meeting)


def occurrences(data, after, before):
    """The app's own list of meetings starting in [after, before), ordered by start.

    This is what the feed must expand to in every client; the tests compare the two.
    """
    result = []
    for series in data.series:
        rows = {m.original_start.replace(microsecond=0): m for m in data.rows_of(series)}
        uid = str(series.uid)
        for start in series.occurrence_starts(after - dt.timedelta(days=366), before):
            row = rows.get(start)
            if row is None:
                if after <= start < before:
                    result.append(
                        Occurrence(start, start + series.duration, series.title, uid, start)
                    )
            elif not row.is_cancelled and after <= row.start < before:
                result.append(Occurrence(row.start, row.end, row.title, uid, start, row))
    for meeting in data.meetings:
        if (meeting.series_id and data.is_override(meeting)) or meeting.is_cancelled:
            continue
        if after <= meeting.start < before:
            result.append(
                Occurrence(
                    meeting.start, meeting.end, meeting.title, str(meeting.uid), None, meeting
                )
            )
    result.sort(key=lambda o: (o.start, o.uid))
    return result


# ---------------------------------------------------------------------------------------------
# VTIMEZONE in the RRULE form, derived from zoneinfo.


@dataclasses.dataclass(frozen=True)
class _Transition:
    instant: dt.datetime  # UTC
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    is_dst: bool
    name: str

    @property
    def local_start(self):
        # RFC 5545: an observance's DTSTART is the wall-clock time before the change.
        return (self.instant + self.offset_from).replace(tzinfo=None)

    def signature(self):
        """What a yearly RRULE must keep constant: month, nth weekday, time and offsets."""
        local = self.local_start
        days_in_month = (local.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        days_in_month = (days_in_month - dt.timedelta(days=1)).day
        nth = -1 if local.day + 7 > days_in_month else (local.day - 1) // 7 + 1
        return (
            local.month,
            nth,
            local.weekday(),
            local.time(),
            self.offset_from,
            self.offset_to,
            self.is_dst,
            self.name,
        )


def _state(tz, instant):
    local = instant.astimezone(tz)
    return local.utcoffset(), bool(local.dst()), local.tzname()


@functools.lru_cache(maxsize=64)
def _transitions(zone, first_year, last_year):
    """Every change of offset or name of `zone` within the years, found by a daily scan."""
    tz = zoneinfo.ZoneInfo(zone)
    day = dt.timedelta(days=1)
    instant = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    state = _state(tz, instant)
    found = []
    while instant < end:
        following = instant + day
        new_state = _state(tz, following)
        if new_state != state:
            low, high = instant, following  # state(low) == old, state(high) == new
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _state(tz, middle) == state:
                    low = middle
                else:
                    high = middle
            found.append(_Transition(high, state[0], new_state[0], new_state[1], new_state[2]))
            state = new_state
        instant = following
    return tuple(found)


def vtimezone(zone, first_year, last_year):
    """A VTIMEZONE for `zone` valid from `first_year` on, with one RRULE per rule period.

    For a zone whose rule has not changed since `first_year` (America/New_York since 2007,
    Europe/Berlin since 1996) that is exactly one STANDARD and one DAYLIGHT, each with an
    RRULE. A zone that changed its rule gets one observance per period (the earlier ones with
    UNTIL); a one-time change is an observance without RRULE.
    """
    last_year = max(last_year, TZ_HORIZON_YEAR)
    scan_from = first_year - 1  # so the first event is covered by an observance already begun
    transitions = _transitions(zone, scan_from, last_year)
    component = Timezone()
    component.add("tzid", zone)
    if not transitions or transitions[0].instant.year > scan_from:
        # Nothing changed in the first year scanned: one observance from its start.
        tz = zoneinfo.ZoneInfo(zone)
        start = dt.datetime(scan_from, 1, 1, tzinfo=dt.UTC)
        offset, is_dst, name = _state(tz, start)
        sub = TimezoneDaylight() if is_dst else TimezoneStandard()
        sub.add("dtstart", (start + offset).replace(tzinfo=None))
        sub.add("tzoffsetfrom", offset)
        sub.add("tzoffsetto", offset)
        sub.add("tzname", name)
        component.add_component(sub)
    groups = []
    for kind in (False, True):
        group = []
        for transition in (t for t in transitions if t.is_dst == kind):
            if (
                group
                and transition.signature() == group[-1].signature()
                and transition.instant.year == group[-1].instant.year + 1
            ):
                group.append(transition)
            else:
                if group:
                    groups.append(group)
                group = [transition]
        if group:
            groups.append(group)
    for group in sorted(groups, key=lambda g: g[0].instant):
        first = group[0]
        sub = TimezoneDaylight() if first.is_dst else TimezoneStandard()
        sub.add("dtstart", first.local_start)
        if len(group) > 1:
            month, nth, weekday, *_ = first.signature()
            rule = {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": f"{nth}{_DAYS[weekday]}"}
            if group[-1].instant.year < last_year:
                rule["UNTIL"] = group[-1].instant
            sub.add("rrule", vRecur(rule))
        sub.add("tzoffsetfrom", first.offset_from)
        sub.add("tzoffsetto", first.offset_to)
        sub.add("tzname", first.name)
        component.add_component(sub)
    return component


_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


# ---------------------------------------------------------------------------------------------
# Building the VCALENDAR.
#
# An event is first a list of (NAME, value) properties whose values are Python objects: str is
# TEXT, _Uri a URI, int, an aware datetime (UTC: written with Z; else with its TZID), vRecur.
# Two writers turn such a list into bytes:
# - icalendar (event_component, then Component.to_ical): the one-event .ics downloads, and the
#   reference the tests compare the fast writer with;
# - write_event below, for the feeds. Why our own: icalendar's to_ical costs ~0.5 ms per event
#   (it builds Parameters, vDDDTypes and Contentline objects and folds character by
#   character), 5 s for the 10,000-meeting site feed against a budget of 1 s; write_event
#   takes ~15 µs. tests/calendar/test_writer.py proves both write the same bytes, so every
#   rule below (escaping, folding, TZID forms, property order) is icalendar's own.


class _Uri(str):
    """A URI value (URL): written as is, never TEXT-escaped (icalendar's vUri)."""

    __slots__ = ()


# How much of an agenda a meeting that has its record (public minutes or a recording) still
# carries: the minutes page holds the rest, and whole agendas of years of meetings made most
# of the feed's bytes.
AGENDA_SUMMARY_CHARS = 280


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def _utc(value):
    return value.astimezone(dt.UTC).replace(microsecond=0)


def _local(value, tz):
    """An aware datetime in `tz`, whole seconds: written as `DTSTART;TZID=<zone>:...`."""
    return value.astimezone(tz).replace(microsecond=0)


def _clean_text(text):
    """User text for a TEXT value: CR/LF normalised, mentions as plain names, no e-mails."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if "@" in text:  # both patterns need one; most texts have none (saves two scans)
        text = MENTION_MARKUP_RE.sub(r"\1", text)
        text = EMAIL_RE.sub("(e-mail address hidden)", text)
    return text.strip()


def _summary(text):
    """The first AGENDA_SUMMARY_CHARS characters of `text`, cut at a space, with an ellipsis."""
    if len(text) <= AGENDA_SUMMARY_CHARS:
        return text
    head = text[:AGENDA_SUMMARY_CHARS]
    cut = max(head.rfind(" "), head.rfind("\n"))
    return (head[:cut] if cut > AGENDA_SUMMARY_CHARS // 2 else head).rstrip() + " …"


def meeting_url(meeting):
    """The meeting's page, absolute. Falls back to the committee page while no page exists."""
    try:
        return absolute(meeting.get_absolute_url())
    except NoReverseMatch:
        return absolute(meeting.committee.get_absolute_url())


def _join_url(committee, *candidates):
    """The join link if the committee publishes it (the feed is public), else empty."""
    if committee.join_visibility != Visibility.PUBLIC:
        return ""
    return next((url for url in (*candidates, committee.join_url) if url), "")


def _meeting_description(meeting, recordings, join_url, page):
    """Agenda, then links. A meeting with its record (public minutes or a recording) is an
    entry in the committee's history: a short agenda summary and the links to the record; the
    whole agenda stays while the meeting is still ahead (or not yet written up)."""
    links = []
    if meeting.minutes_are_public:
        links.append(f"Minutes: {page}")
    for recording in recordings:
        if recording.url:
            links.append(f"Recording: {recording.url}")
        elif recording.file:
            # The page, not the file: storage URLs may be signed and expire.
            links.append(f"Recording: {page}")
    if join_url and not meeting.is_cancelled:
        links.append(f"Join: {join_url}")
    if not any(link.endswith(f": {page}") for link in links):
        links.append(f"Meeting page: {page}")
    links = "\n".join(links)
    agenda = _clean_text(meeting.agenda)
    if not agenda:
        return links
    if meeting.minutes_are_public or recordings:
        agenda = _summary(agenda)
    return f"Agenda:\n{agenda}\n\n{links}"


def _common(props, *, summary, description, url, location, sequence, changed):
    changed = _utc(changed)
    props += [
        ("SUMMARY", _clean_text(summary)),
        ("DESCRIPTION", description),
        ("URL", _Uri(url)),
        ("SEQUENCE", sequence),
        ("DTSTAMP", changed),
        ("LAST-MODIFIED", changed),
    ]
    if location:
        props.append(("LOCATION", _clean_text(location)))
    props.sort(key=_order)  # the order icalendar writes, which write_event keeps
    return props


def master_props(series, data):
    """The series' master VEVENT: RRULE, and an EXDATE per cancelled occurrence."""
    committee = data.committees[series.committee_id]
    tz = series.tz
    rule = series._rule()
    first = next(iter(rule), None)
    if first is None:
        return None
    start = first.replace(tzinfo=tz)
    recur = {"FREQ": "WEEKLY", "INTERVAL": series.interval_weeks, "BYDAY": _DAYS[series.weekday]}
    if series.until:
        # The last occurrence's start in UTC (RFC 5545: UNTIL is UTC when DTSTART has a TZID).
        recur["UNTIL"] = _utc(rule[-1].replace(tzinfo=tz))
    props = [
        ("UID", str(series.uid)),
        ("DTSTART", start),
        ("DTEND", start + series.duration),
        ("RRULE", vRecur(recur)),
    ]
    for row in data.rows_of(series):
        if row.is_cancelled and data.is_override(row):
            props.append(("EXDATE", _local(row.original_start, tz)))
    join = _join_url(committee, series.join_url)
    page = absolute(committee.get_absolute_url())
    description = f"{committee.name}: {series.describe()}."
    if join:
        description += f"\nJoin: {join}"
    description += f"\nCommittee page: {page}"
    return _common(
        props,
        summary=series.title,
        description=description,
        url=page,
        location=series.location or join,
        sequence=series.sequence,
        changed=series.updated,
    )


def meeting_props(meeting, data, page=None, override=None):
    """A meeting row's VEVENT: an override of its series' master, or a one-off."""
    committee = data.committees[meeting.committee_id]
    series = data.series_by_pk.get(meeting.series_id)
    if override is None:
        override = series is not None and data.is_override(meeting)
    page = page or data.page_url(meeting)
    if override:
        tz = series.tz
        props = [
            ("UID", str(series.uid)),
            ("RECURRENCE-ID", _local(meeting.original_start, tz)),
        ]
        sequence = max(meeting.sequence, series.sequence)
        changed = max(meeting.updated, series.updated)
        join = _join_url(committee, meeting.join_url, series.join_url)
        location = series.location or join
    else:
        tz = committee.tz
        props = [("UID", str(meeting.uid))]
        sequence, changed = meeting.sequence, meeting.updated
        join = _join_url(committee, meeting.join_url, series.join_url if series else "")
        location = (series.location if series else "") or join
    if meeting.is_cancelled:
        join = location = ""
        props.append(("STATUS", "CANCELLED"))
    props += [("DTSTART", _local(meeting.start, tz)), ("DTEND", _local(meeting.end, tz))]
    return _common(
        props,
        summary=meeting.title,
        description=_meeting_description(meeting, data.recordings.get(meeting.pk, ()), join, page),
        url=page,
        location=location,
        sequence=sequence,
        changed=changed,
    )


def event_component(props):
    """The icalendar Event of a property list (see the comment above _Uri)."""
    event = Event()
    for name, value in props:
        event.add(name, value)
    return event


# icalendar writes a VEVENT's properties in its canonical order, then the others by name.
_ORDER = {name: n for n, name in enumerate(Event.canonical_order)}


def _order(prop):
    name = prop[0]
    position = _ORDER.get(name)
    return (0, position, "") if position is not None else (1, 0, name)


_ZONES = {}


def _zone(tzinfo):
    """(is UTC, TZID) of a tzinfo as icalendar decides them, once per zone."""
    found = _ZONES.get(tzinfo)
    if found is None:
        sample = dt.datetime(2000, 1, 1, tzinfo=tzinfo)
        found = _ZONES[tzinfo] = (is_utc(sample), tzid_from_dt(sample))
    return found


def _text(value):
    # icalendar's TEXT escaping, in its order (its first step turns a typed "\N" into a line
    # break; kept so both writers agree byte for byte).
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _stamp(value):
    # 20260304T050607 from 2026-03-04T05:06:07+01:00: isoformat is the fastest formatter.
    iso = value.isoformat(timespec="seconds")
    return f"{iso[:4]}{iso[5:7]}{iso[8:13]}{iso[14:16]}{iso[17:19]}"


def _content_line(name, value):
    kind = type(value)
    if kind is str:
        return f"{name}:{_text(value)}"
    if kind is dt.datetime:
        utc, tzid = _zone(value.tzinfo)
        return f"{name}:{_stamp(value)}Z" if utc else f"{name};TZID={tzid}:{_stamp(value)}"
    if kind is _Uri or kind is int:
        return f"{name}:{value}"
    return f"{name}:{value.to_ical().decode()}"  # vRecur: a handful per feed


def _octets(char):
    code = ord(char)
    return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4


def fold(line):
    """RFC 5545 folding exactly as icalendar does it: pieces of at most 74 octets (75 with
    the leading space of a continuation), never splitting a UTF-8 sequence, and never ending
    a piece on a backslash or caret (some clients misread an escape split by a fold)."""
    if len(line) < 75 and line.isascii():
        return line
    pieces = []
    if line.isascii():
        start, length = 0, len(line)
        while length - start >= 75:
            end = start + 74
            if line[end - 1] in "\\^":
                end -= 1
            pieces.append(line[start:end])
            start = end
        pieces.append(line[start:])
        return "\r\n ".join(pieces)
    current, count = [], 0
    for char in line:
        size = _octets(char)
        if current and count + size >= 75:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                pieces.append("".join(current))
                current, count = [carried], 1
            else:
                pieces.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += size
    if current:
        pieces.append("".join(current))
    return "\r\n ".join(pieces)


def write_event(props):
    """One VEVENT as text, CRLF-terminated, byte for byte what icalendar writes for it."""
    lines = [fold(_content_line(name, value)) for name, value in props]
    return "BEGIN:VEVENT\r\n" + "\r\n".join(lines) + "\r\nEND:VEVENT\r\n"


def _calendar(name=None):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("name", name)
        cal.add("x-wr-calname", name)
        cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(REFRESH))
    return cal


def _add_timezones(cal, events):
    """A VTIMEZONE for every zone the events use, valid for all their years."""
    years = defaultdict(set)
    for props in events:
        for name, value in props:
            if name in _ZONED and not _zone(value.tzinfo)[0]:
                years[str(value.tzinfo)].add(value.year)
    for zone in sorted(years):
        cal.add_component(vtimezone(zone, min(years[zone]), max(years[zone])))


_ZONED = frozenset(("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE"))
_END = b"END:VCALENDAR\r\n"


def _finish(cal, events, *, fast=True):
    """The VCALENDAR: its properties, the VTIMEZONEs (before the events), the events.

    The header and VTIMEZONEs are icalendar's; the events are written by write_event (fast)
    or by icalendar (the reference, and for one-event downloads).
    """
    _add_timezones(cal, events)
    if not fast:
        for props in events:
            cal.add_component(event_component(props))
        return cal.to_ical()
    head = cal.to_ical()
    assert head.endswith(_END)
    body = "".join(write_event(props) for props in events)
    return head[: -len(_END)] + body.encode() + _END


def feed_events(data):
    """Masters with their overrides (series by first date), then one-offs by start."""
    events = []
    for series in data.series:
        master = master_props(series, data)
        if master is None:
            continue
        events.append(master)
        for row in sorted(data.rows_of(series), key=lambda m: (m.original_start, m.pk)):
            if data.is_override(row) and not row.is_cancelled:
                events.append(meeting_props(row, data, override=True))
    for meeting in data.meetings:
        if not (meeting.series_id and data.is_override(meeting)):
            events.append(meeting_props(meeting, data, override=False))
    return events


def feed_bytes(committee=None, *, fast=True):
    """The whole feed of one committee (or of the site): 4 queries, then pure computation."""
    data = load_feed_data(committee)
    name = committee.name if committee else SITE_FEED_NAME
    return _finish(_calendar(name), feed_events(data), fast=fast)


def meeting_bytes(meeting):
    """A single meeting's .ics: the same UID, SEQUENCE and RECURRENCE-ID as in the feed.

    A cancelled occurrence of a series is an EXDATE in the feed; on its own it is written
    as its override with STATUS:CANCELLED, which is how a client updates its copy.
    """
    committee = meeting.committee
    series = meeting.series
    data = FeedData(
        {committee.pk: committee},
        [series] if series else [],
        [meeting],
        {meeting.pk: list(meeting.recordings.all())},
    )
    return _finish(_calendar(), [meeting_props(meeting, data)], fast=False)


def occurrence_bytes(series, original_start):
    """A .ics for a series occurrence that has no row yet: an override equal to the rule."""
    meeting = Meeting(
        committee=series.committee,
        series=series,
        original_start=original_start,
        start=original_start,
        end=original_start + series.duration,
        title=series.title,
        created=series.created,
        updated=series.updated,
        sequence=series.sequence,
    )
    data = FeedData({series.committee_id: series.committee}, [series], [meeting], {})
    # No page of its own yet: the committee's page stands in.
    page = absolute(series.committee.get_absolute_url())
    return _finish(_calendar(), [meeting_props(meeting, data, page=page)], fast=False)


# ---------------------------------------------------------------------------------------------
# HTTP validators, from two columns every change bumps.


def feed_validator(committee=None):
    """(ETag, Last-Modified) of a feed without reading a meeting: 1 query for the site feed,
    none for a committee already loaded (its row carries calendar_version/calendar_changed)."""
    if committee is not None:
        parts = (committee.pk, committee.updated, committee.calendar_version, 1)
        changed = [committee.updated, committee.calendar_changed]
    else:
        agg = Committee.objects.aggregate(
            updated=Max("updated"),
            changed=Max("calendar_changed"),
            version=Sum("calendar_version"),
            count=Count("pk"),
        )
        parts = (agg["updated"], agg["changed"], agg["version"], agg["count"])
        changed = [agg["updated"], agg["changed"]]
    key = "|".join(str(p) for p in (FORMAT_VERSION, settings.SITE_URL, *parts))
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    known = [c for c in changed if c is not None]
    return etag, max(known) if known else None


def bump(committee_id):
    """Note that a committee's calendar changed (feeds get a new ETag and Last-Modified)."""
    if committee_id is not None:
        Committee.objects.filter(pk=committee_id).update(
            calendar_version=F("calendar_version") + 1, calendar_changed=timezone.now()
        )


def _on_series_or_meeting_change(sender, instance, **kwargs):
    bump(instance.committee_id)


def _on_meeting_delete(sender, instance, **kwargs):
    # A deleted cancelled row removes an EXDATE, a deleted moved row an override: both change
    # the master, so its SEQUENCE rises as for a cancellation.
    if instance.series_id and (instance.is_cancelled or instance.is_moved):
        MeetingSeries.objects.filter(pk=instance.series_id).update(
            sequence=F("sequence") + 1, updated=timezone.now()
        )
    bump(instance.committee_id)


def _on_recording_change(sender, instance, **kwargs):
    # Past meetings' descriptions link their recordings.
    committee_id = (
        Meeting.objects.filter(pk=instance.meeting_id)
        .values_list("committee_id", flat=True)
        .first()
    )
    bump(committee_id)


def connect_signals():
    """Keep the feeds' validators current; called from MeetingsConfig.ready().

    Signals (not save()) because admin bulk deletes and cascades call no delete() method.
    """
    for model in (MeetingSeries, Meeting):
        post_save.connect(_on_series_or_meeting_change, sender=model, dispatch_uid=f"cal-{model}")
    post_delete.connect(_on_series_or_meeting_change, sender=MeetingSeries, dispatch_uid="cal-sd")
    post_delete.connect(_on_meeting_delete, sender=Meeting, dispatch_uid="cal-md")
    post_save.connect(_on_recording_change, sender=Recording, dispatch_uid="cal-rs")
    post_delete.connect(_on_recording_change, sender=Recording, dispatch_uid="cal-rd")


# ---------------------------------------------------------------------------------------------
# Changing a series' time from a date on.


class SplitError(ValueError):
    """The split cannot be made as asked (the message says why, for the admin form)."""


def split_series(series, from_date, *, start_time, duration=None):
    """Change a series' time from `from_date` on: the old master ends, a new one begins.

    The old series keeps every occurrence before `from_date` (its UNTIL is set to the day
    before); a new series (new UID, previous=old) continues the same cadence at the new time.
    Occurrence rows on or after the date move to the new series: their original start becomes
    the new rule's, an occurrence that was not moved follows the new time, a moved one keeps
    the time it was moved to, a cancelled one stays cancelled. Nothing is duplicated or lost.
    Returns the new series. One transaction.
    """
    duration = duration or series.duration
    tz = series.tz
    if from_date <= series.first_date:
        raise SplitError(
            "Pick a date after the series' first meeting; to change every meeting, "
            "edit the series itself."
        )
    if hasattr(series, "continued_by"):
        raise SplitError("This series already continues as another one; change that one instead.")
    first_new = series._rule().after(dt.datetime.combine(from_date, dt.time.min), inc=True)
    if first_new is None:
        raise SplitError("The series has no meeting on or after that date.")
    with transaction.atomic():
        new = MeetingSeries.objects.create(
            committee=series.committee,
            title=series.title,
            interval_weeks=series.interval_weeks,
            weekday=series.weekday,
            start_time=start_time,
            time_zone=series.time_zone,
            duration=duration,
            first_date=first_new.date(),
            until=series.until,
            join_url=series.join_url,
            location=series.location,
            previous=series,
        )
        boundary = dt.datetime.combine(from_date, dt.time.min, tzinfo=tz)
        for row in series.meetings.filter(original_start__gte=boundary).order_by("original_start"):
            original = dt.datetime.combine(
                row.original_start.astimezone(tz).date(), start_time, tzinfo=tz
            ).astimezone(dt.UTC)
            if not row.is_moved:
                row.start, row.end = original, original + duration
            row.series, row.original_start = new, original
            row.save()
        series.until = from_date - dt.timedelta(days=1)
        series.save()
    return new
