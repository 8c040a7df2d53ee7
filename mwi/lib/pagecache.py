"""Whole-page cache for anonymous visitors, invalidated by every committed write.

Most requests are anonymous GETs of pages that are the same for every anonymous visitor
(minutes, people, the stack map). PublicPageCacheMiddleware keeps those responses in the
shared cache (Redis in production) and answers the next visitor without a query, with an
ETag so a browser's revalidation is a 304.

Invalidation is by generation, not by guessing which page shows what: the generation is the
"pages" version of mwi.lib.invalidation, which every committed INSERT, UPDATE or DELETE that
reaches the database through Django replaces (save(), bulk_create, queryset.update(), the
admin, importers, management commands in another process), except writes to the tables of
sign-ins and throttling; an entry stored under an older generation is never served. A page
rendered while a write commits is stored under the generation read before rendering, so it is
thrown away on the next request. Content that depends on the clock (the next meeting, "as of
today") is at most PAGE_CACHE_SECONDS old.

Pages are stored twice, as rendered and gzipped once (mwi.lib.compression), and each visitor
gets the form their Accept-Encoding asks for, with Vary: Accept-Encoding and an ETag per form
(the gzip form's is the weak form of the page's, as Django's GZipMiddleware does).

Entries are kept per audience class (who may see what: anonymous, members of the same
committees, foundation staff; never per user): the class is part of the key, and a response is
stored only under the class it was rendered for (`request.audience.cache_class`, set by the
site's audience middleware), so one audience's page never reaches another, in either order.

Signed-in visitors get cached pages too (AudiencePageCacheMiddleware, after authentication):
the page is stored once per audience class with placeholders where a visitor's own bits go, and
each request fills them in without rendering the page again:
- the CSRF token of every form (`{% csrf_token %}` renders a placeholder while a page is
  rendered for the cache, see `csrf_placeholder`), replaced by a token of this visitor's own;
- personal fragments (`{% personal "account_menu" %}`, mwi.templatetags.pagecache: the
  header's account menu), rendered alone from a small template (`PERSONAL`), once per
  account state and audience in each process (a fragment may show the account's own fields
  and its audience only).
A client that accepts gzip gets the page's shared parts as compressed once when stored, its
account menu as compressed once per account state, and its CSRF token uncompressed
(personalized_gzip; BREACH: mwi.lib.compression).
The placeholders hold a value derived from SECRET_KEY, so text typed by users cannot forge one.
A page that answered a per-user question (participants.access.Audience.personal, e.g. "is this
my own person page") or asked for a CSRF token itself, a page marked private, and a page that
shows a message are never stored.

Off when PAGE_CACHE_SECONDS is 0. Without REDIS_URL the cache is this process's memory: right
for one process (`make run`, gunicorn -w 1 --threads N), since a per-process cache cannot see
the other workers' writes; several workers need REDIS_URL.
"""

import functools
import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.http import parse_http_date_safe

from . import invalidation
from .compression import (
    MIN_LENGTH,
    accepts_gzip,
    compress_once,
    deflate_segment,
    is_compressible,
    spliced_gzip,
    stored_segment,
    weak_etag,
)

VERSION = "pages"
# Writes to these tables never change what a public page shows: sign-ins and throttling, and
# personal access tokens (a token's use is recorded at most once a minute).
IGNORED_TABLES = ("django_session", "auth_user", "django_admin_log", "api_accesstoken")
IGNORED_PREFIXES = ("axes_",)
MAX_QUERY_STRING = 200
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "Link", "Vary",
                "X-Frame-Options")  # fmt: skip
VALIDATORS = ("ETag", "Last-Modified", "Cache-Control")
# Never cached: the lead's workspace and the sign-in pages.
PRIVATE_PREFIXES = ("/admin/", "/accounts/")


def content_etag(content):
    """A strong ETag (str, quoted) for a response body (bytes): 32 hex digits of its SHA-256."""
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def shows(table):
    """Whether a write to `table` may change what a public page shows."""
    return table not in IGNORED_TABLES and not table.startswith(IGNORED_PREFIXES)


def new_generation():
    """Make every cached page stale now (a committed write does it by itself)."""
    invalidation.bump(VERSION)


# This process's copies of recently served pages: {key: entry + "expires" + "confirmed"};
# bounded.
_local = {}
LOCAL_ENTRIES = 200
# A feed revalidation (an entry that keeps validators only) is answered from this process's
# copy for this long after its generation was last confirmed, without reading the generation
# from Redis (that read was a third of a feed 304's cost). Feeds are sent with max-age=300:
# any cache on the way may answer from a copy that old, so a second after a write in another
# worker is well inside what the response itself allows. Pages always check the generation.
VALIDATOR_TRUST_SECONDS = 1.0


# This process sees its own writes at once, trusted feed validators too.
invalidation.watch(VERSION, shows)
invalidation.on_bump(VERSION, _local.clear)


def _remember(key, entry, seconds, confirmed=None):
    if len(_local) >= LOCAL_ENTRIES:
        _local.clear()
    now = time.monotonic()
    _local[key] = {**entry, "expires": now + seconds, "confirmed": confirmed or now}


class PublicPageCacheMiddleware:
    """Serve anonymous GETs from the cache (see the module docstring).

    It sits right after WhiteNoise, before sessions, CSRF, authentication and URL routing,
    so a hit costs one small cache read and none of that work; the security and CSP
    middleware above it still add their headers. A visitor without a session cookie is
    anonymous by definition; one with a session cookie (signed in, or a message waiting) is
    never served from the cache.

    Two kinds of entries, both valid for the generation they were stored under only:
    - an HTML page (anonymous, 200, no cookie set, no CSRF token in it), served whole or as
      a 304 against its ETag;
    - the validators (ETag, Last-Modified) of any other response that has an ETag (the
      calendar feeds), so a client revalidating its copy gets its 304 here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not self._cacheable_request(request):
            return self.get_response(request)
        key = cache_key(request_audience_class(request), request.build_absolute_uri())
        entry = _local.get(key)
        read_at = time.monotonic()
        if (
            entry
            and entry["content"] is None
            and entry["confirmed"] + VALIDATOR_TRUST_SECONDS > read_at
        ):
            response = self._from_entry(request, entry)
            if response is not None:  # a feed 304; a GET for the body goes on below
                return response
        request._pagecache_read_at = read_at
        generation = invalidation.version(VERSION)
        # The generation always comes from the shared cache; the entry from this process's
        # copy when that copy is of the current generation (saves moving a large page out
        # of Redis on every request).
        if not entry or entry["generation"] != generation or entry["expires"] < time.monotonic():
            entry = cache.get(key)
            if entry and entry["generation"] == generation:
                _remember(key, entry, seconds, read_at)
        elif entry["content"] is None:
            entry["confirmed"] = read_at  # the generation read just now says it is current
        if entry and entry["generation"] == generation:
            response = self._from_entry(request, entry)
            if response is not None:
                return response
        return self.store(request, self.get_response(request), key, generation, seconds)

    @staticmethod
    def _from_entry(request, entry):
        # A page has a gzip form when compressing it saved bytes; a feed (validators only) is
        # compressed per response by mwi.lib.compression, which weakens its ETag the same way.
        varies = entry.get("varies", False)
        gzipped = varies and accepts_gzip(request)
        validators = _variant(entry["validators"], gzipped)
        response = get_conditional_response(
            request, etag=validators.get("ETag"), last_modified=entry.get("last_modified")
        )
        if response is None:
            if entry.get("content") is None:
                return None  # only validators are kept: the view builds the body
            response = HttpResponse(entry["gzip"] if gzipped else entry["content"])
            for name, value in entry["headers"].items():
                response[name] = value
            response["Content-Length"] = len(response.content)
            if gzipped:
                response["Content-Encoding"] = "gzip"
        for name, value in validators.items():
            response[name] = value
        if varies:
            patch_vary_headers(response, ("Accept-Encoding",))
        return response

    def store(self, request, response, key, generation, seconds):
        if response.status_code not in (200, 304) or response.streaming or response.cookies:
            return response
        if key != cache_key(rendered_audience_class(request), request.build_absolute_uri()):
            return response  # rendered for another audience than the key's: never share it
        # A page with a form holds this visitor's CSRF token: never share it.
        shared = not request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not any(
            word in response.get("Cache-Control", "") for word in ("no-store", "private")
        )
        if not shared:
            return response
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        is_page = response.status_code == 200 and response["Content-Type"].startswith("text/html")
        if is_page:
            response["ETag"] = content_etag(response.content)
        elif not response.has_header("ETag"):
            return response
        validators = {name: response[name] for name in VALIDATORS if response.has_header(name)}
        compressed = compress_once(response.content) if is_page else None
        entry = {
            "generation": generation,
            "content": response.content if is_page else None,
            "gzip": compressed,
            "varies": compressed is not None
            if is_page
            else is_compressible(response.get("Content-Type")),
            "headers": headers,
            "validators": validators,
            "last_modified": _timestamp(response.get("Last-Modified")),
        }
        cache.set(key, entry, seconds)
        _remember(key, entry, seconds, getattr(request, "_pagecache_read_at", None))
        if not is_page:
            return response
        # This visitor's form of the page, exactly as the next one gets it from the cache.
        return self._from_entry(request, entry)

    @staticmethod
    def _cacheable_request(request):
        return (
            request.method in ("GET", "HEAD")
            and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_STRING
            and not request.path_info.startswith(PRIVATE_PREFIXES)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            # A script with a personal access token (the API) is not anonymous.
            and "HTTP_AUTHORIZATION" not in request.META
            # Messages waiting for this visitor are shown once, on their own page.
            and "messages" not in request.COOKIES
        )


ANONYMOUS_CLASS = "anonymous"


def cache_key(audience_class, url):
    """The cache key of a page: its audience class and its absolute URL."""
    return f"pagecache:{audience_class}:" + hashlib.sha256(url.encode()).hexdigest()


def request_audience_class(request):
    """The audience class of a request the middleware may answer: only visitors without a
    session (anonymous by definition) are served from the cache for now."""
    return ANONYMOUS_CLASS


def rendered_audience_class(request):
    """The audience class the response was rendered for (participants.access.Audience);
    none known means the page was not rendered through the site's middleware: not shared."""
    audience = getattr(request, "audience", None)
    return getattr(audience, "cache_class", None)


def _variant(validators, gzipped):
    """The validators of the gzip form: its ETag is the page's, made weak."""
    if gzipped and validators.get("ETag"):
        return {**validators, "ETag": weak_etag(validators["ETag"])}
    return validators


def _timestamp(value):
    return parse_http_date_safe(value) if value else None


# --- signed-in visitors -----------------------------------------------------------------------
# Fragments of a page that differ per visitor: {name: template}. A template gets `request`,
# `user`, `audience` and `csrf_token` only (no context processors: it renders per request).
PERSONAL = {"account_menu": "includes/account_menu.html"}


@functools.cache
def _marker():
    digest = salted_hmac("mwi.lib.pagecache", "placeholder", algorithm="sha256").hexdigest()
    return "mwi-personal-" + digest[:24]


def placeholder(name):
    """What a page rendered for the cache holds where personal fragment `name` goes."""
    return f"<!--{_marker()}:{name}-->"


def csrf_marker():
    """What a page rendered for the cache holds where the visitor's CSRF token goes."""
    return _marker() + ":csrf"


def rendering_shared(request):
    """Whether `request`'s page is being rendered for an entry shared by its audience class."""
    return getattr(request, "_pagecache_shared", False)


def csrf_placeholder(request):
    """Template context processor: `csrf_token` is a placeholder while a page is rendered for
    the cache (it comes after Django's own csrf processor, which it overrides)."""
    return {"csrf_token": csrf_marker()} if rendering_shared(request) else {}


# Personal fragments as rendered, with the CSRF placeholder: {key: text}; bounded.
_fragments = {}
FRAGMENTS = 1000


def _fragment_key(name, user, audience):
    """What a signed-in visitor's fragment `name` is rendered from: the account's own fields
    (as loaded; its password hash left out), its audience and the language."""
    fields = tuple(
        getattr(user, field.attname)
        for field in user._meta.concrete_fields
        # not loaded when the account is kept (participants.accounts)
        if field.attname != "password"
    )
    rights = (audience.is_staff, audience.member_of, audience.manages_ids, audience.user_id)
    return (name, user.__class__, fields, rights, translation.get_language())


def _personal_text(name, request):
    """A signed-in visitor's fragment `name` with the CSRF placeholder, rendered once per
    account state and audience (see _fragment_key: a rename, a staff flag or a revoked
    membership renders it again) and kept in this process: {"text", "gzip"} (the latter
    filled in by personalized_gzip)."""
    user, audience = request.user, request.audience
    key = _fragment_key(name, user, audience)
    fragment = _fragments.get(key)
    if fragment is None:
        context = {"request": request, "user": user, "audience": audience}
        text = get_template(PERSONAL[name]).render({**context, "csrf_token": csrf_marker()})
        if len(_fragments) >= FRAGMENTS:
            _fragments.clear()
        fragment = _fragments[key] = {"text": text, "gzip": None}
    return fragment


def render_personal(name, request, csrf_token):
    """Personal fragment `name` (see PERSONAL) for this request, as text; a signed-in
    visitor's is kept, with the token filled in per request (_personal_text)."""
    if not request.user.is_authenticated:
        context = {"request": request, "user": request.user, "audience": request.audience}
        return get_template(PERSONAL[name]).render({**context, "csrf_token": csrf_token})
    return _personal_text(name, request)["text"].replace(csrf_marker(), csrf_token)


def personalize(content, request):
    """`content` (bytes, as stored) with this visitor's own bits in place of the placeholders."""
    text = content.decode()
    marker = _marker()
    if marker not in text:
        return content
    token = get_token(request)
    for name in PERSONAL:
        mark = placeholder(name)
        if mark in text:
            text = text.replace(mark, render_personal(name, request, token))
    return text.replace(csrf_marker(), token).encode()


@functools.cache
def _segment_re():
    marker = re.escape(_marker().encode())
    return re.compile(rb"<!--" + marker + rb":(\w+)-->|" + marker + rb":csrf")


def segments(content):
    """The parts of a page kept for its audience class, for spliced_gzip: a shared part is
    (start, end, its deflate_segment form), a visitor's own part is the name of a personal
    fragment or "" for the CSRF token. None when compressing the page would not pay."""
    if len(content) < MIN_LENGTH:
        return None
    parts, start = [], 0
    for match in _segment_re().finditer(content):
        parts.append((start, match.start(), deflate_segment(content[start : match.start()])))
        parts.append(match[1].decode() if match[1] else "")
        start = match.end()
    parts.append((start, len(content), deflate_segment(content[start:])))
    return parts


def personalized_gzip(content, parts, request):
    """The gzip form of personalize(content, request) for a signed-in visitor, from the page's
    `segments`. The shared parts and the account menu are deflated once (the menu once per
    account state, in this process); the CSRF token, the only part made per response, goes
    in stored (uncompressed) blocks: compressed with nothing, it reveals nothing (BREACH, see
    mwi.lib.compression)."""
    token = get_token(request).encode()
    own_token = (token, stored_segment(token))
    view = memoryview(content)
    pieces = []
    for part in parts:
        if isinstance(part, tuple):
            start, end, deflated = part
            pieces.append((view[start:end], deflated))
        elif not part:
            pieces.append(own_token)
        else:
            fragment = _personal_text(part, request)
            if fragment["gzip"] is None:
                around = fragment["text"].encode().split(csrf_marker().encode())
                fragment["gzip"] = [(text, deflate_segment(text)) for text in around]
            for index, piece in enumerate(fragment["gzip"]):
                if index:
                    pieces.append(own_token)
                pieces.append(piece)
    return spliced_gzip(pieces)


class AudiencePageCacheMiddleware:
    """Serve signed-in visitors' GETs from the cache of their audience class (see the module
    docstring). It sits right after participants.access.AudienceMiddleware and before the
    middleware that change a response per audience (e-mail redaction), so what is stored is
    exactly what the class gets. Visitors who are not signed in are PublicPageCacheMiddleware's.

    A hit costs the session and the account (with REDIS_URL one cache read each, no query:
    participants.accounts keeps the account with its rights; without it 2 queries), the
    generation and usually no entry read (this process's copy). The account menu is rendered
    once per account state (render_personal). The page's shared parts are gzipped once, when
    stored (`segments`), the account menu once per account state, and a response compresses
    nothing (personalized_gzip: the token is sent uncompressed; BREACH: mwi.lib.compression).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not self._cacheable_request(request):
            return self.get_response(request)
        audience_class = rendered_audience_class(request)
        key = cache_key("signed-in/" + audience_class, request.build_absolute_uri())
        # Read with the account's version when the account was kept (participants.accounts).
        generation = getattr(request, "versions", {}).get(VERSION) or invalidation.version(VERSION)
        entry = _local.get(key)
        if not entry or entry["generation"] != generation or entry["expires"] < time.monotonic():
            entry = cache.get(key)
            if entry and entry["generation"] == generation:
                _remember(key, entry, seconds)
        if entry and entry["generation"] == generation:
            return self._respond(request, entry)
        request._pagecache_shared = True
        response = self.get_response(request)
        request._pagecache_shared = False
        if not self._storable(request, response, audience_class):
            if b"mwi-personal-" in getattr(response, "content", b"") and not response.streaming:
                response.content = personalize(response.content, request)
            return response
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        entry = {
            "generation": generation,
            "content": response.content,
            "headers": headers,
            "segments": segments(response.content),
        }
        cache.set(key, entry, seconds)
        _remember(key, entry, seconds)
        return self._respond(request, entry)

    @staticmethod
    def _respond(request, entry):
        parts = entry.get("segments")
        if parts is not None and accepts_gzip(request):
            response = HttpResponse(personalized_gzip(entry["content"], parts, request))
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(personalize(entry["content"], request))
        for name, value in entry["headers"].items():
            response[name] = value
        if parts is not None:
            patch_vary_headers(response, ("Accept-Encoding",))
        return response

    @staticmethod
    def _cacheable_request(request):
        return (
            request.method in ("GET", "HEAD")
            and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_STRING
            and not request.path_info.startswith(PRIVATE_PREFIXES)
            and request.user.is_authenticated
            # Messages waiting for this visitor are shown once, on their own page.
            and "messages" not in request.COOKIES
            and "_messages" not in request.session
        )

    @staticmethod
    def _storable(request, response, audience_class):
        audience = request.audience
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and response.get("Content-Type", "").startswith("text/html")
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not any(
                word in response.get("Cache-Control", "") for word in ("no-store", "private")
            )
            and not getattr(audience, "personal", False)
            and rendered_audience_class(request) == audience_class
        )
