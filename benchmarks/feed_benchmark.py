"""Calendar feed at scale: a committee with 5,000 meetings. Not a test; writes benchmarks/FEED.md.

    .venv/bin/python benchmarks/feed_benchmark.py

Builds its own SQLite database under benchmarks/.work/ (git-ignored; set DATABASE_URL to use
PostgreSQL instead), fills it with 3 weekly series since 2005 whose 3,300 occurrences all have
rows (agenda, minutes, a recording; some moved, some cancelled) plus 1,700 one-off meetings,
then measures the feed's size, the time to build it, a full GET and a 304.
"""

import datetime as dt
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / ".work"
MEETINGS = 5000
sys.path.insert(0, str(ROOT))
WORK.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'feed.sqlite3'}")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mwi.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from meetings import calendar  # noqa: E402
from meetings.models import Meeting, MeetingSeries, Recording  # noqa: E402
from participants.models import Committee  # noqa: E402


def fill():
    committee, created = Committee.objects.get_or_create(
        slug="feed-bench",
        defaults={
            "name": "Feed benchmark committee",
            "join_visibility": "public",
            "join_url": "https://zoom.example.org/j/1",
        },
    )
    if not created and committee.meetings.count() >= MEETINGS:
        return committee
    with transaction.atomic():
        committee.meetings.all().delete()
        committee.series.all().delete()
        end = dt.datetime(2026, 12, 31, tzinfo=dt.UTC)
        rows = []
        for weekday, first in (
            (3, dt.date(2005, 1, 6)),
            (1, dt.date(2005, 1, 4)),
            (0, dt.date(2005, 1, 3)),
        ):
            series = MeetingSeries.objects.create(
                committee=committee,
                title=f"Weekly call {weekday}",
                interval_weeks=1,
                weekday=weekday,
                start_time=dt.time(10),
                first_date=first,
            )
            starts = series.occurrence_starts(dt.datetime(2005, 1, 1, tzinfo=dt.UTC), end)
            for n, start in enumerate(starts[:1100]):
                moved = dt.timedelta(days=1) if n % 10 == 3 else dt.timedelta(0)
                rows.append(
                    Meeting(
                        committee=committee,
                        series=series,
                        original_start=start,
                        start=start + moved,
                        end=start + moved + dt.timedelta(hours=1),
                        status="cancelled" if n % 20 == 7 else "scheduled",
                        title=series.title,
                        agenda="1. Welcome\n2. Stack review, news; and a \\ path",
                        minutes="We reviewed the stack.",
                        minutes_status="published",
                        uid=uuid.uuid4(),
                    )
                )
        base = dt.datetime(2005, 1, 5, 16, tzinfo=dt.UTC)
        for n in range(MEETINGS - len(rows)):
            start = base + dt.timedelta(days=3 * n, hours=n % 5)
            rows.append(
                Meeting(
                    committee=committee,
                    title=f"Working session {n}",
                    start=start,
                    end=start + dt.timedelta(hours=1),
                    agenda="Topic: interoperability, formats",
                    minutes_status="none",
                    uid=uuid.uuid4(),
                )
            )
        Meeting.objects.bulk_create(rows, batch_size=500)
        Recording.objects.bulk_create(
            [
                Recording(meeting=m, url=f"https://video.example.org/{m.pk}")
                for m in committee.meetings.filter(minutes_status="published")
            ],
            batch_size=500,
        )
        calendar.bump(committee.pk)
    committee.refresh_from_db()
    return committee


def timed(fn, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main():
    call_command("migrate", verbosity=0)
    committee = fill()
    url = f"/committees/{committee.slug}/calendar.ics"
    client = Client()
    body = calendar.feed_bytes(committee)
    build_ms = timed(lambda: calendar.feed_bytes(committee), 3)
    cold_ms = timed(lambda: (cache.clear(), client.get(url)), 3)
    cached_ms = timed(lambda: client.get(url), 50)
    etag = client.get(url)["ETag"]
    not_modified_ms = timed(lambda: client.get(url, headers={"if-none-match": etag}), 200)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url, headers={"if-none-match": etag}).status_code
    rows = committee.meetings.count()
    today = dt.datetime.now(dt.UTC).date()
    lines = [
        "# Calendar feed benchmark",
        "",
        f"`python benchmarks/feed_benchmark.py` on {connection.vendor}, {today:%Y-%m-%d}, on the",
        "shared 2-core development machine. One committee with",
        f"{rows:,} meeting rows: 3 weekly series since 2005 whose 3,300 occurrences all have rows",
        "(agenda, published minutes, a recording; every 10th moved, every 20th cancelled), plus",
        f"{MEETINGS - 3300:,} one-off meetings.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| body size | {len(body) / 1024:,.0f} KiB, {body.count(b'BEGIN:VEVENT'):,} VEVENTs, "
        f"{body.count(b'EXDATE'):,} EXDATEs, {body.count(b'BEGIN:VTIMEZONE')} VTIMEZONE |",
        f"| build the body (4 queries + icalendar), median of 3 | {build_ms:,.0f} ms |",
        f"| GET with an empty cache, median of 3 | {cold_ms:,.0f} ms |",
        f"| GET with the body cached under its ETag, median of 50 | {cached_ms:.1f} ms |",
        f"| conditional GET answered 304, median of 200 | {not_modified_ms:.2f} ms "
        f"({len(queries)} query, status {status}) |",
        "",
        "Series are RRULE masters, so occurrences without a row cost nothing; every row with a",
        "page of its own (agenda, minutes) is an override, which is what makes this feed large.",
        "Building is dominated by icalendar's serialisation (line folding); it happens once per",
        "change, since the body is cached under its ETag and a 304 needs only the committee row.",
        "",
    ]
    report = "\n".join(lines)
    (ROOT / "benchmarks" / "FEED.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
