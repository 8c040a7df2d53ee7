"""The signed-in account of a request, kept in the shared cache while sessions are kept there.

Django's AuthenticationMiddleware reads the account from the database on every request. For a
page the page cache answers (mwi.lib.pagecache.AudiencePageCacheMiddleware) that query, and
the two that find the account's audience (participants.access), were most of the page's cost.
This middleware keeps, per account, what those three queries return (the account and its
rights of the day) in the cache under the "audiences" version of mwi.lib.invalidation, which
every committed write to the accounts, groups, people and memberships replaces (a sign-in
writes `last_login`, a rename, a deactivation, a password change, a revoked membership: all
of them); an entry read under an older version is never used. This process keeps a copy of
the entries it read, checked against the version on every request: a hit costs no query and no
cache read of its own (the version is read with the session and the page cache's generation,
participants.sessions: `request.versions`).

Exactly as safe as Django's own lookup:
- Only where sessions are kept in the cache too (SESSION_ENGINE participants.sessions,
  `cached_db` or `cache`: with REDIS_URL), and the page cache is on. Whoever trusts the
  cache for who is signed in trusts it for the account; with sessions in the database (the
  embedded default) every request reads the account from the database, as Django does,
  because a per-process cache would not see a deactivation or a password change made by
  another process.
- Only for GET and HEAD outside the lead's workspace and the sign-in pages (the requests the
  page cache may answer): every write, and every page that manages accounts, reads the
  account from the database.
- The password hash is never stored in the cache: the account is kept without it (the field is
  deferred, so code that needs it reads it from the database) and with its session hash,
  under a key derived from SECRET_KEY, so a new key never accepts a hash made with the old one.
- Only a session whose hash matches is answered here. Anything else (no such account, an
  inactive one, a hash that does not match, a session made under a fallback key) goes through
  django.contrib.auth.get_user, which flushes or renews the session as usual.
"""

import copy
import functools
import time

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.functional import SimpleLazyObject

from mwi.lib import invalidation, pagecache

from . import access, sessions

CACHED_SESSION_ENGINES = (
    "participants.sessions",
    "django.contrib.sessions.backends.cached_db",
    "django.contrib.sessions.backends.cache",
)
# This process's copies: {key: (expires, account)}; bounded.
_local = {}
LOCAL_ENTRIES = 1000


def kept():
    """Whether accounts are kept in the cache at all (see the module docstring)."""
    return invalidation.enabled() and settings.SESSION_ENGINE in CACHED_SESSION_ENGINES


@functools.cache
def _key_fingerprint(secret_key):
    digest = salted_hmac("participants.accounts", "key", secret=secret_key, algorithm="sha256")
    return digest.hexdigest()[:16]


def _load(backend_path, user_id, day):
    """{"user", "session_hash", "rights"} of an account that may sign in, None otherwise."""
    user = auth.load_backend(backend_path).get_user(user_id)
    if user is None or not hasattr(user, "get_session_auth_hash"):
        return None
    account = {
        "session_hash": user.get_session_auth_hash(),
        "rights": (day, *access.rights(user)),
    }
    # Kept without its password hash: reading `user.password` loads it from the database.
    kept_user = copy.copy(user)
    del kept_user.__dict__["password"]
    account["user"] = kept_user
    return account


def account(backend_path, user_id, version):
    """The kept account (see _load) of `user_id` as `backend_path` loads it, None when it may
    not sign in; `version`: the current "audiences" version. No cache read when this process
    has a copy."""
    day = timezone.localdate().isoformat()
    key = ":".join(
        ("account", version, _key_fingerprint(settings.SECRET_KEY), backend_path, str(user_id), day)
    )
    now = time.monotonic()
    local = _local.get(key)
    if local is not None and local[0] > now:
        return local[1]
    found = cache.get(key)
    if found is None:
        found = _load(backend_path, user_id, day)
        if found is None:
            return None
        cache.set(key, found, access.RIGHTS_SECONDS)
    if len(_local) >= LOCAL_ENTRIES:
        _local.clear()
    _local[key] = (now + access.RIGHTS_SECONDS, found)
    return found


def _answers_from_cache(request):
    return (
        request.method in ("GET", "HEAD")
        # The lead's workspace and sign-in always read the account from the database.
        and not request.path_info.startswith(pagecache.PRIVATE_PREFIXES)
        and kept()
    )


def get_user(request):
    """The request's account: django.contrib.auth.get_user, or the same answer from the cache
    (see the module docstring)."""
    if not _answers_from_cache(request):
        return auth.get_user(request)
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = request.session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        return auth.get_user(request)
    session_hash = request.session.get(auth.HASH_SESSION_KEY)
    if backend_path not in settings.AUTHENTICATION_BACKENDS or not session_hash:
        return auth.get_user(request)
    # The page cache asks for its generation next: both versions in one cache read, the one
    # that loaded the session (participants.sessions) when it came from the cache.
    request.versions = getattr(request.session, "versions", None) or invalidation.versions(
        *sessions.PREFETCHED
    )
    found = account(backend_path, user_id, request.versions[access.RIGHTS_VERSION])
    if found is None or not constant_time_compare(session_hash, found["session_hash"]):
        return auth.get_user(request)
    # A copy of its own: a view may change the account it is given (a form's instance).
    user = copy.copy(found["user"])
    user._audience_rights = found["rights"]
    return user


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's AuthenticationMiddleware, with `request.user` from `get_user` above."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))


def _cached_user(request):
    # As django.contrib.auth.middleware.get_user: once per request.
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)
    return request._cached_user
