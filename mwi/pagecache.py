"""Whole-page cache for anonymous visitors, invalidated by every committed write.

Most requests are anonymous GETs of pages that are the same for every anonymous visitor
(minutes, people, the stack map). PublicPageCacheMiddleware keeps those responses in the
shared cache (Redis in production) and answers the next visitor without a query, with an
ETag so a browser's revalidation is a 304.

Invalidation is by generation, not by guessing which page shows what: every INSERT, UPDATE or
DELETE that reaches the database through Django (save(), bulk_create, queryset.update(), the
admin, importers, management commands in another process) schedules a new generation when
its transaction commits, and an entry stored under an older generation is never served. A
page rendered while a write commits is stored under the generation read before rendering, so
it is thrown away on the next request. Content that depends on the clock (the next meeting,
"as of today") is at most PAGE_CACHE_SECONDS old.

Off when PAGE_CACHE_SECONDS is 0 (the default without REDIS_URL: a per-process cache cannot
see the other workers' writes).
"""

import hashlib
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import get_conditional_response

log = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
# Writes to these tables never change what a public page shows: sign-ins and throttling.
IGNORED_TABLES = ('"django_session"', '"axes_', '"auth_user"', '"django_admin_log"')
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
MAX_QUERY_STRING = 200
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link")


def new_generation():
    """Make every cached page stale (called after each committed write)."""
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:  # a cache outage must not fail a write that has already committed
        log.exception("could not invalidate the page cache")


def track_writes(execute, sql, params, many, context):
    """Connection execute wrapper: a write schedules a new generation on commit."""
    head = sql.lstrip()[:80]
    if (
        settings.PAGE_CACHE_SECONDS
        and head[:7].upper().startswith(WRITES)
        and not any(t in head for t in IGNORED_TABLES)
    ):
        transaction.on_commit(new_generation, using=context["connection"].alias)
    return execute(sql, params, many, context)


def install(connection, **kwargs):
    """connection_created receiver (see mwi.apps): watch every connection's writes."""
    if track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(track_writes)


# This process's copies of recently served pages: {key: entry + "expires"}; bounded.
_local = {}
LOCAL_ENTRIES = 200


def _remember(key, entry, seconds):
    if len(_local) >= LOCAL_ENTRIES:
        _local.clear()
    _local[key] = {**entry, "expires": time.monotonic() + seconds}


class PublicPageCacheMiddleware:
    """Serve anonymous GETs of HTML pages from the cache (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.store(request, self.get_response(request))

    def process_view(self, request, view, args, kwargs):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not self._cacheable_request(request):
            return None
        key = "pagecache:page:" + hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        # The generation always comes from the shared cache; the page itself from this
        # process's copy when that copy is of the current generation (saves moving a large
        # page out of Redis on every request).
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
            generation = cache.get(GENERATION_KEY)
        entry = _local.get(key)
        if not entry or entry["generation"] != generation or entry["expires"] < time.monotonic():
            entry = cache.get(key)
            if entry and entry["generation"] == generation:
                _remember(key, entry, seconds)
        if entry and entry["generation"] == generation:
            response = get_conditional_response(request, etag=entry["etag"])
            if response is None:
                response = HttpResponse(entry["content"], status=200)
                for name, value in entry["headers"].items():
                    response[name] = value
            response["ETag"] = entry["etag"]
            return response
        request._page_cache = (key, generation, seconds)
        return None

    def store(self, request, response):
        pending = getattr(request, "_page_cache", None)
        if pending is None or not self._cacheable_response(request, response):
            return response
        key, generation, seconds = pending
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        entry = {"generation": generation, "etag": etag, "content": response.content}
        entry["headers"] = headers
        cache.set(key, entry, seconds)
        _remember(key, entry, seconds)
        response["ETag"] = etag
        if get_conditional_response(request, etag=etag) is not None:
            return HttpResponseNotModified(headers={"ETag": etag})
        return response

    @staticmethod
    def _cacheable_request(request):
        match = request.resolver_match
        return (
            request.method in ("GET", "HEAD")
            and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_STRING
            and match is not None
            and "admin" not in match.namespaces
            # Messages waiting for this visitor are shown once, on their own page.
            and "messages" not in request.COOKIES
            and not request.user.is_authenticated
            and "_messages" not in getattr(request, "session", {})
        )

    @staticmethod
    def _cacheable_response(request, response):
        return (
            response.status_code == 200
            and not response.streaming
            and response["Content-Type"].startswith("text/html")
            and not response.cookies
            # A page with a form holds this visitor's CSRF token: never share it.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and "no-store" not in response.get("Cache-Control", "")
            and "private" not in response.get("Cache-Control", "")
        )
