"""Finding a meeting in the admin (list search and every autocomplete picker) by its date.

The lead remembers "the December call", so a search term that reads as a date narrows the
meetings to that day, month or year, whichever form it is typed in.
"""

import calendar
import datetime as dt
import re

from django.db.models import Q

_MONTHS = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_PATTERNS = [
    # 2026-12-10, 2026-12
    (re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$"), ("year", "month", "day")),
    # 10 Dec 2026, 10 December, 10 Dec
    (re.compile(rf"^(\d{{1,2}})\s+{_MONTH}(?:\s+(\d{{4}}))?$", re.I), ("day", "month", "year")),
    # Dec 10 2026, Dec 10, Dec 10, 2026
    (re.compile(rf"^{_MONTH}\s+(\d{{1,2}})(?:,?\s+(\d{{4}}))?$", re.I), ("month", "day", "year")),
    # Dec 2026, December 2026
    (re.compile(rf"^{_MONTH}\s+(\d{{4}})$", re.I), ("month", "year")),
    # December, Dec
    (re.compile(rf"^{_MONTH}$", re.I), ("month",)),
    # 2026
    (re.compile(r"^(\d{4})$"), ("year",)),
]


def date_parts(term):
    """{"year": 2026, "month": 12, "day": 10} (any subset) for a date-like term, else None."""
    term = " ".join(term.split()).strip(",")
    for pattern, names in _PATTERNS:
        match = pattern.match(term)
        if not match:
            continue
        parts = {}
        for name, value in zip(names, match.groups(), strict=True):
            if value is None:
                continue
            parts[name] = _MONTHS[value.casefold()] if not value.isdigit() else int(value)
        try:
            dt.date(parts.get("year", 2000), parts.get("month", 1), parts.get("day", 1))
        except ValueError:
            return None
        return parts
    return None


def date_filter(term, field="start"):
    """A Q on `field`'s date (in the site's zone, as stored days) for a date-like term, or None."""
    parts = date_parts(term)
    if parts is None:
        return None
    return Q(**{f"{field}__{name}": value for name, value in parts.items()})
