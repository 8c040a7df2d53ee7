"""Changing a series' time from a date on: the old series ends, a new one continues it.

A series operation (the admin's "Change time from this date on"), kept apart from the
calendar's writing: the feed only shows its result, two masters with their own UIDs
(docs/calendar.md, "Changing a series' time").
"""

import datetime as dt

from django.db import transaction

from .models import MeetingSeries


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
    first_new = series.rule(near=from_date).after(
        dt.datetime.combine(from_date, dt.time.min), inc=True
    )
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
