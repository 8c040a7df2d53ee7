"""Single uncached requests, in process: every public page, the lead's admin, and signed-in pages.

Usage (the database must hold `python -m benchmarks.scale_data` at scale):

    DATABASE_URL=... python -m benchmarks.uncached [--repeat 15] [--only LABEL ...] [--json FILE]

Each request goes through the whole middleware stack but the page cache (left out of
MIDDLEWARE: every request renders) with Django's test client, DEBUG off; the cached template
loader and the connection are warm after one request that is not counted. Reported per page:
median and 90th percentile milliseconds, queries, and response size. Stored derived values
(the insights charts, the stack map's fragments, mwi.lib.invalidation.remember) are computed
when data is written, not per request: they are measured warm, with a cache in this process
(REDIS_URL unset: local memory).

Admin pages are requested by a superuser. The change form is that of a meeting given 30
attendance rows and 10 materials for the run (in a transaction rolled back at the end, as is
the timed save, which posts the form back unchanged).
"""

# ruff: noqa: E402 - as a script (python -m), Django is set up before the models are imported.
import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mwi.settings")
os.environ.setdefault("SECRET_KEY", "uncached-benchmark")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ["PAGE_CACHE_SECONDS"] = "60"  # derived values kept; the page cache is left out
# One client asks for every page in a row: the API's anonymous throttle is not what is measured.
os.environ.setdefault("API_ANONYMOUS_RATE", "100000/minute")

import django

django.setup()

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from tests.pages import ADMIN_PAGES, AT_SCALE

PUBLIC_TARGET_MS, CHANGELIST_MS, FORM_MS, SAVE_MS, AUTOCOMPLETE_MS, INDEX_MS = (
    15,
    50,
    80,
    150,
    20,
    50,
)


def measure(client, url, repeat, method="get", data=None):
    """(status, [ms], queries, bytes) of `repeat` requests after one that is not counted."""
    send = getattr(client, method)
    send(url, data) if data is not None else send(url)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = send(url, data) if data is not None else send(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = send(url, data) if data is not None else send(url)
    size = len(response.content) if not response.streaming else 0
    return response.status_code, times, len(queries), size


def saves(client, url, repeat):
    """(status, [ms], queries) of saving the change form at `url` unchanged, `repeat` times
    (each POST sends the form as just read: the edit-conflict check wants the latest one)."""
    from benchmarks.admin_meeting import change_form_post

    times = []
    for _ in range(repeat + 1):
        data = change_form_post(client, url)
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.post(url, data)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, "the unchanged form did not save"
    return response.status_code, times[1:], len(queries)


def row(label, url, status, times, queries, size, target):
    median = statistics.median(times)
    p90 = sorted(times)[int(len(times) * 0.9) - 1] if len(times) > 1 else median
    return {
        "page": label,
        "url": url,
        "status": status,
        "median_ms": round(median, 1),
        "p90_ms": round(p90, 1),
        "queries": queries,
        "kb": round(size / 1024, 1),
        "target_ms": target,
        "met": median <= target if target else None,
    }


def print_table(rows, title):
    print(f"\n### {title}\n")
    print("| page | median ms | p90 ms | queries | KB | target ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        mark = "" if r["met"] in (None, True) else " (missed)"
        target = r["target_ms"] or ""
        print(
            f"| {r['page']} | {r['median_ms']} | {r['p90_ms']} | {r['queries']} | {r['kb']} "
            f"| {target}{mark} |"
        )
    sys.stdout.flush()


def superuser_client():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="uncached-benchmark", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def public(repeat, only):
    # As browsers and calendar clients ask (benchmarks/run's wrk too): gzip accepted.
    client = Client(headers={"Accept-Encoding": "gzip"})
    rows = []
    for page in AT_SCALE:
        if only and page.label not in only:
            continue
        url = page.url()
        headers_client = client
        if page.conditional:
            # A calendar client revalidating: the validator it was given last time.
            etag = client.get(url)["ETag"]
            headers_client = Client(headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
        status, times, queries, size = measure(headers_client, url, repeat)
        rows.append(row(page.label, url, status, times, queries, size, PUBLIC_TARGET_MS))
    return rows


def signed_in(repeat, only):
    """A member of the busiest committee and the superuser, on a few pages (uncached)."""
    from participants.models import Membership
    from tests.pages import busiest_committee

    membership = Membership.objects.filter(
        committee=busiest_committee(), person__user__isnull=False
    ).first()
    rows = []
    clients = [("staff", superuser_client())]
    if membership is not None:
        member = Client()
        member.force_login(
            membership.person.user, backend="django.contrib.auth.backends.ModelBackend"
        )
        clients.insert(0, ("member", member))
    for who, client in clients:
        for page in AT_SCALE:
            if not page.html or (only and page.label not in only):
                continue
            if page.label not in ("archive", "meeting", "person", "people", "committee"):
                continue
            url = page.url()
            status, times, queries, size = measure(client, url, repeat)
            rows.append(row(f"{page.label} ({who})", url, status, times, queries, size, None))
    return rows


def cached(repeat, only):
    """Warm page-cache hits per audience (the whole middleware stack, a cache in this process):
    an anonymous visitor, a member of the busiest committee, foundation staff."""
    from django.contrib.auth import get_user_model

    from participants.models import Membership
    from tests.pages import busiest_committee

    rows = []
    with transaction.atomic():
        membership = Membership.objects.filter(committee=busiest_committee()).first()
        user = get_user_model().objects.create(username="uncached-benchmark-member")
        membership.person.user = user
        membership.person.save(update_fields=["user"])
        member = Client()
        member.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        audiences = [("anonymous", Client()), ("member", member), ("staff", superuser_client())]
        for who, client in audiences:
            for page in AT_SCALE:
                if page.label not in ("archive", "meeting", "person", "people", "stack diagram"):
                    continue
                if only and page.label not in only:
                    continue
                url = page.url()
                status, times, queries, size = measure(client, url, repeat)
                rows.append(row(f"{page.label} ({who}, cached)", url, status, times, queries,
                                size, None))  # fmt: skip
        transaction.set_rollback(True)
    return rows


def admin(repeat, only):
    from benchmarks.admin_meeting import big_meeting

    client = superuser_client()
    rows = []
    with transaction.atomic():
        meeting = big_meeting()
        for page in ADMIN_PAGES:
            if only and page.label not in only:
                continue
            url = page.url()
            target = (
                INDEX_MS
                if page.label.startswith("admin index")
                else CHANGELIST_MS
                if "changelist" in page.label
                else AUTOCOMPLETE_MS
                if "autocomplete" in page.label
                else FORM_MS
            )
            status, times, queries, size = measure(client, url, repeat)
            rows.append(row(page.label, url, status, times, queries, size, target))
        url = f"/admin/meetings/meeting/{meeting.pk}/change/"
        status, times, queries, size = measure(client, url, repeat)
        rows.append(row("meeting change form, 30 attendance, 10 materials", url, status, times,
                        queries, size, FORM_MS))  # fmt: skip
        status, times, queries = saves(client, url, repeat)
        rows.append(row("meeting save, 30 attendance, 10 materials", url, status, times,
                        queries, 0, SAVE_MS))  # fmt: skip
        transaction.set_rollback(True)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--part", nargs="*", default=["public", "signed-in", "admin", "cached"])
    parser.add_argument("--json")
    args = parser.parse_args()
    only = set(args.only)
    results = {"database": connection.vendor, "cache": settings.CACHES["default"]["BACKEND"]}
    pages_left_out = [m for m in settings.MIDDLEWARE if not m.startswith("mwi.lib.pagecache.")]
    with override_settings(ALLOWED_HOSTS=["testserver"], MIDDLEWARE=pages_left_out):
        if "public" in args.part:
            results["public"] = public(args.repeat, only)
            print_table(
                results["public"], f"Public pages, anonymous, uncached ({connection.vendor})"
            )
        if "signed-in" in args.part:
            results["signed-in"] = signed_in(args.repeat, only)
            print_table(results["signed-in"], f"Signed-in, uncached ({connection.vendor})")
        if "admin" in args.part:
            results["admin"] = admin(args.repeat, only)
            print_table(results["admin"], f"The lead's admin, superuser ({connection.vendor})")
    if "cached" in args.part:
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            results["cached"] = cached(args.repeat, only)
        print_table(results["cached"], f"Warm page cache per audience ({connection.vendor})")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=1)


if __name__ == "__main__":
    main()
