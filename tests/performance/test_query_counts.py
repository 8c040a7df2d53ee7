"""Every page costs the same number of queries at 10 meetings and at scale.

The pages and their pinned budgets live in tests/pages.py (one line per page, shared with the
browser sweep and benchmarks/run). Each dataset is generated once per module by
benchmarks.scale_data and rolled back afterwards; the pages are requested by an anonymous
visitor with an empty cache, which is the most a page can cost.
"""

import io
import re
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks import scale_data

from ..pages import AT_SCALE, urls
from ..shared_data import built_once

# Same number of committees in both, so the home page shows the same kind of page. Transcripts
# are short (tests/calls pins the meeting page with an hour's 1,500 cues).
DATASETS = {
    "10 meetings": [
        "--committees", "3", "--meetings", "10", "--people", "20", "--projects", "10",
        "--cues", "5",
    ],
    "at scale": [
        "--committees", "3", "--meetings", "400", "--people", "100", "--projects", "100",
        "--cues", "200",
    ],
}  # fmt: skip


@pytest.fixture(scope="module", params=list(DATASETS))
def dataset(request, django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        call_command(scale_data.Command(), *DATASETS[request.param], stdout=io.StringIO())
        yield SimpleNamespace(name=request.param, urls=urls(AT_SCALE))


@pytest.mark.parametrize("page", AT_SCALE, ids=lambda page: page.label)
def test_page_costs_the_same_queries_at_any_size(page, dataset, db, anonymous_client):
    url = dataset.urls[page.label]
    cache.clear()
    headers = {}
    if page.conditional:
        headers["If-None-Match"] = anonymous_client.get(url).headers["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = anonymous_client.get(url, headers=headers)
    assert response.status_code == (304 if page.conditional else 200), url
    # A ceiling, as django_assert_max_num_queries: a list with nothing to show on the page
    # skips the query for its rows.
    assert len(queries) <= page.queries, (
        f"{page.label} ({url}) ran {len(queries)} queries, tests/pages.py pins {page.queries}:\n"
        + "\n".join(query["sql"][:200] for query in queries.captured_queries)
    )


def test_the_scale_data_has_what_the_pages_show(dataset, db):
    from meetings.models import Attendance, Meeting, Mention, Recording

    meetings = Meeting.objects.count()
    assert meetings == int(DATASETS[dataset.name][3])
    assert Mention.objects.exists() and Attendance.objects.exists()
    if meetings > 100:
        assert Recording.objects.count() > meetings // 3


def test_the_scale_data_is_found_by_search_like_saved_meetings(dataset, db, anonymous_client):
    # benchmarks.scale_data writes meetings with bulk_create, which skips save(): it must write
    # their search documents itself, or full-text search (PostgreSQL) would find nothing.
    from django.db import connection

    from meetings.models import Meeting

    if connection.vendor == "postgresql":
        assert not Meeting.objects.filter(search_document__isnull=True).exists()
    title = Meeting.objects.order_by("pk").first().title
    html = anonymous_client.get("/search/", {"q": title}).content.decode()
    assert re.search(r'href="/meetings/\d{4}-\d\d-\d\d-\d+/"', html)
