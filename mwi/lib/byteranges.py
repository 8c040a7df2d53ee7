"""Byte-range requests (RFC 9110 §14) for files the site serves itself.

Browsers fetch audio and video in pieces: Safari and iOS will not play a video whose server
ignores `Range`, and every browser needs ranges to seek. Django's FileResponse always sends
the whole file, so file_response() answers:

- `200` with the whole file and `Accept-Ranges: bytes` when no usable range was asked for:
  no `Range`, a `Range` on a method other than GET, a unit other than bytes, a malformed
  header, an `If-Range` that does not match the file's Last-Modified, or several ranges
  (a multipart/byteranges answer is optional; media players ask for one range at a time);
- `206` with `Content-Range: bytes first-last/size` and just those bytes for one satisfiable
  range (`bytes=0-1`, `bytes=500-`, `bytes=-500`; a last byte past the end is clamped);
- `416` with `Content-Range: bytes */size` when the one range starts past the end of the file
  (or asks for the last 0 bytes, or any bytes of an empty file).

Written by hand: Django has no range support for responses, and the parser is these thirty
lines of RFC 9110 §14.1.2 (werkzeug's, the usual one, would bring a second web framework).
"""

import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header, http_date

CHUNK_BYTES = 64 * 1024
_RANGE = re.compile(r"bytes=([0-9]*)-([0-9]*)")
# Longest first/last position accepted, in digits: 10**18 bytes is far past any file.
_MAX_DIGITS = 18


class Unsatisfiable(Exception):  # noqa: N818 - reads as "raise Unsatisfiable"
    """The one range asked for lies outside the file."""


def parse_range(header, size):
    """The (first, last) byte positions, inclusive, that `header` (the Range value, str) asks
    for in a file of `size` bytes; None when the header is absent, not one bytes range or
    malformed (the whole file is then sent). Raises Unsatisfiable for a range outside it."""
    if not header:
        return None
    match = _RANGE.fullmatch(header.strip().replace(" ", ""))
    if match is None:
        return None  # another unit, several ranges, or not a range at all
    first, last = match[1], match[2]
    if (not first and not last) or len(first) > _MAX_DIGITS or len(last) > _MAX_DIGITS:
        return None
    if not first:  # bytes=-N: the last N bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return max(size - suffix, 0), size - 1
    first = int(first)
    if last and int(last) < first:
        return None  # invalid: ignored, as RFC 9110 §14.1.1 allows
    if first >= size:
        raise Unsatisfiable
    return first, min(int(last), size - 1) if last else size - 1


def _chunks(handle, first, last):
    try:
        handle.seek(first)
        remaining = last - first + 1
        while remaining > 0:
            chunk = handle.read(min(CHUNK_BYTES, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def file_response(request, handle, size, *, content_type, filename, modified=None):
    """An attachment response for an open binary file `handle` of `size` bytes named
    `filename`, honouring `Range`.

    `modified` (an aware datetime or None) becomes Last-Modified and is what an `If-Range`
    must equal for its range to be served.
    """
    last_modified = http_date(modified.timestamp()) if modified else None
    wanted = None
    if request.method == "GET":
        if_range = request.headers.get("If-Range")
        if if_range is None or (last_modified and if_range.strip() == last_modified):
            try:
                wanted = parse_range(request.headers.get("Range"), size)
            except Unsatisfiable:
                handle.close()
                response = HttpResponse(status=416)
                response["Content-Range"] = f"bytes */{size}"
                return _finish(response, last_modified)
    if wanted is None:
        response = FileResponse(
            handle, as_attachment=True, filename=filename, content_type=content_type
        )
        response["Content-Length"] = str(size)
        return _finish(response, last_modified)
    first, last = wanted
    response = StreamingHttpResponse(
        _chunks(handle, first, last), status=206, content_type=content_type
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Content-Length"] = str(last - first + 1)
    return _finish(response, last_modified)


def _finish(response, last_modified):
    response["Accept-Ranges"] = "bytes"
    if last_modified:
        response["Last-Modified"] = last_modified
    return response
