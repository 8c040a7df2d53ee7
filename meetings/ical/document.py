"""What a feed or a one-meeting .ics says: the data and the properties of each VEVENT.

The rules and their reasons are in docs/calendar.md; in short:

- a series is ONE master VEVENT with an RRULE, anchored in the series' IANA zone (TZID), with a
  VTIMEZONE in the RRULE form (meetings.ical.vtimezone);
- an occurrence that is moved, or that has its own page (agenda, minutes), is an override with
  the master's UID and a RECURRENCE-ID carrying the value the RRULE generates for it (also on
  a day whose wall-clock time the zone skips); a cancelled occurrence is an EXDATE on the
  master, in that same form, and its date and reason are lines of the master's DESCRIPTION;
- a one-off meeting is its own VEVENT; a cancelled one-off stays, with STATUS:CANCELLED,
  TRANSP:TRANSPARENT, "Cancelled: " before its SUMMARY, the reason first in its DESCRIPTION,
  and the SEQUENCE its cancellation raised (so subscribers see it cancelled, and why);
- every byte comes from the data (DTSTAMP/LAST-MODIFIED are the rows' `updated`), so two
  requests with no change in between return the same bytes; the object carries no METHOD
  (docs/calendar.md, "No METHOD").

Absolute URLs start with the site's base URL (`base_url`, mwi.lib.site.site_url: SITE_URL, or
the request's own scheme and host), which every function here takes explicitly.
"""

import dataclasses
import datetime as dt
import functools
import re
from collections import defaultdict

from dateutil.rrule import weekdays
from django.conf import settings
from django.urls import reverse
from icalendar import vRecur

from mwi.lib.addresses import redact_addresses
from participants import access
from participants.models import Committee

from ..models import Meeting, MeetingSeries, Recording
from ..occurrences import join_url_for
from . import writer
from .vtimezone import vtimezone

# How often subscribers should refetch (REFRESH-INTERVAL and X-PUBLISHED-TTL say the same).
REFRESH = dt.timedelta(hours=1)
MENTION_MARKUP_RE = re.compile(r"(?<![\w@.])@\[([^\]\n]{1,200})\]")
# How much of an agenda a meeting that has its record (public minutes or a recording) still
# carries: the minutes page holds the rest, and whole agendas of years of meetings made most
# of the feed's bytes.
AGENDA_SUMMARY_CHARS = 280
# Placeholders in the meeting page URL template (FeedData.page_url); no real URL contains them.
_DAY_MARK = dt.date(1111, 11, 11)
_PK_MARK = 987654321987
# Properties whose datetimes carry a TZID, and so need a VTIMEZONE.
_ZONED = frozenset(("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE"))


@dataclasses.dataclass
class FeedData:
    """Everything a feed needs, loaded in a fixed number of queries (see load_feed_data).

    `base_url` is the site's address without a trailing slash ("https://example.org").
    """

    committees: dict
    series: list
    meetings: list
    recordings: dict  # meeting pk -> [Recording]
    base_url: str

    def absolute(self, path):
        return f"{self.base_url}{path}"

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
    def rule_values(self):
        """Per series, {UTC start: the wall-clock value the RRULE generates for it}, over the
        span of its rows' original starts.

        The two differ on a day the zone skips the rule's time: weekly at 02:30 New York
        generates 20260308T023000 on the spring-forward day, an instant whose wall clock reads
        03:30 (RFC 5545 §3.3.5 reads the skipped time with the offset before the gap, as
        zoneinfo's fold=0 does). RECURRENCE-ID and EXDATE must carry the generated value.
        """
        result = {}
        for series in self.series:
            rows = self.rows_of(series)
            if not rows:
                result[series.pk] = {}
                continue
            tz = series.tz
            day = dt.timedelta(days=1)
            low = min(m.original_start for m in rows).astimezone(tz).replace(tzinfo=None) - day
            high = max(m.original_start for m in rows).astimezone(tz).replace(tzinfo=None) + day
            result[series.pk] = {
                local.replace(tzinfo=tz).astimezone(dt.UTC): local.replace(tzinfo=tz)
                for local in series.rule(near=low.date()).between(low, high, inc=True)
            }
        return result

    def recurrence_id(self, meeting):
        """The RECURRENCE-ID (or EXDATE) of a series row: the rule's own value, in its zone."""
        return self.rule_values[meeting.series_id][meeting.original_start.replace(microsecond=0)]

    @functools.cached_property
    def _page_template(self):
        """The meeting page's absolute URL with placeholders: one reverse() per feed, not one
        per meeting (reverse() was a quarter of the build time at 10,000 meetings)."""
        return self.absolute(reverse("meetings:detail", kwargs={"day": _DAY_MARK, "pk": _PK_MARK}))

    def page_url(self, meeting):
        """The meeting's page, absolute (Meeting.get_absolute_url, from the template)."""
        day = meeting.start.astimezone(self.committees[meeting.committee_id].tz).date()
        return self._page_template.replace(_DAY_MARK.isoformat(), day.isoformat()).replace(
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
            and meeting.original_start.replace(microsecond=0) in self.rule_values[meeting.series_id]
        )


def load_feed_data(committee, base_url):
    """Series, meetings and recordings of one committee (or all, for None): 4 queries.

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
    return FeedData(committees, series, meetings, by_meeting, base_url)


def _utc(value):
    return value.astimezone(dt.UTC).replace(microsecond=0)


def _local(value, tz):
    """An aware datetime in `tz`, whole seconds: written as `DTSTART;TZID=<zone>:...`.

    In UTC instead when `tz`'s clock shows that time twice (the hour a fall-back repeats): the
    TZID form names only the first of the two (RFC 5545 §3.3.5), and ical.js reads it as the
    second, so only UTC says the same instant to every client.
    """
    local = value.astimezone(tz).replace(microsecond=0)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return local.astimezone(dt.UTC)
    return local


def _clean_text(text):
    """User text for a TEXT value: CR/LF normalised, mentions as plain names, no e-mails."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if "@" in text:  # the pattern needs one; most texts have none (saves a scan)
        text = MENTION_MARKUP_RE.sub(r"\1", text)
    text = redact_addresses(text, reveal=False)  # the feed is public
    return text.strip()


def _summary(text):
    """The first AGENDA_SUMMARY_CHARS characters of `text`, cut at a space, with an ellipsis."""
    if len(text) <= AGENDA_SUMMARY_CHARS:
        return text
    head = text[:AGENDA_SUMMARY_CHARS]
    cut = max(head.rfind(" "), head.rfind("\n"))
    return (head[:cut] if cut > AGENDA_SUMMARY_CHARS // 2 else head).rstrip() + " …"


def _meeting_description(meeting, recordings, join_url, page):
    """Agenda, then links. A meeting with its record (public minutes or a recording) is an
    entry in the committee's history: a short agenda summary and the links to the record; the
    whole agenda stays while the meeting is still ahead (or not yet written up)."""
    links = []
    if meeting.is_cancelled:
        reason = _clean_text(meeting.cancel_reason)
        links.append(f"Cancelled: {reason}" if reason else "Cancelled.")
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
        ("URL", writer.Uri(url)),
        ("SEQUENCE", sequence),
        # RFC 5545 §3.8.7.2: without METHOD, DTSTAMP is when the event was last revised.
        ("DTSTAMP", changed),
        ("LAST-MODIFIED", changed),
    ]
    if location:
        props.append(("LOCATION", _clean_text(location)))
    return props


#: How many cancellations (latest first) a series' DESCRIPTION lists with their reasons.
CANCELLATIONS_LISTED = 10


def series_recur(series, rule=None):
    """The series' RRULE (icalendar vRecur; `.to_ical()` gives the RFC 5545 text), for a
    DTSTART in the series' zone: FREQ=WEEKLY, INTERVAL, BYDAY, and UNTIL (the last
    occurrence's start in UTC) when the series ends. None when the rule has no occurrence."""
    rule = rule if rule is not None else series.rule()
    recur = {
        "FREQ": "WEEKLY",
        "INTERVAL": series.interval_weeks,
        "BYDAY": str(weekdays[series.weekday]),
    }
    if series.until:
        last = rule[-1] if next(iter(rule), None) is not None else None
        if last is None:
            return None
        # The last occurrence's start in UTC (RFC 5545: UNTIL is UTC when DTSTART has a TZID).
        recur["UNTIL"] = _utc(last.replace(tzinfo=series.tz))
    return vRecur(recur)


def master_props(series, data):
    """The series' master VEVENT: RRULE, and an EXDATE per cancelled occurrence.

    Each cancelled occurrence is also a line of the DESCRIPTION ("Cancelled on Thu 9 Apr 2026:
    <reason>", latest first, at most `CANCELLATIONS_LISTED`), since an excluded instance has
    nothing else to carry the reason; the master's LAST-MODIFIED follows those rows' changes.
    """
    committee = data.committees[series.committee_id]
    tz = series.tz
    rule = series.rule()
    first = next(iter(rule), None)
    if first is None:
        return None
    start = first.replace(tzinfo=tz)
    props = [
        ("UID", str(series.uid)),
        ("DTSTART", start),
        ("DTEND", start + series.duration),
        ("RRULE", series_recur(series, rule)),
    ]
    cancelled = [r for r in data.rows_of(series) if r.is_cancelled and data.is_override(r)]
    for row in cancelled:
        props.append(("EXDATE", data.recurrence_id(row)))
    join = join_url_for(committee, access.ANONYMOUS, series=series)
    page = data.absolute(committee.get_absolute_url())
    description = f"{committee.name}: {series.describe()}."
    if join:
        description += f"\nJoin: {join}"
    description += f"\nCommittee page: {page}"
    latest = sorted(cancelled, key=lambda r: r.original_start, reverse=True)
    for row in latest[:CANCELLATIONS_LISTED]:
        day = row.original_start.astimezone(tz)
        reason = _clean_text(row.cancel_reason)
        description += f"\nCancelled on {day:%a} {day.day} {day:%b %Y}" + (
            f": {reason}" if reason else "."
        )
    return _common(
        props,
        summary=series.title,
        description=description,
        url=page,
        location=series.location or join,
        sequence=series.sequence,
        changed=max([series.updated, *(row.updated for row in cancelled)]),
    )


def meeting_props(meeting, data, page=None, override=None):
    """A meeting row's VEVENT: an override of its series' master, or a one-off."""
    committee = data.committees[meeting.committee_id]
    series = data.series_by_pk.get(meeting.series_id)
    if override is None:
        override = series is not None and data.is_override(meeting)
    page = page or data.page_url(meeting)
    join = join_url_for(committee, access.ANONYMOUS, meeting, series)
    location = (series.location if series else "") or join
    if override:
        tz = series.tz
        props = [("UID", str(series.uid)), ("RECURRENCE-ID", data.recurrence_id(meeting))]
        sequence = max(meeting.sequence, series.sequence)
        changed = max(meeting.updated, series.updated)
    else:
        tz = committee.tz
        props = [("UID", str(meeting.uid))]
        sequence, changed = meeting.sequence, meeting.updated
    summary = meeting.title
    if meeting.is_cancelled:
        # STATUS is what Google (hides it), Apple and Thunderbird (strike it through) read;
        # the SUMMARY says it to clients that show STATUS:CANCELLED events as any other (Outlook's
        # subscribed calendars); TRANSPARENT frees the time in free/busy.
        join = location = ""
        summary = f"Cancelled: {summary}"
        props += [("STATUS", "CANCELLED"), ("TRANSP", "TRANSPARENT")]
    props += [("DTSTART", _local(meeting.start, tz)), ("DTEND", _local(meeting.end, tz))]
    return _common(
        props,
        summary=summary,
        description=_meeting_description(meeting, data.recordings.get(meeting.pk, ()), join, page),
        url=page,
        location=location,
        sequence=sequence,
        changed=changed,
    )


def _calendar_props(name=None):
    props = [
        ("VERSION", "2.0"),
        ("PRODID", f"-//{settings.SITE_NAME}//Committee meetings//EN"),
        ("CALSCALE", "GREGORIAN"),
    ]
    if name:
        props += [
            ("NAME", name),  # RFC 7986 §5.1
            ("X-WR-CALNAME", name),  # the same, for Google, Outlook and Apple
            ("REFRESH-INTERVAL", REFRESH, {"VALUE": "DURATION"}),  # RFC 7986 §5.7
            ("X-PUBLISHED-TTL", REFRESH),  # the same, for Outlook
        ]
    return props


def _timezones(events):
    """A VTIMEZONE for every zone the events use, valid for all their years."""
    years = defaultdict(set)
    for props in events:
        for name, value in props:
            if name in _ZONED and writer.is_zoned(value):
                years[str(value.tzinfo)].add(value.year)
    return [vtimezone(zone, min(years[zone]), max(years[zone])) for zone in sorted(years)]


def _document(name, events):
    return writer.write_calendar(
        _calendar_props(name), _timezones(events), [writer.write_event(e) for e in events]
    )


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


def feed_name(committee=None):
    """The feed's name (NAME, X-WR-CALNAME): the committee's, or the site's for all of them."""
    return committee.name if committee else f"{settings.SITE_NAME} – all committees' meetings"


def feed_bytes(committee, base_url):
    """The whole feed of one committee (or of the site, for None): 4 queries, then computing."""
    return _document(feed_name(committee), feed_events(load_feed_data(committee, base_url)))


def meeting_bytes(meeting, base_url):
    """A single meeting's .ics: the same UID, SEQUENCE and RECURRENCE-ID as in the feed.

    A cancelled occurrence of a series is an EXDATE in the feed; on its own it is written
    as its override with STATUS:CANCELLED, which is how a client that imported it updates it.
    """
    committee = meeting.committee
    series = meeting.series
    data = FeedData(
        {committee.pk: committee},
        [series] if series else [],
        [meeting],
        {meeting.pk: list(meeting.recordings.all())},
        base_url,
    )
    return _document(None, [meeting_props(meeting, data)])


def occurrence_bytes(series, original_start, base_url):
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
    data = FeedData({series.committee_id: series.committee}, [series], [meeting], {}, base_url)
    # No page of its own yet: the committee's page stands in.
    page = data.absolute(series.committee.get_absolute_url())
    return _document(None, [meeting_props(meeting, data, page=page)])
