"""Rendered stack-map fragments, cached under a stack-map version.

The diagram and the SVG cost hundreds of milliseconds at foundation scale (benchmarks/STACK.md)
and change only when the map does, while the whole-page cache (mwi/lib/pagecache.py) throws every
page away on any write anywhere (a meeting saved, minutes published). So the diagram's body
and the SVG are kept under a version of the stack map alone.

The version is "stackmap" in mwi.lib.invalidation, replaced when a transaction that wrote to
a stackmap table commits (the importers and generate_scale_data write with bulk_create and
update(), which send no signals; mwi.lib.invalidation sees those writes too). A fragment
rendered while a write commits is stored under the version read before rendering, so it is
never read again.

Only on when the cache is shared by every worker (PAGE_CACHE_SECONDS > 0 means Redis, see
mwi/settings.py): a per-process cache would not see other workers' writes.
"""

import logging

from django.core.cache import cache

from mwi.lib import invalidation

log = logging.getLogger(__name__)

VERSION = "stackmap"
# Fragments also expire: as_of dates make many keys, and old versions are never read again.
FRAGMENT_SECONDS = 24 * 3600

invalidation.watch(VERSION, lambda table: table.startswith("stackmap_"))


def fragment(name, parts, render):
    """The cached text for name + parts under the current version, or render() (and keep it)."""
    if not invalidation.enabled():
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
