"""The stack diagram with 2,500 projects: how long the page, the SVG and the JSON take.

Usage: .venv/bin/python -m benchmarks.stack_diagram [--projects 2500] [--runs 5]
Uses DATABASE_URL if set, else a fresh SQLite file in a temporary folder. Builds 9 blocks
(3 cross-cutting) and N projects, each with a stage history, a primary mapping and, for every
third project, a secondary one, and an integration for every seventh; then renders each URL
`runs` times through the test client (full middleware, templates, production settings) and
prints the median, the slowest run, the number of queries and the size. Results are recorded
in benchmarks/STACK.md.
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
    from django.test.utils import setup_test_environment

    from stackmap.models import (
        Block,
        Integration,
        IntegrationStatusChange,
        Mapping,
        Project,
        StageEvent,
    )

    setup_test_environment()
    call_command("migrate", verbosity=0)
    Integration.objects.all().delete()
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
    integrations = Integration.objects.bulk_create(
        Integration(project_a=a, project_b=b)
        for a, b in zip(projects[::7], projects[3::7], strict=False)
    )
    IntegrationStatusChange.objects.bulk_create(
        IntegrationStatusChange(integration=i, status="done", date=dt.date(2020, 1, 1))
        for i in integrations[::2]
    )
    print(f"{args.projects} projects, {len(mappings)} mappings, {connection.vendor}")

    client = Client()
    urls = [
        ("diagram page", "/stack/?as_of=2021-06-30"),
        ("table page (100 rows)", "/stack/table/?as_of=2021-06-30"),
        ("block page", "/stack/blocks/block-1/?as_of=2021-06-30"),
        ("SVG download", "/stack/stack.svg?as_of=2021-06-30"),
        ("JSON download", "/stack/map.json?as_of=2021-06-30"),
        ("CSV download (streamed)", "/stack/map.csv?as_of=2021-06-30"),
        ("gaps page", "/stack/gaps/?as_of=2021-06-30"),
        ("integration matrix", "/stack/integrations/"),
    ]
    for label, url in urls:
        measure(client, label, url, args.runs)
    # The diagram's body cached under the stack-map version (stackmap/cache.py), as with Redis
    # in production; a signed-in client so the whole-page cache does not answer instead.
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import override_settings

    user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_staff": True})
    client.force_login(user)
    cache.clear()
    with override_settings(PAGE_CACHE_SECONDS=60):
        client.get(urls[0][1])
        measure(client, "diagram page, body cached (signed in)", urls[0][1], args.runs)


def measure(client, label, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, size = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(body)
    print(
        f"| {label} | {statistics.median(times):.0f} ms | {max(times):.0f} ms | "
        f"{len(queries)} | {size / 1024:.0f} KiB |"
    )


if __name__ == "__main__":
    main()
