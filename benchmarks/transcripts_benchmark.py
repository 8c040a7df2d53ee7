"""After the call, timed: importing an hour's transcript, searching transcripts, the meeting
page with an hour's transcript.

    DATABASE_URL=postgres://... python benchmarks/transcripts_benchmark.py [--runs 15]

Runs on a database filled by `python -m benchmarks.scale_data` (every recorded meeting has a
60-minute transcript of 1,500 cues, half of them published), after ANALYZE. Writes nothing
that stays: the import runs with --dry-run's rollback. Prints a Markdown table (median and
slowest of `--runs`) for benchmarks/TRANSCRIPTS.md:

- import_call of a 1,500-cue Zoom WebVTT file (parse, speaker matching, cues, search
  documents), into a meeting without a transcript;
- the site search's transcript source (calls.search.TranscriptSource) for common, rare and
  phrase queries, as the public and as foundation staff;
- the meeting page with a published 1,500-cue transcript, GET by an anonymous visitor with the
  page cache off (Django's test client: the view, template, middleware; no network).
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mwi.settings")

import django  # noqa: E402

django.setup()

from django.core.files.base import File  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from calls.importer import import_call  # noqa: E402
from calls.models import Cue, Transcript  # noqa: E402
from calls.search import TranscriptSource  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from participants.access import ANONYMOUS, FOUNDATION_STAFF  # noqa: E402

QUERIES = ["pipelines", "hyperparameter tuning", '"onnx runtime"', "volunteer -kubeflow"]


def timed(fn, runs):
    """(median wall ms, slowest wall ms, median CPU ms of this process) of `runs` calls. The
    CPU time leaves out the database's work and the waits of a busy machine."""
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(times), max(times), statistics.median(cpu)


def hour_vtt(names, cues=1500):
    out = ["WEBVTT", ""]
    for i in range(cues):
        start, end = i * 2400, i * 2400 + 2300

        def stamp(ms):
            return (
                f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"
            )

        said = f"{names[i % len(names)]}: we should look again at the pipeline item {i}"
        out += [str(i + 1), f"{stamp(start)} --> {stamp(end)}", said, ""]
    return "\n".join(out).encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    rows = []
    cues = Cue.objects.count()
    transcripts = Transcript.objects.count()

    target = Meeting.objects.filter(transcript__isnull=True).order_by("-start").first()
    names = list(target.attendance.values_list("person__name", flat=True)[:8]) or ["Someone"]
    data = hour_vtt(names)

    def do_import():
        import_call(target, [("hour.vtt", File(io.BytesIO(data), name="hour.vtt"))], dry_run=True)

    rows.append(("import_call, 1,500-cue WebVTT (dry run: all the work, rolled back)",
                 *timed(do_import, max(3, runs // 3)), ""))  # fmt: skip

    source = TranscriptSource()
    for query in QUERIES:
        for label, audience in (("public", ANONYMOUS), ("staff", FOUNDATION_STAFF)):

            def search(q=query, a=audience):
                return source.search(q, audience=a, limit=20)

            hits = search()
            rows.append((f"search {query!r} as {label}", *timed(search, runs), f"{len(hits)} hits"))

    transcript = Transcript.objects.filter(visibility="public").order_by("-meeting__start").first()
    url = transcript.meeting.get_absolute_url()
    client = Client()
    page_settings = override_settings(
        PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False
    )
    captured = []

    def count(execute, sql, params, many, context):
        captured.append(sql)
        return execute(sql, params, many, context)

    with page_settings, connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    with page_settings:
        rows.append((f"meeting page, {transcript.cues.count()} cues, anonymous, uncached",
                     *timed(lambda: client.get(url), runs),
                     f"{len(captured)} queries, {len(response.content) // 1024} KiB"))  # fmt: skip

    print(f"Data: {Meeting.objects.count():,} meetings, {transcripts:,} transcripts, "
          f"{cues:,} cues; {connection.vendor}\n")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        load = os.getloadavg()[0]
    print(f"Load average during the run: {load:.1f} on {os.cpu_count()} cores\n")
    print("| what | median ms | slowest ms | median CPU ms (Python) | |")
    print("|---|---:|---:|---:|---|")
    for label, median, slowest, cpu, note in rows:
        print(f"| {label} | {median:.1f} | {slowest:.1f} | {cpu:.1f} | {note} |")


if __name__ == "__main__":
    main()
