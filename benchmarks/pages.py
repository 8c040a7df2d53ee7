"""The pages benchmarks/run measures: a selection of tests/pages.py, where every public page is
listed once with its URL on the loaded data and its query budget (pinned by the query-count
tests at 10 and 400 meetings).

Run `python -m benchmarks.pages` (with DATABASE_URL set) to print the URLs as JSON; `--count`
adds each page's queries on that database.
"""

import json
import os
import sys

from tests.pages import PAGES

# The page kinds measured under load (one per kind of view cost: lists, details, the stack
# map's heavy pages, the feed and its 304).
MEASURED = {
    "home",
    "committee",
    "archive",
    "meeting",
    "search",
    "people",
    "person",
    "organization",
    "stack diagram",
    "gaps",
    "integration matrix",
    "project",
    "feed",
    "feed 304",
}
BENCHMARKED = [page for page in PAGES if page.label in MEASURED]


def count_queries(urls, host="127.0.0.1"):
    """{label: (status, queries)} for one anonymous request per page with an empty cache."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, counts = Client(HTTP_HOST=host), {}
    for page in BENCHMARKED:
        cache.clear()
        headers = {}
        if page.conditional:
            etag = client.get(urls[page.label]).headers.get("ETag", "")
            headers["If-None-Match"] = etag
        with CaptureQueriesContext(connection) as queries:
            try:
                status = client.get(urls[page.label], headers=headers).status_code
            except Exception as error:  # noqa: BLE001 - a report, not a handler
                status = f"{type(error).__name__}: {error}"
        counts[page.label] = (status, len(queries))
    return counts


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mwi.settings")
    django.setup()
    urls = {page.label: page.url() for page in BENCHMARKED}
    result = {
        "urls": urls,
        "conditional": [page.label for page in BENCHMARKED if page.conditional],
        "budgets": {page.label: page.queries for page in BENCHMARKED},
    }
    if "--count" in sys.argv:
        result["queries"] = count_queries(urls)
    print(json.dumps(result, indent=2))
