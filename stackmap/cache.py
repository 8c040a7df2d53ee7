"""Rendered stack-map fragments, cached under a stack-map version.

The diagram and the SVG cost hundreds of milliseconds at foundation scale (benchmarks/STACK.md)
and change only when the map does, while the whole-page cache (mwi/pagecache.py) throws every
page away on any write anywhere (a meeting saved, minutes published). So the diagram's body
and the SVG are kept under a version of the stack map alone.

The version is a token in the shared cache, replaced when a transaction that wrote to a
stackmap table commits. Writes are seen by a connection execute wrapper rather than by model
signals because the importers and generate_scale_data write with bulk_create and update(),
which send no signals; the wrapper sees every INSERT, UPDATE and DELETE Django sends (save(),
bulk operations, cascades from a deleted meeting, the admin, another process's command).
A fragment rendered while a write commits is stored under the version read before rendering,
so it is never read again.

Only on when the cache is shared by every worker (PAGE_CACHE_SECONDS > 0 means Redis, see
mwi/settings.py): a per-process cache would not see other workers' writes.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

VERSION_KEY = "stackmap:version"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# Fragments also expire: as_of dates make many keys, and old versions are never read again.
FRAGMENT_SECONDS = 24 * 3600


def enabled():
    return bool(settings.PAGE_CACHE_SECONDS)


def bump():
    """Make every cached fragment stale (after a committed write to the stack map)."""
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except Exception:  # a cache outage must not fail a write that has already committed
        log.exception("could not invalidate the stack map's cached fragments")


def version():
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        current = cache.get(VERSION_KEY)
    return current


def track_writes(execute, sql, params, many, context):
    """Connection execute wrapper: a write to a stackmap_ table bumps the version on commit."""
    head = sql.lstrip()[:60]
    if enabled() and head[:7].upper().startswith(WRITES) and '"stackmap_' in head:
        transaction.on_commit(bump, using=context["connection"].alias)
    return execute(sql, params, many, context)


def install(connection, **kwargs):
    """connection_created receiver (see StackmapConfig.ready)."""
    if track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(track_writes)


def fragment(name, parts, render):
    """The cached text for name + parts under the current version, or render() (and keep it)."""
    if not enabled():
        return render()
    try:
        key = ":".join(["stackmap", name, version(), *map(str, parts)])
        text = cache.get(key)
    except Exception:  # the cache is an optimisation: render when it is down
        log.exception("stack map cache unavailable")
        return render()
    if text is None:
        text = render()
        cache.set(key, text, FRAGMENT_SECONDS)
    return text
