"""Upcoming meetings: stored Meeting rows merged with the computed occurrences of series.

A series' occurrences are not stored. An occurrence becomes a Meeting row (with `series` and
`original_start`) when the lead opens, moves or cancels it; from then on the row speaks for
that occurrence, wherever it was moved to. The functions here are what the admin and the
public pages both use, so "what happens next" has one definition.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from participants import access

from .agenda import initial_agenda
from .models import InCommitteeTime, Meeting, MeetingSeries

# How far ahead "upcoming" looks by default.
DEFAULT_HORIZON = dt.timedelta(days=120)


@dataclass
class Occurrence(InCommitteeTime):
    """One upcoming meeting: a stored Meeting, or a series occurrence nobody has opened yet."""

    committee: object
    title: str
    start: dt.datetime
    end: dt.datetime
    series: MeetingSeries | None = None
    meeting: Meeting | None = None

    @property
    def original_start(self):
        return self.meeting.original_start if self.meeting else self.start

    @property
    def is_cancelled(self):
        return bool(self.meeting and self.meeting.is_cancelled)

    @property
    def is_moved(self):
        return bool(self.meeting and self.meeting.is_moved)

    def get_absolute_url(self):
        if self.meeting:
            return self.meeting.get_absolute_url()
        return reverse(
            "meetings:occurrence",
            kwargs={"series": self.series.pk, "day": self.start.astimezone(self.series.tz).date()},
        )

    def join_url_for(self, audience):
        return join_url_for(self.committee, audience, self.meeting, self.series)


def join_url_for(committee, audience, meeting=None, series=None):
    """The call link of a meeting (its own, its series', the committee's) if `audience` (a
    participants.access.Audience) may see it, else "" (who may: participants.access)."""
    series = series or (meeting.series if meeting and meeting.series_id else None)
    return access.join_url(
        audience, committee, meeting.join_url if meeting else "", series.join_url if series else ""
    )


def join_link_hidden(committee, audience, meeting=None, series=None):
    """Whether the meeting has a call link that `audience` may not see (to say why)."""
    return not join_url_for(committee, audience, meeting, series) and bool(
        join_url_for(committee, access.FOUNDATION_STAFF, meeting, series)
    )


def upcoming(*, committee=None, now=None, horizon=DEFAULT_HORIZON, limit=None):
    """Meetings from now on (those under way included), computed occurrences merged in: a list
    of Occurrence by start (then title), the first `limit` of them when given.

    Two queries: the series that may have occurrences in the window, and the meeting rows
    that start in the window or stand for one of its occurrences (moved or cancelled ones).
    Cancelled occurrences stay listed, marked, so nobody waits in an empty call. With `limit`,
    the rows and occurrences are first read only up to a day after the `limit`-th occurrence
    the series' rules give (a few days across committees, instead of `horizon`); a third
    query reads the whole window when that was too short (an occurrence moved past it).
    """
    now = now or timezone.now()
    until = now + horizon
    series_qs = MeetingSeries.objects.select_related("committee").filter(
        Q(until__isnull=True) | Q(until__gte=(now - dt.timedelta(days=1)).date()),
        first_date__lte=(until + dt.timedelta(days=1)).date(),
    )
    meetings_qs = Meeting.objects.select_related("committee", "series")
    if limit:
        # A page's list of the next few shows no text of theirs.
        meetings_qs = meetings_qs.without_texts()
    if committee is not None:
        series_qs = series_qs.filter(committee=committee)
        meetings_qs = meetings_qs.filter(committee=committee)
    series_list = list(series_qs)
    starts, reach = _series_starts(series_list, now, until, limit)
    if limit and len(starts) >= limit:
        # Every item that starts before `reach` is read: if `limit` of them remain (none
        # moved past it), they come before all the others.
        last = sorted(start for _, start in starts)[limit - 1]
        reach = min(reach, last + dt.timedelta(days=1))
    items = _merged(meetings_qs, series_list, starts, now, reach)
    if reach < until and len(items) < limit:
        starts, _ = _series_starts(series_list, now, until, None)
        items = _merged(meetings_qs, series_list, starts, now, until)
    items.sort(key=lambda o: (o.start, o.title))
    return items[:limit] if limit else items


# How far the series' rules are first computed for a list of the next few (then the horizon).
_FIRST_REACH = dt.timedelta(days=7)


def _series_starts(series_list, now, until, limit):
    """([(series, start)], reach): the rules' occurrences that end after `now` and start
    before `reach`, which is `until`, or with `limit` now + _FIRST_REACH when that gives
    `limit` of them."""
    reaches = [until] if not limit or now + _FIRST_REACH >= until else [now + _FIRST_REACH, until]
    for reach in reaches:
        starts = [
            (series, start)
            for series in series_list
            for start in series.occurrence_starts(now - series.duration, reach)
            if start + series.duration > now
        ]
        if len(starts) >= (limit or 0):
            break
    return starts, reach


def _merged(meetings_qs, series_list, starts, now, until):
    """Occurrences starting before `until` (ending after `now`): the rows of `meetings_qs` in
    that window, and the computed `starts` no row stands for. One query."""
    # Rows standing for an occurrence in the window hide that occurrence even when moved out.
    window = Q(end__gt=now, start__lt=until)
    if series_list:
        window |= Q(
            series__in=series_list,
            original_start__gte=now - dt.timedelta(days=1),
            original_start__lt=until,
        )
    # Unordered (the list is sorted by the caller): ordered by start, SQLite walked every
    # meeting instead of reading the two indexes of the window (end; series and original start).
    rows = list(meetings_qs.filter(window).order_by())
    taken = {(m.series_id, m.original_start) for m in rows if m.series_id}
    items = [
        Occurrence(m.committee, m.topic or m.title, m.start, m.end, m.series, m)
        for m in rows
        if m.end > now and m.start < until
    ]
    items.extend(
        Occurrence(series.committee, series.title, start, start + series.duration, series)
        for series, start in starts
        if start < until and (series.pk, start) not in taken
    )
    return items


def next_occurrences(series, *, count=8, now=None):
    """The series' next `count` occurrences from the rule, each with its row if it has one.

    Two queries at most (the rows; the committee when not loaded yet).
    """
    now = now or timezone.now()
    span = dt.timedelta(weeks=series.interval_weeks * (count + 1))
    starts = series.occurrence_starts(now - series.duration, now + span)[:count]
    rows = {m.original_start: m for m in series.meetings.filter(original_start__in=starts)}
    return [
        Occurrence(
            series.committee,
            (rows[s].topic or rows[s].title) if s in rows else series.title,
            rows[s].start if s in rows else s,
            rows[s].end if s in rows else s + series.duration,
            series,
            rows.get(s),
        )
        for s in starts
    ]


def _check_is_occurrence(series, original_start):
    if not series.is_occurrence(original_start):
        raise ValidationError(
            f"{original_start:%Y-%m-%d %H:%M} UTC is not an occurrence of {series}."
        )


def check_move(series, original_start, new_start, *, exclude_pk=None):
    """Refuse a new start that lands on the day of another occurrence of the same series.

    "Another occurrence" is one the rule gives that day (other than the one being moved), or
    another row of the series already moved to that day. Days are the series' local days.
    """
    tz = series.tz
    day = new_start.astimezone(tz).date()
    day_start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    day_end = day_start + dt.timedelta(days=1)
    others = [s for s in series.occurrence_starts(day_start, day_end) if s != original_start]
    clashing_rows = series.meetings.filter(
        Q(start__gte=day_start, start__lt=day_end) | Q(original_start__in=others)
    ).exclude(original_start=original_start)
    if exclude_pk:
        clashing_rows = clashing_rows.exclude(pk=exclude_pk)
    # An occurrence of that day that was itself moved away no longer occupies the day.
    moved_away = {
        m.original_start
        for m in clashing_rows
        if m.original_start in others and not (day_start <= m.start < day_end)
    }
    if [s for s in others if s not in moved_away] or any(
        day_start <= m.start < day_end for m in clashing_rows
    ):
        raise ValidationError(
            f"{day:%a %d %b %Y} already has another meeting of this series; "
            "pick another day, or cancel that occurrence first.",
            code="occurrence_clash",
        )


@transaction.atomic
def open_occurrence(series, original_start, *, with_agenda=False):
    """The Meeting row of an occurrence, created from the series when it has none yet.

    `with_agenda`: a new row's agenda starts as the committee's template followed by its open
    action items (meetings.agenda); moving or cancelling leaves it empty.
    """
    _check_is_occurrence(series, original_start)
    defaults = {
        "committee": series.committee,
        "title": series.title,
        "start": original_start,
        "end": original_start + series.duration,
    }
    if with_agenda and not series.meetings.filter(original_start=original_start).exists():
        defaults["agenda"] = initial_agenda(series.committee)
    meeting, _ = Meeting.objects.get_or_create(
        series=series, original_start=original_start, defaults=defaults
    )
    return meeting


@transaction.atomic
def move_occurrence(series, original_start, new_start):
    """Give an occurrence a new start (same duration); the original start is kept."""
    meeting = open_occurrence(series, original_start)
    check_move(series, original_start, new_start, exclude_pk=meeting.pk)
    duration = meeting.end - meeting.start
    meeting.start, meeting.end = new_start, new_start + duration
    meeting.save()
    return meeting


@transaction.atomic
def cancel_occurrence(series, original_start, reason="", *, by=None):
    """Mark an occurrence cancelled (it stays listed, marked, and calendars show it cancelled);
    `reason` (optional, plain text) is shown on its page and in the feed (Meeting.cancel)."""
    meeting = open_occurrence(series, original_start)
    meeting.cancel(reason, by=by)
    return meeting
