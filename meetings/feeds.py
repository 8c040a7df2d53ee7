"""Calendar feeds over HTTP: the site's, each committee's, and one meeting's .ics.

Feed clients poll (Google every few hours, Thunderbird every half hour by default), so every
response carries an ETag and a Last-Modified taken from the feeds' named version, which every
write to a table a feed shows replaces (meetings.ical.versions.feed_validator); a conditional
request that matches gets its 304 after that cache read alone (and the committee's row, for a
committee's feed), before any meeting is read or any byte is built. Links in the
feeds start with the site's address (mwi.lib.site.site_url: SITE_URL, or the request's own),
which is part of the ETag and so of the cache key of a built body.
"""

import datetime as dt

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from mwi.lib.compression import accepts_gzip, compress_once, decompress, weak_etag
from mwi.lib.site import site_url
from participants.models import Committee

from .ical import document, versions
from .models import Meeting, MeetingSeries

# RFC 5545 §8.1; no `method` parameter, as the body carries no METHOD (docs/calendar.md).
CONTENT_TYPE = "text/calendar; charset=utf-8"
# Shared caches may keep a feed a few minutes; clients revalidate with the ETag after that.
MAX_AGE = 300
# A built feed is kept (in the shared cache, under its ETag) this long: clients that poll
# without If-None-Match (Google's fetcher often does) then cost one look-up, not a rebuild.
BODY_CACHE_SECONDS = 24 * 3600


class _Body:
    """A feed body, kept gzipped: calendar clients send Accept-Encoding: gzip, and the
    compressed form is what the shared cache holds (a tenth of the bytes to move per GET)."""

    def __init__(self, plain=None, compressed=None):
        self._plain, self.compressed = plain, compressed

    @property
    def plain(self):
        if self._plain is None:
            self._plain = decompress(self.compressed)
        return self._plain


def _cached(key, etag, build):
    """The body built for this ETag: an edit changes the ETag, so no entry is ever stale.

    Kept gzipped, or plain (as `b"="` + body) in the rare case gzip would not make it smaller.
    """
    cache_key = f"calendar-feed:{key}:{etag}"
    stored = cache.get(cache_key)
    if stored is not None:
        return _Body(plain=stored[1:]) if stored[:1] == b"=" else _Body(compressed=stored)
    plain = build()
    # A public feed holds no secret: compressed once, the same feed to the same bytes.
    compressed = compress_once(plain)
    cache.set(cache_key, b"=" + plain if compressed is None else compressed, BODY_CACHE_SECONDS)
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
            gzipped = body.compressed is not None and accepts_gzip(request)
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
    response["ETag"] = weak_etag(etag) if gzipped else etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def site_feed(request):
    """Every committee's meetings. 304 or cached body: no query."""
    base = site_url(request)
    etag, last_modified = versions.feed_validator(None, base)
    return _calendar_response(
        request,
        (etag, last_modified),
        lambda: _cached("site", etag, lambda: document.feed_bytes(None, base)),
    )


@require_safe
def committee_feed(request, slug):
    """One committee's meetings. 304 or cached body: 1 query (the committee row)."""
    committee = get_object_or_404(Committee, slug=slug)
    base = site_url(request)
    etag, last_modified = versions.feed_validator(committee, base)
    return _calendar_response(
        request,
        (etag, last_modified),
        lambda: _cached(committee.pk, etag, lambda: document.feed_bytes(committee, base)),
    )


@require_safe
def meeting_ics(request, pk):
    """One meeting as an .ics download. 304: 1 query (the meeting with committee and series)."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee", "series"), pk=pk)
    base = site_url(request)
    return _calendar_response(
        request,
        versions.feed_validator(meeting.committee, base),
        lambda: document.meeting_bytes(meeting, base),
        filename=f"meeting-{meeting.local_start:%Y-%m-%d}-{meeting.pk}.ics",
    )


@require_safe
def occurrence_ics(request, series, day):
    """A series occurrence by its day (a date in the series' zone, read by the `isodate` path
    converter), whether or not it has a row yet.

    304: 1 query (the series with its committee). Otherwise the occurrence's row, if any, is
    looked up, so the download always matches the feed.
    """
    series = get_object_or_404(MeetingSeries.objects.select_related("committee"), pk=series)
    if not series.spans(day):
        raise Http404("The series has no meeting that day.")
    day_start = dt.datetime.combine(day, dt.time.min, tzinfo=series.tz)
    starts = series.occurrence_starts(day_start, day_start + dt.timedelta(days=1))
    if not starts:
        raise Http404("The series has no meeting that day.")

    base = site_url(request)

    def build():
        row = (
            Meeting.objects.select_related("committee", "series")
            .filter(series=series, original_start=starts[0])
            .first()
        )
        if row is not None:
            return document.meeting_bytes(row, base)
        return document.occurrence_bytes(series, starts[0], base)

    return _calendar_response(
        request,
        versions.feed_validator(series.committee, base),
        build,
        filename=f"meeting-{day:%Y-%m-%d}-series-{series.pk}.ics",
    )
