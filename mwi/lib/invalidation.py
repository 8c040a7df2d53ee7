"""Named versions of cached content, replaced when a transaction that wrote their tables commits.

The one place that decides when cached content is stale. A cache keys what it stores under a
named version ("pages": every anonymous page, mwi.lib.pagecache; "stackmap": the stack map's
rendered fragments, stackmap.cache; "meetings": values derived from every meeting,
meetings.cache via `remember`; "feeds": the calendar feeds' ETag and Last-Modified,
meetings.ical.versions) and never serves an entry stored under an older one.

- `watch(name, tables)` says which tables a version depends on;
- a connection execute wrapper (`install`, connected for every connection by mwi.apps) sees
  every INSERT, UPDATE and DELETE that Django sends (save(), bulk_create, queryset.update(),
  cascades, the admin, importers, management commands in other processes) and schedules the
  versions that the written table concerns for the transaction's commit;
- on commit those versions get a new random value in the shared cache (`bump`), stamped with
  the time (`stamp`: a Last-Modified); a rolled-back transaction (or savepoint) bumps
  nothing, because Django drops its on_commit callbacks.

Writes are seen by SQL, not by model signals, because bulk operations send no signals. Content
rendered while a write commits is stored under the version read before rendering, so it is
never read again. Content caches are only on when the cache is shared by every worker
(PAGE_CACHE_SECONDS > 0 means Redis, see mwi/settings.py): a per-process cache would not see
the other workers' writes.

A version watched with `always=True` (the feeds' validators, which HTTP clients keep, not us) is
tracked whatever PAGE_CACHE_SECONDS says, and a write also bumps it at once, before its commit,
when the version was read since its last bump: reads in the writing transaction (the tests'
own, or a view that writes and then answers) see the change too. Its exactness across workers
and management commands needs the shared cache (REDIS_URL), as the page cache does; with the
per-process default cache it is exact within one process.
"""

import datetime as dt
import functools
import logging
import re
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

KEY_PREFIX = "version:"
# The table a write statement writes, as Django quotes it on SQLite and PostgreSQL.
_WRITE_RE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?([\w.]+)',
    re.IGNORECASE,
)
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")

# name -> predicate(table name) -> whether a write to that table makes the version stale
_watched = {}
# names of the versions tracked even with content caching off, and bumped at once too
_always = set()
# names of `_always` versions read in this process since this process last bumped them
_read = set()
# name -> callables run in this process right after the version is bumped
_listeners = {}


def enabled():
    """Whether cached content is kept at all (a shared cache, PAGE_CACHE_SECONDS > 0)."""
    return bool(settings.PAGE_CACHE_SECONDS)


def watch(name, tables, *, always=False):
    """Make version `name` depend on the tables for which `tables(table_name)` is true.
    `always`: tracked even when content caching is off, and bumped at once as well as on
    commit (see the module's docstring)."""
    _watched[name] = tables
    if always:
        _always.add(name)
    else:
        _always.discard(name)


def on_bump(name, callback):
    """Run `callback()` in this process whenever it bumps `name` (e.g. to drop local copies)."""
    _listeners.setdefault(name, []).append(callback)


def _new_value():
    # "<unix time, µs>-<random hex>": unique, and it says when it was made.
    return f"{time.time():.6f}-{uuid.uuid4().hex}"


def version(name):
    """The current value of version `name` (a string), created on first use. 1 cache read."""
    key = KEY_PREFIX + name
    current = cache.get(key)
    if current is None:
        cache.add(key, _new_value(), None)
        current = cache.get(key)
    if name in _always:
        _read.add(name)
    return current


def versions(*names):
    """{name: current value} of several versions, in one cache read (see `version`)."""
    return read_with_versions([], names)[1]


def read_with_versions(keys, names):
    """({key: value} of the cache `keys` that are set, {name: current value} of versions
    `names`): both in one cache read (see `version`; a version used for the first time is
    created, one more read)."""
    found = cache.get_many([*keys, *(KEY_PREFIX + name for name in names)])
    result = {}
    for name in names:
        current = found.get(KEY_PREFIX + name)
        if current is None:
            current = version(name)
        elif name in _always:
            _read.add(name)
        result[name] = current
    return {key: found[key] for key in keys if key in found}, result


def stamp(name):
    """(value, changed) of version `name`: its value and the aware UTC datetime it was made (its
    last bump, or its first use: never earlier than the change it stands for). 1 cache read."""
    value = version(name)
    made, _, _ = value.partition("-")
    try:
        changed = dt.datetime.fromtimestamp(float(made), dt.UTC)
    except ValueError:  # a value written by an older release: made now
        changed = dt.datetime.now(dt.UTC)
    return value, changed


def bump(*names):
    """Give the versions new values: everything stored under the old ones is stale. Never
    raises: a cache outage must not fail a write that has already committed (it is logged)."""
    for name in names:
        _read.discard(name)
        for callback in _listeners.get(name, ()):
            callback()
    try:
        cache.set_many({KEY_PREFIX + name: _new_value() for name in names}, None)
    except Exception:
        log.exception("could not invalidate the cached %s", ", ".join(names))


def bump_all():
    """Bump every watched version: for rows changed below Django's connection (a database
    restored from a backup, mwi.lib.backups, or a test's copy), which `track_writes` does not
    see."""
    bump(*_watched)


def bump_on_commit(name, using=None):
    """Bump `name` when the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(functools.partial(bump, name), using=using)


def written_table(sql):
    """The table a write statement writes, None for a statement that writes nothing, "" for
    a write whose table cannot be read (treated as a write to every table)."""
    head = sql.lstrip()[:7].upper()
    if not head.startswith(_WRITES):
        return None
    match = _WRITE_RE.match(sql)
    return match[1].lower() if match else ""


def track_writes(execute, sql, params, many, context):
    """Connection execute wrapper: a write schedules the versions of its table on commit (and
    bumps the `always` ones read since their last bump at once)."""
    if _watched and (_always or enabled()):
        table = written_table(sql)
        if table is not None:
            alias = context["connection"].alias
            caching = enabled()
            for name, tables in _watched.items():
                if not (table == "" or tables(table)):
                    continue
                if name in _always:
                    if name in _read:
                        bump(name)
                elif not caching:
                    continue
                bump_on_commit(name, using=alias)
    return execute(sql, params, many, context)


def install(connection, **kwargs):
    """connection_created receiver (see mwi.apps): watch every connection's writes."""
    if track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(track_writes)


def remember(name, parts, compute, seconds):
    """The value `compute()` returned for `parts` under the current version `name`, computed
    once per version rather than per request (kept `seconds` at most, for values that also
    depend on the clock). Without a cache (`enabled()` false) or when the cache fails, it is
    computed each time. A value computed while a write commits is stored under the version
    read before computing, so it is never read again."""
    if not enabled():
        return compute()
    try:
        key = ":".join(["computed", name, version(name), *map(str, parts)])
        value = cache.get(key)
    except Exception:
        log.exception("cache unavailable for %s", name)
        return compute()
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
