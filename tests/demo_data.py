"""The demo (loaddemo) in the test database, imported once per test process.

On SQLite's in-memory test database the first import is kept with SQLite's online backup, and
later modules get a copy of it: a few milliseconds instead of 2 s of importing, the same rows.
On any other database loaddemo runs each time. The browser tests import it each time: their
live server may still be answering the previous test when a copy would replace the database.
"""

import io
import sqlite3
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from mwi.lib import invalidation
from tests.shared_data import built_once

_copies = {}  # name -> an in-memory SQLite database holding a copy of the test database


def copyable():
    """Whether the test database can be copied out and back in (SQLite in memory)."""
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def _keep(name):
    connection.ensure_connection()
    _copies[name] = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(_copies[name])


def _put_back(name):
    """Replace the test database's content with copy `name`; whatever was cached from the
    database before is stale (the write tracker does not see a copy)."""
    connection.ensure_connection()
    _copies[name].backup(connection.connection)
    ContentType.objects.clear_cache()
    invalidation.bump_all()


@contextmanager
def demo_loaded(django_db_blocker):
    """The demo in the database for the block, then the database as it was before: rolled
    back, or (when copyable) copied back from before the demo."""
    with django_db_blocker.unblock():
        if not copyable():
            with built_once(django_db_blocker):
                call_command("loaddemo", stdout=io.StringIO())
                yield
            return
        _keep("before the demo")
        if "demo" in _copies:
            _put_back("demo")
        else:
            call_command("loaddemo", stdout=io.StringIO())
            _keep("demo")
        try:
            yield
        finally:
            _put_back("before the demo")
