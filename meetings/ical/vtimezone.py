"""VTIMEZONE components in the RRULE form, derived from zoneinfo (RFC 5545 §3.6.5).

icalendar's own `Timezone.from_tzid` writes every change as an RDATE list, which ical.js (the
parser in Thunderbird) misreads after its first year; this module writes one STANDARD and one
DAYLIGHT observance per rule period, each with a yearly RRULE (docs/calendar.md, "Zones").
"""

import dataclasses
import datetime as dt
import functools
import zoneinfo

from dateutil.rrule import weekdays
from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

# VTIMEZONEs are derived from zoneinfo up to at least this year; a rule still in force then is
# written as an open-ended RRULE (zoneinfo continues it the same way from its POSIX rule).
TZ_HORIZON_YEAR = 2037


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
            rule = {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": f"{nth}{weekdays[weekday]}"}
            if group[-1].instant.year < last_year:
                rule["UNTIL"] = group[-1].instant
            sub.add("rrule", vRecur(rule))
        sub.add("tzoffsetfrom", first.offset_from)
        sub.add("tzoffsetto", first.offset_to)
        sub.add("tzname", first.name)
        component.add_component(sub)
    return component
