"""Meeting times as people read them: the committee's zone with its UTC offset.

`{% local_time meeting.start meeting.tz %}` renders `<time datetime="2020-01-16T15:00:00Z"
data-localtime>Thu 16 Jan 2020, 10:00 EST (UTC−05:00)</time>`;
static/js/localtime.js rewrites it into the visitor's zone, and without JavaScript the
committee's time (with its offset, so nobody has to guess) stays.
"""

import datetime as dt

from django import template
from django.utils.html import format_html

register = template.Library()


def _offset(local):
    minutes = int(local.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "\u2212"  # a real minus sign, as typographers write it
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def format_local(value, tz, *, with_date=True):
    """ "Thu 16 Jan 2020, 10:00 EST (UTC−05:00)" for an aware datetime in zone `tz`."""
    local = value.astimezone(tz)
    day = f"{local:%a} {local.day} {local:%b %Y}, " if with_date else ""
    return f"{day}{local:%H:%M} {local.tzname()} ({_offset(local)})"


@register.simple_tag
def local_time(value, tz, convert=True):
    """A <time> element in the committee's zone; `convert` lets the script show the visitor's."""
    if value is None:
        return ""
    iso = value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if convert:
        return format_html(
            '<time datetime="{}" data-localtime>{}</time>', iso, format_local(value, tz)
        )
    return format_html('<time datetime="{}">{}</time>', iso, format_local(value, tz))
