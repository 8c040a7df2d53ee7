"""Feed revalidations through the page cache (mwi.lib.pagecache): fast, and never stale for long.

A worker answers a feed's If-None-Match from its own copy of the validators for
VALIDATOR_TRUST_SECONDS without reading the generation; a write in the same process is seen
at once, a write in another worker at most that long later (feeds allow max-age=300).
"""

import pytest
from django.core.cache import cache

from meetings.ical import versions
from mwi.lib import invalidation, pagecache
from tests.factories import MeetingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


@pytest.fixture
def clock(monkeypatch):
    """pagecache's monotonic clock, moved forward by hand."""
    now = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: now[0])
    return now


def revalidate(client, etag):
    return client.get("/calendar.ics", headers={"If-None-Match": etag})


def test_a_revalidation_is_a_304_without_a_query_or_a_cache_read(
    anonymous_client, committee, clock, django_assert_num_queries, monkeypatch
):
    MeetingFactory(committee=committee)
    etag = anonymous_client.get("/calendar.ics")["ETag"]
    assert revalidate(anonymous_client, etag).status_code == 304  # stores the validators
    monkeypatch.setattr(cache, "get", lambda *a, **k: pytest.fail("read the shared cache"))
    with django_assert_num_queries(0):
        response = revalidate(anonymous_client, etag)
    assert response.status_code == 304
    assert response["ETag"] == etag


def test_a_write_in_another_worker_shows_once_the_trusted_second_is_over(
    anonymous_client, committee, clock
):
    MeetingFactory(committee=committee)
    etag = anonymous_client.get("/calendar.ics")["ETag"]
    revalidate(anonymous_client, etag)
    # Another worker's write: the data and the generation change, this process is not told.
    for name in (pagecache.VERSION, versions.VERSION):
        cache.set(invalidation.KEY_PREFIX + name, "another worker's generation", None)
    clock[0] += pagecache.VALIDATOR_TRUST_SECONDS / 2
    assert revalidate(anonymous_client, etag).status_code == 304  # within the second
    clock[0] += pagecache.VALIDATOR_TRUST_SECONDS
    changed = revalidate(anonymous_client, etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_write_in_this_process_shows_on_the_next_revalidation(
    anonymous_client, committee, clock, django_capture_on_commit_callbacks
):
    MeetingFactory(committee=committee)
    etag = anonymous_client.get("/calendar.ics")["ETag"]
    revalidate(anonymous_client, etag)
    with django_capture_on_commit_callbacks(execute=True):
        MeetingFactory(committee=committee, title="Added just now")
    changed = revalidate(anonymous_client, etag)
    assert changed.status_code == 200
    assert b"Added just now" in changed.content
