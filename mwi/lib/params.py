"""Reading dates and page numbers from URLs and query strings: one rule for every view.

A value that is malformed or out of range is refused here, before any view computes
anything with it, so no request can make the server overflow a date or walk a long range.

- Dates are ISO 8601 calendar dates (`YYYY-MM-DD`, RFC 3339 `full-date`) between MIN_DATE and
  MAX_DATE. The range keeps a day's start in any time zone, a day or two either side and a
  meeting's duration within Python's datetime (years 1 to 9999): 0001-01-01 and 9999-12-31
  would overflow on the way to UTC.
- Page numbers are decimal integers from 1 to the last page; page 1 of an empty list exists.
"""

import datetime as dt

from django import forms
from django.urls import register_converter

from .pagination import Paginator

MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2999, 12, 31)


def parse_date(value):
    """`value` (str, `YYYY-MM-DD`) as a datetime.date within [MIN_DATE, MAX_DATE].

    Raises ValueError for anything else: another format, an impossible day (2020-02-31),
    a day out of range, NUL bytes or non-ASCII digits.
    """
    if not isinstance(value, str) or len(value) != 10 or not value.isascii():
        raise ValueError(f"not a YYYY-MM-DD date: {value!r}")
    day = dt.date.fromisoformat(value)  # ValueError for 2020-02-31
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(f"{value} is outside {MIN_DATE}..{MAX_DATE}")
    return day


class DateField(forms.DateField):
    """A form field for a date typed or sent as `YYYY-MM-DD` (an `<input type="date">` sends
    that form), read by parse_date: anything else is a form error naming the accepted range."""

    default_error_messages = {
        "invalid": f"Enter a date as YYYY-MM-DD between {MIN_DATE} and {MAX_DATE}.",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            value = value.isoformat()
        try:
            return parse_date(str(value).strip())
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class IsoDateConverter:
    """A path converter: `2020-04-09` in a URL, given to the view as a datetime.date.

    A malformed, impossible or out-of-range date does not match the route: a 404.
    """

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value):
        return parse_date(value)  # ValueError: the URL does not match

    def to_url(self, value):
        return value.isoformat() if isinstance(value, dt.date) else value


def page_or_404(object_list, per_page, number, **paginator_options):
    """Page `number` (str from a query string, or None for the first) of `object_list`: a
    mwi.lib.pagination.Page. Raises Http404 for anything but a page that exists (see
    Paginator.page_or_404)."""
    return Paginator(object_list, per_page, **paginator_options).page_or_404(number)


# Registered once, when the first URL module that uses `<isodate:…>` imports this one.
register_converter(IsoDateConverter, "isodate")
