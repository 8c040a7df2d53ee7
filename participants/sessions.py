"""Sessions in the cache and the database, read with the versions a signed-in page asks for next.

Django's `cached_db` session engine (SESSION_ENGINE "participants.sessions" with REDIS_URL),
with one change: loading a session from the cache reads, in the same round trip, the versions
of mwi.lib.invalidation that a signed-in visitor's GET asks for right after it (the account's,
participants.accounts, and the page cache's generation). A page answered from the cache then
costs one cache read before the page itself, not two.

`SessionStore.versions`: {name: value} read with the session, or None (not loaded yet, the
session cache is not the default cache, or the session was not in the cache). Anything else is
Django's cached_db engine, unchanged: on a cache miss the session is read from the database.
"""

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.core.cache import DEFAULT_CACHE_ALIAS

from mwi.lib import invalidation, pagecache

from . import access

# The versions participants.accounts.get_user reads for a GET answered from the cache.
PREFETCHED = (access.RIGHTS_VERSION, pagecache.VERSION)


class SessionStore(cached_db.SessionStore):
    versions = None

    def load(self):
        if settings.SESSION_CACHE_ALIAS != DEFAULT_CACHE_ALIAS:
            return super().load()
        try:
            found, self.versions = invalidation.read_with_versions([self.cache_key], PREFETCHED)
        except Exception:  # noqa: BLE001 - as Django's engine: a bad key resets the session
            return super().load()
        data = found.get(self.cache_key)
        # Not in the cache: Django's engine reads the database and fills the cache.
        return super().load() if data is None else data
