"""Wall-clock times typed in a time zone, read without guessing across daylight-saving changes.

A wall time such as 2027-03-14 02:30 does not exist in America/New_York (the clocks jump from
02:00 EST to 03:00 EDT) and 2027-11-07 01:30 happens twice (01:30 EDT, then 01:30 EST). Python's
zoneinfo silently picks an offset in both cases (PEP 495); `to_utc` refuses instead, with a
message that names the change, so a lead never stores a time other than the one they meant.
"""

import datetime as dt

from django.core.exceptions import ValidationError

FIRST, SECOND = 0, 1  # PEP 495 fold: the earlier and the later of a repeated wall time


def utc_offset_label(aware):
    """ "UTC−05:00" for an aware datetime (a real minus sign)."""
    minutes = int(aware.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "\u2212"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def _label(aware):
    return f"{aware.tzname()} ({utc_offset_label(aware)})"


def _exists(naive, tz):
    aware = naive.replace(tzinfo=tz)
    return aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) == naive


def fold_choices(naive, tz):
    """[(0, "first: 01:30 EDT, UTC−04:00"), (1, "second: 01:30 EST, UTC−05:00")]."""
    return [
        (fold, f"{word}: {naive:%H:%M} {_label(naive.replace(tzinfo=tz, fold=fold))}")
        for fold, word in ((FIRST, "first"), (SECOND, "second"))
    ]


def dst_problem(naive, tz):
    """("nonexistent_time" | "ambiguous_time", what happens), or None for an unambiguous time."""
    day = f"{naive:%a} {naive.day} {naive:%b %Y}"
    first, second = (naive.replace(tzinfo=tz, fold=f) for f in (FIRST, SECOND))
    if not _exists(naive, tz):
        earlier, later = sorted((first, second), key=lambda a: a.utcoffset())
        return "nonexistent_time", (
            f"{naive:%H:%M} on {day} does not exist in {tz.key}: that night the clocks go "
            f"forward from {_label(earlier)} to {_label(later)} (daylight-saving change)."
        )
    if first.utcoffset() != second.utcoffset():
        return "ambiguous_time", (
            f"{naive:%H:%M} on {day} happens twice in {tz.key}: the clocks go back from "
            f"{_label(first)} to {_label(second)} (daylight-saving change)."
        )
    return None


def to_utc(naive, tz, fold=None):
    """The UTC instant of wall time `naive` (a naive datetime) in zone `tz` (a ZoneInfo).

    `fold` (0 first, 1 second) picks one of a repeated wall time. Raises ValidationError:
    code "nonexistent_time" for a time skipped by a change to daylight-saving time, code
    "ambiguous_time" for a repeated time when `fold` is None. Source: PEP 495.
    """
    problem = dst_problem(naive, tz)
    if problem and problem[0] == "nonexistent_time":
        raise ValidationError(
            f"{problem[1]} Pick a time outside the skipped hour.", code=problem[0]
        )
    if problem and fold in (None, ""):
        first, second = (naive.replace(tzinfo=tz, fold=f).tzname() for f in (FIRST, SECOND))
        raise ValidationError(
            f"{problem[1]} Choose the first ({first}) or the second ({second}) occurrence.",
            code=problem[0],
        )
    return naive.replace(tzinfo=tz, fold=int(fold or 0)).astimezone(dt.UTC)


def recurring_time_problem(starts, tz):
    """For a rule ("every Sunday at 02:30"): a message naming the first of `starts` (naive
    datetimes) that a daylight-saving change skips or repeats, or "" when there is none."""
    for naive in starts:
        problem = dst_problem(naive, tz)
        if problem:
            return (
                f"{problem[1]} A recurring meeting at {naive:%H:%M} would be moved or doubled "
                "by that change: pick a time outside the changing hour."
            )
    return ""
