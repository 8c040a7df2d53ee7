"""Calendar feeds over HTTP: the site's, each committee's, and one meeting's .ics.

Feed clients poll (Google every few hours, Thunderbird every half hour by default), so every
response carries an ETag and a Last-Modified taken from two columns of Committee that each
change bumps (meetings.calendar.feed_validator); a conditional request that matches gets its
304 after that look-up alone, before any meeting is read or any byte is built.
"""

import datetime as dt
import gzip

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from mwi.lib.compression import accepts_gzip
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


# gzip level of the stored feeds: 6.2 MB -> 450 KB in 0.13 s at 10,000 meetings (level 9 saves
# 5% more in twice the time); paid once per change.
GZIP_LEVEL = 6


class _Body:
    """A feed body, kept gzipped: calendar clients send Accept-Encoding: gzip, and the
    compressed form is what the shared cache holds (a tenth of the bytes to move per GET)."""

    def __init__(self, plain=None, compressed=None):
        self._plain, self.compressed = plain, compressed

    @property
    def plain(self):
        if self._plain is None:
            self._plain = gzip.decompress(self.compressed)
        return self._plain


def _cached(key, etag, build):
    """The body built for this ETag: an edit changes the ETag, so no entry is ever stale."""
    cache_key = f"calendar-feed:{key}:{etag}"
    compressed = cache.get(cache_key)
    if compressed is not None:
        return _Body(compressed=compressed)
    plain = build()
    # No mtime (and no secret in a public feed): the same feed compresses to the same bytes.
    compressed = gzip.compress(plain, compresslevel=GZIP_LEVEL, mtime=0)
    cache.set(cache_key, compressed, BODY_CACHE_SECONDS)
    return _Body(plain, compressed)


def _calendar_response(request, validator, build, *, filename=None):
    """A 304 when the client's copy is current, else the body `build()` returns.

    `build` returns bytes (small downloads: mwi.lib.compression's middleware gzips them) or a
    _Body (the feeds): gzipped here for a client that accepts it, with the ETag made weak for
    that form as GZipMiddleware does (and as the page cache expects), Vary: Accept-Encoding on
    both forms, so no shared cache hands the gzip form to a client that did not ask for it.
    """
    etag, last_modified = validator
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    gzipped = False
    if response is None:
        body = build()
        if isinstance(body, _Body):
            gzipped = accepts_gzip(request)
            response = HttpResponse(
                body.compressed if gzipped else body.plain, content_type=CONTENT_TYPE
            )
            if gzipped:
                response["Content-Encoding"] = "gzip"
            patch_vary_headers(response, ("Accept-Encoding",))
        else:
            response = HttpResponse(body, content_type=CONTENT_TYPE)
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
    elif filename is None:
        gzipped = accepts_gzip(request)
        patch_vary_headers(response, ("Accept-Encoding",))
    response["ETag"] = f"W/{etag}" if gzipped else etag
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
