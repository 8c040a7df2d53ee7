"""gzip for text responses: pages, feeds, exports and charts are mostly repeated markup.

The people page is 280 KB of HTML and 25 KB gzipped; at foundation scale its size, not its
queries, limited how many requests per second it served. Two paths compress, and this module is
the only place that calls gzip:

- Anonymous pages kept by the page cache (mwi.lib.pagecache) and the calendar feeds' bodies
  (meetings.feeds) are compressed once, when stored (compress_once), and served as stored:
  gzip costs nothing per request there. Those pages hold no secret (the
  cache refuses any page with a CSRF token, a cookie or a session), so compressing them next
  to reflected input (a search query) reveals nothing: BREACH needs a secret in the body.
- Every other response goes through CompressionMiddleware, Django's GZipMiddleware limited to
  the types below. Signed-in pages hold a CSRF token; Django masks it anew in every response
  (its BREACH mitigation: the secret's bytes differ each time, so the attacker's guesses never
  converge) and GZipMiddleware pads the gzip header with random bytes to blur lengths. The
  lead's workspace and the sign-in pages are not compressed at all: they reflect input (admin
  search, the username) next to e-mail addresses, which are secrets here and not masked.

- Signed-in pages kept by the page cache hold the visitor's CSRF token and personal fragments
  in a page shared by an audience class. The shared parts are compressed once, when stored
  (deflate_segment: each a deflate stream of its own, ended by a full flush, so it refers to
  nothing before it, and nothing after it refers back), the account menu once per account
  state, and the token, masked anew per response as Django does, is sent in stored
  (uncompressed) blocks (stored_segment); spliced_gzip joins the pieces into one gzip member.
  The token is thus never compressed, against page content or anything else: the response's
  length does not depend on its bytes (BREACH needs the secret and the attacker's input in one
  compression window). The gzip header is padded with random bytes, as GZipMiddleware does.

Already compressed formats (images other than SVG, uploads, archives) would only cost CPU;
static files are WhiteNoise's (pre-compressed at collectstatic, served before this runs).
"""

import gzip
import secrets
import struct
import zlib

from django.middleware.gzip import GZipMiddleware, re_accepts_gzip

COMPRESSIBLE_TYPES = frozenset(
    ("text/html", "text/calendar", "application/json", "text/csv", "image/svg+xml")
)
# Below this a gzip header and footer outweigh what compression saves.
MIN_LENGTH = 200
# Compressed once per stored body. Level 6: the 10,000-meeting site feed (6.2 MB) takes 0.13 s
# to 450 KB; level 9 saves 5% more in twice the time.
STORED_LEVEL = 6
# Reflect input next to e-mail addresses (see the module docstring).
UNCOMPRESSED_PREFIXES = ("/admin/", "/accounts/")


def is_compressible(content_type):
    return (content_type or "").split(";", 1)[0].strip().lower() in COMPRESSIBLE_TYPES


def accepts_gzip(request):
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def compress_once(content):
    """The gzip form (bytes) of a body that is stored and served many times, or None when
    that would not be smaller (under MIN_LENGTH bytes, or incompressible).

    No random padding and a fixed mtime: the body holds no secret (public pages and feeds
    only), and the same body gives the same bytes.
    """
    if len(content) < MIN_LENGTH:
        return None
    compressed = gzip.compress(content, compresslevel=STORED_LEVEL, mtime=0)
    return compressed if len(compressed) < len(content) else None


def decompress(compressed):
    """The body of a compress_once() form."""
    return gzip.decompress(compressed)


def weak_etag(etag):
    """The ETag of a response's gzip form: the plain form's, made weak (RFC 9110 §8.8.3), as
    Django's GZipMiddleware does. A weak or missing ETag is returned as it is."""
    if etag and etag.startswith('"'):
        return "W/" + etag
    return etag


class CompressionMiddleware(GZipMiddleware):
    """GZipMiddleware for the text types above, outside the lead's workspace and sign-in.

    It sits below WhiteNoise and above the page cache: a response the page cache served or
    compressed already carries Content-Encoding, and GZipMiddleware leaves it alone.
    """

    def process_response(self, request, response):
        if not is_compressible(response.get("Content-Type")) or request.path_info.startswith(
            UNCOMPRESSED_PREFIXES
        ):
            return response
        return super().process_response(request, response)


def deflate_segment(data, level=STORED_LEVEL):
    """`data` (bytes) as raw deflate blocks that refer to nothing before them and end on a
    byte boundary (a full flush, no final block): segments join into one deflate stream."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def stored_segment(data):
    """`data` (bytes) as stored deflate blocks (uncompressed, no final block), to join with
    deflate_segment()s: what it holds is never compressed against anything."""
    blocks = []
    for start in range(0, len(data), 0xFFFF):
        chunk = data[start : start + 0xFFFF]
        # BFINAL 0, BTYPE 00 (stored), padded to the byte; LEN and its one's complement.
        blocks.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(blocks)


# An empty final block (fixed Huffman codes): ends a stream of joined segments.
_FINAL_BLOCK = b"\x03\x00"
MAX_RANDOM_BYTES = 100


def spliced_gzip(segments):
    """One gzip member (bytes) of the body made of `segments`, each (plain bytes, its
    deflate_segment form); the header carries 1 to MAX_RANDOM_BYTES random bytes as a file
    name, as Django's GZipMiddleware does to blur lengths."""
    crc, size = 0, 0
    for plain, _ in segments:
        crc = zlib.crc32(plain, crc)
        size += len(plain)
    padding = secrets.token_hex(secrets.randbelow(MAX_RANDOM_BYTES // 2) + 1).encode()
    # ID1 ID2, deflate, FNAME flag, mtime 0, no extra flags, unknown OS; the name; NUL.
    header = b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff" + padding + b"\x00"
    body = b"".join(deflated for _, deflated in segments)
    return header + body + _FINAL_BLOCK + struct.pack("<II", crc, size & 0xFFFFFFFF)
