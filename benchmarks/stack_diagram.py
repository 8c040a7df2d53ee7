"""The stack diagram with 2,500 projects: how long the page, the SVG and the JSON take.

Usage: .venv/bin/python -m benchmarks.stack_diagram [--projects 2500] [--runs 5]
Uses DATABASE_URL if set, else a fresh SQLite file in a temporary folder. Builds 9 blocks
(3 cross-cutting) and N projects, each with a stage history, a primary mapping and, for every
third project, a secondary one; then renders each URL `runs` times through the test client
(full middleware, templates, production settings) and prints the median, the slowest run and
the number of queries. Results are recorded in benchmarks/STACK.md.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=2500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="mwi-stack-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("STATIC_MANIFEST", "0")  # no collectstatic run needed
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mwi.settings")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from stackmap.models import Block, Mapping, Project, StageEvent

    setup_test_environment()
    call_command("migrate", verbosity=0)
    Mapping.objects.all().delete()
    Project.objects.all().delete()
    Block.objects.all().delete()
    blocks = Block.objects.bulk_create(
        Block(name=f"Block {i}", slug=f"block-{i}", order=i, cross_cutting=i >= 6) for i in range(9)
    )
    projects = Project.objects.bulk_create(
        Project(
            name=f"Project {i:04}",
            name_key=f"project {i:04}",
            slug=f"project-{i}",
            hosted=i % 4 != 0,
        )
        for i in range(args.projects)
    )
    stages = ["sandbox", "incubating", "graduated", "archived"]
    StageEvent.objects.bulk_create(
        StageEvent(project=p, stage=stages[(i // 4) % 4], date=dt.date(2019 + i % 3, 1, 1))
        for i, p in enumerate(projects)
        if p.hosted
    )
    mappings = [
        Mapping(project=p, block=blocks[i % 9], provenance="inferred" if i % 2 else "confirmed")
        for i, p in enumerate(projects)
    ] + [
        Mapping(project=p, block=blocks[(i + 1) % 9], role="secondary")
        for i, p in enumerate(projects)
        if i % 3 == 0
    ]
    Mapping.objects.bulk_create(mappings, batch_size=1000)
    print(f"{args.projects} projects, {len(mappings)} mappings, {connection.vendor}")

    client = Client()
    for label, url in [
        ("diagram page (HTML + table)", "/stack/?as_of=2021-06-30"),
        ("SVG download", "/stack/stack.svg?as_of=2021-06-30"),
        ("JSON download", "/stack/map.json?as_of=2021-06-30"),
        ("gaps page", "/stack/gaps/?as_of=2021-06-30"),
    ]:
        times, size = [], 0
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            size = len(response.content)
        print(
            f"| {label} | {statistics.median(times):.0f} ms | {max(times):.0f} ms | "
            f"{len(queries)} | {size / 1024:.0f} KiB |"
        )


if __name__ == "__main__":
    main()
