"""The pages MWI is measured on: the benchmark and the query-count tests both read this list.

A new page is one line in PAGES: a label, a function returning its URL on the current data
(raise Missing when the page's route or data does not exist yet), and the number of queries an
anonymous visitor's request costs with an empty cache, with a comment listing them. The
query-count tests (tests/performance/) pin that number at 10 meetings and at scale; the
benchmark (benchmarks/run) measures requests per second against the ceiling.

Run `python -m benchmarks.pages` (with DATABASE_URL set) to print the URLs as JSON.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import NoReverseMatch, Resolver404, resolve, reverse


class Missing(Exception):  # noqa: N818 - reads as "raise Missing(reason)"
    """The page cannot be measured yet (its route is not built, or the data has none)."""


@dataclass(frozen=True)
class Page:
    label: str
    url: Callable[[], str]
    queries: int | None  # anonymous GET, cold cache; None: not pinned yet
    # For a conditional GET: the request repeats with If-None-Match set to the first ETag.
    conditional: bool = False
    notes: str = field(default="", compare=False)


def route(*candidates, args=(), query=""):
    """The URL of the first route that exists: names are reversed, "/paths" resolved."""
    for candidate in candidates:
        try:
            if candidate.startswith("/"):
                resolve(candidate)
                return candidate + query
            return reverse(candidate, args=args) + query
        except (NoReverseMatch, Resolver404):
            continue
    raise Missing(f"no route {' or '.join(candidates)} yet")


def _model(app, name):
    from django.apps import apps

    try:
        return apps.get_model(app, name)
    except LookupError:
        raise Missing(f"no {app}.{name} model yet") from None


def _url_of(obj, what):
    if obj is None:
        raise Missing(f"no {what} in the data")
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        raise Missing(f"no {what} page yet") from None


def busiest_committee():
    Committee = _model("participants", "Committee")
    return _url_of(
        Committee.objects.annotate(n=Count("meetings")).order_by("-n", "pk").first(), "committee"
    )


def latest_minutes():
    Meeting = _model("meetings", "Meeting")
    meeting = Meeting.objects.with_public_minutes().exclude(minutes="").order_by("-start").first()
    return _url_of(meeting, "meeting with minutes")


def most_mentioned(app, name, what):
    def build():
        model = _model(app, name)
        obj = model.objects.annotate(n=Count("mentions")).order_by("-n", "pk").first()
        return _url_of(obj, what)

    return build


def largest_organization():
    Organization = _model("participants", "Organization")
    obj = Organization.objects.annotate(n=Count("people")).order_by("-n", "pk").first()
    return _url_of(obj, "organization")


# label, URL builder, queries (anonymous, cold cache) and what they are.
PAGES = [
    # committees (several: the list)
    Page("home", lambda: route("home"), 1),
    # committee; memberships+people; previous names; open action items; next meeting;
    # its series; latest minutes
    Page("committee", busiest_committee, 7),
    # committees; years; page of meetings; series; upcoming; recordings of the page
    Page("archive", lambda: route("meetings:archive"), 6),
    # meeting+committee+series; recordings; materials; attendance; action items raised and
    # closed; decisions; leads then; previous names; previous and next meeting
    Page("meeting", latest_minutes, 11),
    # meetings, people, projects (one ranked query per search source)
    Page("search", lambda: route("search", "mwi:search", query="?q=federated+learning"), 3),
    # people+organizations with role counts; committees with a roster note
    Page("people", lambda: route("participants:people"), 2),
    # person+organization; aliases; memberships+committees; mentioned in (by year, page);
    # action items; attendance
    Page("person", most_mentioned("participants", "Person", "person"), 7),
    # organization; its people
    Page("organization", largest_organization, 2),
    # blocks; mappings with projects, stages and cited meetings
    Page("stack diagram", lambda: route("stackmap:diagram", "stackmap:index"), 2),
    # blocks; mappings; use cases; their blocks; their projects; stages
    Page("gaps", lambda: route("stackmap:gaps"), 6),
    # integrations with status; stages; blocks; use cases
    Page(
        "integration matrix",
        lambda: route("stackmap:matrix", "stackmap:integrations", "stackmap:integration_matrix"),
        4,
    ),
    # project with stage; integrations; mappings; stage events; use cases; landscape
    # items; landscape events; meetings that mention it
    Page("project", most_mentioned("stackmap", "Project", "project"), 8),
    # validator aggregate; committees; series; meetings; recordings
    Page("feed", lambda: route("calendar:feed", "/calendar.ics"), 5),
    # validator aggregate only
    Page("feed 304", lambda: route("calendar:feed", "/calendar.ics"), 1, conditional=True),
]


def resolve_all():
    """{label: url or None, ...} and {label: why it is skipped}."""
    urls, skipped = {}, {}
    for page in PAGES:
        try:
            urls[page.label] = page.url()
        except Missing as why:
            skipped[page.label] = str(why)
    return urls, skipped


def count_queries(urls, host="127.0.0.1"):
    """{label: (status, queries)} for one anonymous request per page with an empty cache."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, counts = Client(HTTP_HOST=host), {}
    for page in PAGES:
        if page.label not in urls:
            continue
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
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mwi.settings")
    django.setup()
    urls, skipped = resolve_all()
    conditional = [p.label for p in PAGES if p.conditional]
    budgets = {p.label: p.queries for p in PAGES}
    result = {"urls": urls, "skipped": skipped, "conditional": conditional, "budgets": budgets}
    if "--count" in sys.argv:
        result["queries"] = count_queries(urls)
    print(json.dumps(result, indent=2))
