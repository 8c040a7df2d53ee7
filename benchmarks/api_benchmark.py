"""Time the read API's heaviest list: a page of 100 meetings, with an empty cache.

Usage (on a database filled by `python -m benchmarks.scale_data`, 10,000 meetings):
    DATABASE_URL=... python -m benchmarks.api_benchmark [--runs 50]

Requests go through the whole Django stack in this process (django.test.Client: middleware,
authentication, throttle, serializers, ETag), with the page cache off; the throttle's counter
lives in the process's cache. Prints median and 90th percentile per URL and audience, and the
queries each request ran. Results: benchmarks/API.md.
"""

import os
import statistics
import sys
import time

import django

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mwi.settings")
    django.setup()

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

URLS = [
    "/api/meetings/?page_size=100",
    "/api/meetings/?page_size=100&page=50",
    "/api/meetings/?page_size=100&has_minutes=true&start_after=2015-01-01",
    "/api/people/?page_size=100",
    "/api/mappings/?page_size=100&as_of=2020-12-31",
]


def measure(client, url, runs):
    times = []
    for _ in range(runs):
        cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1], len(queries)


def calibration():
    """ms for a fixed pure-Python loop (sum(range(10**6))): how busy the CPU is right now, so
    rows measured on a loaded machine can be compared (about 15 ms on an idle 2-core VM)."""
    times = []
    for _ in range(5):
        start = time.perf_counter()
        sum(range(10**6))
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv):
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 50
    settings.PAGE_CACHE_SECONDS = 0
    settings.API_ANONYMOUS_RATE = "1000000/minute"
    settings.ALLOWED_HOSTS = ["*"]
    from django.contrib.auth.models import User

    from api.models import AccessToken
    from meetings.models import Meeting

    user, _ = User.objects.get_or_create(username="api-benchmark", is_superuser=True)
    AccessToken.objects.filter(user=user).delete()
    _row, token = AccessToken.objects.issue(user, "benchmark")
    clients = {
        "anonymous": Client(),
        "token (staff)": Client(headers={"Authorization": f"Bearer {token}"}),
    }
    print(
        f"{connection.vendor}, {Meeting.objects.count()} meetings, {runs} runs per row, "
        f"CPU calibration {calibration():.0f} ms, load average {os.getloadavg()[0]:.1f}"
    )
    print("| URL | caller | median ms | p90 ms | queries |")
    print("|---|---|---:|---:|---:|")
    for url in URLS:
        for name, client in clients.items():
            median, p90, queries = measure(client, url, runs)
            print(f"| `{url}` | {name} | {median:.1f} | {p90:.1f} | {queries} |")
    print(f"CPU calibration after: {calibration():.0f} ms, load {os.getloadavg()[0]:.1f}")
    user.delete()


if __name__ == "__main__":
    main(sys.argv)
