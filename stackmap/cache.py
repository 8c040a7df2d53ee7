"""Rendered stack-map fragments, cached under a stack-map version.

The diagram and the SVG cost hundreds of milliseconds at foundation scale (benchmarks/STACK.md)
and change only when the map does, while the whole-page cache (mwi/lib/pagecache.py) throws every
page away on any write anywhere (a meeting saved, minutes published). So what the stack map's
pages render from its tables alone is kept under a version of the stack map: the diagram's body,
the SVG, the JSON and CSV downloads (as bytes, with their ETag and gzip form), the table, the
changes, the gaps, the integration matrix, a block's and the projects list's bodies (per query
string, see query_part), a project's stack part and a use case's coverage. What depends on the
visitor (the meetings a project's page lists, the header) is rendered per request around them.

The version is "stackmap" in mwi.lib.invalidation, replaced when a transaction that wrote to
a stackmap table, or to a row the map cites (CITED_TABLES), commits (the importers and
generate_scale_data write with bulk_create and update(), which send no signals;
mwi.lib.invalidation sees those writes too). A fragment
rendered while a write commits is stored under the version read before rendering, so it is
never read again.

Only on when the cache is shared by every worker (PAGE_CACHE_SECONDS > 0 means Redis, see
mwi/settings.py): a per-process cache would not see other workers' writes.
"""

import logging

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from mwi.lib import invalidation

log = logging.getLogger(__name__)

VERSION = "stackmap"
# Fragments also expire: as_of dates make many keys, and old versions are never read again.
FRAGMENT_SECONDS = 24 * 3600

# Besides the map's own tables, the rows its pages cite: a source meeting's date, title and
# link, its committee's slug and time zone, a use case's champion. Attendance, materials and
# the other meeting tables are not shown on the map and leave it alone.
CITED_TABLES = {"meetings_meeting", "participants_committee", "participants_person"}
invalidation.watch(VERSION, lambda table: table.startswith("stackmap_") or table in CITED_TABLES)


# Longest query string whose fragment is kept: a longer one is rendered each time.
MAX_QUERY = 120


def query_part(request, params):
    """The request's query string (str) as a part of a fragment's key, for a fragment that
    depends on the GET parameters `params` and on nothing else of the request (its page links
    keep every parameter, {% querystring %}); None, which fragment() renders without keeping,
    for a query with another parameter, a repeated one, or longer than MAX_QUERY."""
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY or not set(request.GET) <= set(params):
        return None
    if any(len(values) > 1 for _, values in request.GET.lists()):
        return None
    return request.GET.urlencode()


def fragment(name, parts, render):
    """The cached value (text, or bytes for a download) for name + parts under the current
    version, or render() (and keep it). A part that is None: render() and keep nothing."""
    if not invalidation.enabled() or None in parts:
        return render()
    try:
        key = ":".join(["stackmap", name, invalidation.version(VERSION), *map(str, parts)])
        text = cache.get(key)
    except Exception:  # the cache is an optimisation: render when it is down
        log.exception("stack map cache unavailable")
        return render()
    if text is None:
        text = render()
        cache.set(key, text, FRAGMENT_SECONDS)
    return text


def rendered(name, parts, template, context):
    """`template` rendered with the dict `context()` returns, as safe HTML, kept as fragment()
    keeps it: a hit calls neither context() nor the template."""
    html = fragment(name, parts, lambda: render_to_string(template, context()))
    return mark_safe(html)  # noqa: S308 - rendered by our template, autoescaped
