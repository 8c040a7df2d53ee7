"""Importing and exporting a 3,000-item landscape: wall time, queries and peak memory.

Usage: .venv/bin/python -m benchmarks.landscape_benchmark [--items 3000] [--runs 3]
Uses DATABASE_URL if set, else a fresh SQLite file in a temporary folder. Writes a
landscape.yml shaped like the large foundation landscapes (14 categories, 4 subcategories
each; items with descriptions, organisations, extra dates and links, a few second_paths and
comments), then through the management commands, as a maintainer runs them:

- import into an empty database (the first import), then the same file again (no change);
- export unchanged (byte-identical check), export after an edit of one item in every 100
  (the round-trip path), and the landscape grid page at that size;
- the same first import with --external into a database holding the first landscape.

Wall times are measured without tracing; each step then runs once more under tracemalloc for
its peak of Python allocations (tracing slows Python several times, so it is not timed). The
process's peak resident memory is reported at the end. Results are recorded in
benchmarks/LANDSCAPE.md.
"""

import argparse
import io
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def landscape_file(items):
    categories, subs = 14, 4
    per = -(-items // (categories * subs))
    lines = ["# A landscape written for the benchmark.", "landscape:"]
    n = 0
    for c in range(categories):
        lines += ["  - category:", f"    name: Category {c}", "    subcategories:"]
        for s in range(subs):
            lines += [
                "      - subcategory:",
                f"        name: Subcategory {c}.{s}",
                "        items:",
            ]
            for _ in range(per):
                if n == items:
                    break
                lines += [
                    "          - item:",
                    f"            name: Project {n}",
                    f"            homepage_url: https://project-{n}.example.org/",
                    f"            description: Project {n} does one thing well, for the benchmark.",
                    f"            repo_url: https://github.com/org-{n % 300}/project-{n}",
                    f"            logo: project-{n}.svg",
                    "            crunchbase: "
                    f"https://www.crunchbase.com/organization/org-{n % 300}",
                ]
                if n % 9 == 0:
                    lines += ["            project: sandbox  # accepted this year"]
                if n % 50 == 0:
                    other = (c + 1) % categories
                    lines += [
                        "            second_path:",
                        f'              - "Category {other} / Subcategory {other}.0"',
                    ]
                if n % 4 == 0:
                    lines += [
                        "            extra:",
                        f'              accepted: "2021-0{1 + n % 9}-1{n % 10}"',
                        f"              slack_url: https://slack.example.org/p{n}",
                        "              summary_tags: ml, data, 1.10",
                    ]
                n += 1
    return "\n".join(lines) + "\n"  # fmt: skip


def timed(step):
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def traced(step):
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="mwi-landscape-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mwi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from stackmap.models import Landscape, LandscapeItem, Project

    setup_test_environment()
    call_command("migrate", verbosity=0)
    text = landscape_file(args.items)
    path = tmp / "landscape.yml"
    path.write_text(text, encoding="utf-8")
    out_path = tmp / "out.yml"

    def reset():
        Landscape.objects.all().delete()
        Project.objects.all().delete()

    def run(*command):
        with CaptureQueriesContext(connection) as queries:
            call_command(*command, stdout=io.StringIO(), stderr=io.StringIO())
        return len(queries)

    rows = {}

    def record(label, step, before=None, queries=True):
        walls, result = [], None
        for _ in range(args.runs):
            if before:
                before()
            wall, result = timed(step)
            walls.append(wall)
        if before:
            before()
        peak = traced(step)
        rows[label] = (statistics.median(walls), max(walls), peak, result)
        print(f"{label}: median {statistics.median(walls):.2f} s, slowest {max(walls):.2f} s, "
              f"Python peak {peak / 2**20:.0f} MiB"
              + (f", {result} queries" if queries else ""), flush=True)  # fmt: skip

    record("first import", lambda: run("import_landscape", str(path), "--name", "Bench"), reset)
    record("re-import, unchanged", lambda: run("import_landscape", str(path), "--name", "Bench"))
    record("export, unchanged", lambda: run("export_landscape", str(out_path), "--name", "Bench"))
    assert out_path.read_bytes() == path.read_bytes(), "unchanged export differs from the file"
    for row in LandscapeItem.objects.filter(second_path=False).order_by("pk")[::100]:
        row.item = {**row.item, "description": f"{row.item['description']} Edited."}
        row.save()
    record("export, 1 item in 100 edited", lambda: run("export_landscape", str(out_path)))
    edited = out_path.read_text(encoding="utf-8")
    changed = sum(1 for a, b in zip(text.splitlines(), edited.splitlines(), strict=True) if a != b)
    print(f"lines changed by the edits: {changed}")
    client = Client()
    record("landscape page", lambda: client.get("/stack/landscape/"), queries=False)
    size = len(client.get("/stack/landscape/").content)
    print(f"landscape page size: {size / 1024:.0f} KiB")

    def external():
        return run("import_landscape", str(path), "--external", "--name", "Another")

    def drop_external():
        Landscape.objects.filter(external=True).delete()

    record("first import, --external beside it", external, drop_external)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.items} items, {connection.vendor}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
        f"process peak RSS {rss:.0f} MiB"
    )


if __name__ == "__main__":
    main()
