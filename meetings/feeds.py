"""Calendar feeds over HTTP: the site's, each committee's, and one meeting's .ics.

Feed clients poll (Google every few hours, Thunderbird every half hour by default), so every
response carries an ETag and a Last-Modified taken from two columns of Committee that each
change bumps (meetings.calendar.feed_validator); a conditional request that matches gets its
304 after that look-up alone, before any meeting is read or any byte is built.
"""

import datetime as dt

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from participants.models import Committee

from . import calendar
from .models import Meeting, MeetingSeries

# RFC 5545 §8.1 and RFC 5546: the METHOD of the body is repeated as a media type parameter.
CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"
# Shared caches may keep a feed a few minutes; clients revalidate with the ETag after that.
MAX_AGE = 300
# A built feed is kept (in the shared cache, under its ETag) this long: clients that poll
# without If-None-Match (Google's fetcher often does) then cost one look-up, not a rebuild.
BODY_CACHE_SECONDS = 24 * 3600


def _cached(key, etag, build):
    """The body built for this ETag: an edit changes the ETag, so no entry is ever stale."""
    cache_key = f"calendar-feed:{key}:{etag}"
    body = cache.get(cache_key)
    if body is None:
        body = build()
        cache.set(cache_key, body, BODY_CACHE_SECONDS)
    return body


def _calendar_response(request, validator, build, *, filename=None):
    """A 304 when the client's copy is current, else the body `build()` returns."""
    etag, last_modified = validator
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = HttpResponse(build(), content_type=CONTENT_TYPE)
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def site_feed(request):
    """Every committee's meetings. 304 or cached body: 1 query (an aggregate over committees)."""
    etag, last_modified = calendar.feed_validator()
    return _calendar_response(
        request, (etag, last_modified), lambda: _cached("site", etag, calendar.feed_bytes)
    )


@require_safe
def committee_feed(request, slug):
    """One committee's meetings. 304 or cached body: 1 query (the committee row)."""
    committee = get_object_or_404(Committee, slug=slug)
    etag, last_modified = calendar.feed_validator(committee)
    return _calendar_response(
        request,
        (etag, last_modified),
        lambda: _cached(committee.pk, etag, lambda: calendar.feed_bytes(committee)),
    )


@require_safe
def meeting_ics(request, pk):
    """One meeting as an .ics download. 304: 1 query (the meeting with committee and series)."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee", "series"), pk=pk)
    return _calendar_response(
        request,
        calendar.feed_validator(meeting.committee),
        lambda: calendar.meeting_bytes(meeting),
        filename=f"meeting-{meeting.local_start:%Y-%m-%d}-{meeting.pk}.ics",
    )


@require_safe
def occurrence_ics(request, series, day):
    """A series occurrence by its day (in the series' zone), whether or not it has a row yet.

    304: 1 query (the series with its committee). Otherwise the occurrence's row, if any, is
    looked up, so the download always matches the feed.
    """
    series = get_object_or_404(MeetingSeries.objects.select_related("committee"), pk=series)
    try:
        day = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404("Not a date.") from None
    day_start = dt.datetime.combine(day, dt.time.min, tzinfo=series.tz)
    starts = series.occurrence_starts(day_start, day_start + dt.timedelta(days=1))
    if not starts:
        raise Http404("The series has no meeting that day.")

    def build():
        row = (
            Meeting.objects.select_related("committee", "series")
            .filter(series=series, original_start=starts[0])
            .first()
        )
        if row is not None:
            return calendar.meeting_bytes(row)
        return calendar.occurrence_bytes(series, starts[0])

    return _calendar_response(
        request,
        calendar.feed_validator(series.committee),
        build,
        filename=f"meeting-{day:%Y-%m-%d}-series-{series.pk}.ics",
    )
