"""benchmarks/run: MWI at foundation scale, served by gunicorn, measured with wrk against a ceiling.

For each database (SQLite file, then PostgreSQL database mwi_bench):
1. create it, migrate, python -m benchmarks.scale_data (20 committees, 10,000 meetings,
   2,000 people, 2,500 projects), ANALYZE (and VACUUM on PostgreSQL);
2. serve MWI with production settings and, under the same gunicorn settings, the ceiling
   (benchmarks/ceiling/app.py: one small Django page, no middleware, no database);
3. for every page of benchmarks/pages.py: one cold request (empty Redis cache), then wrk at
   16 connections; the ceiling is measured before and after the pages.
Everything listens on 127.0.0.1 only. Results go to benchmarks/RESULTS.md.
"""

import argparse
import datetime as dt
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
PY = sys.executable
HOST = "127.0.0.1"
# Ports and names of one slot on a shared machine; override with MWI_BENCH_PORT (a base port
# with the next 5 free), MWI_BENCH_PG_NAME and MWI_BENCH_REDIS_DB.
_BASE_PORT = int(os.environ.get("MWI_BENCH_PORT", "20507"))
MWI_PORT, CEILING_PORT, UNCACHED_PORT = _BASE_PORT, _BASE_PORT + 1, _BASE_PORT + 2
CLUSTER_PORTS = [_BASE_PORT + 3, _BASE_PORT + 4, _BASE_PORT + 5]
REDIS_DB = os.environ.get("MWI_BENCH_REDIS_DB", "5")
PG = {
    "host": "127.0.0.1",
    "port": "5432",
    "user": "postgres",
    "name": os.environ.get("MWI_BENCH_PG_NAME", "mwi_scale_bench"),
}
# Single uncached requests per page (the median is reported) and the targets, in ms.
SINGLE_RUNS = 5
UNCACHED_TARGET_MS = 15.0
ADMIN_TARGETS_MS = {"changelist": 50, "change form": 80, "save": 150, "index": 50, "auto": 20}
AUDIENCES = ("anonymous", "member", "lead")
SQLITE_NAME = "scale.sqlite3"
SCALE = ["--committees", "20", "--meetings", "10000", "--people", "2000", "--projects", "2500"]
# Targets of issue 9: ratios to the ceiling's requests/s and the p99 latency.
HTML_RATIO, NOT_MODIFIED_RATIO, P99_MS = 0.40, 0.80, 100.0
# Not a page of the site: a redirect that runs MWI's whole middleware stack and no view
# work, to show what the middleware alone costs compared with the ceiling.
TOO_SLOW_MS = 1000
REFERENCE = ("middleware only (/favicon.ico redirect)", "/favicon.ico")


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd, env, timeout=900, **kwargs):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, timeout=timeout, text=True, **kwargs)


def port_free(port):
    with socket.socket() as s:
        return s.connect_ex((HOST, port)) != 0


def wait_for(port, deadline=30):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if not port_free(port):
            return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {HOST}:{port} after {deadline}s")


def base_env(static_root):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(static_root),
        REDIS_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
        CACHE_KEY_PREFIX="mwi-bench",
        SITE_URL=f"http://{HOST}:{MWI_PORT}",
        LOG_LEVEL="ERROR",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def gunicorn(app, port, env, workers, worker_class, threads):
    cmd = [
        PY, "-m", "gunicorn", app,
        "--bind", f"{HOST}:{port}",
        "--workers", str(workers),
        "--worker-class", worker_class,
        "--threads", str(threads),
        "--log-level", "warning",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
    wait_for(port)
    return proc


def stop(proc):
    if proc and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


# What browsers and calendar clients send; the ceiling gets it too (its page is too small to
# be compressed), so both sides of every ratio are asked the same way.
CLIENT_HEADERS = {"Accept-Encoding": "gzip"}


def fetch(url, headers=None):
    """(status, body bytes, headers, seconds) of one request."""
    request = urllib.request.Request(url, headers=headers or {})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - loopback
            body = response.read()
            return response.status, body, response.headers, time.perf_counter() - start
    except urllib.error.HTTPError as error:
        body = error.read()
        return error.code, body, error.headers, time.perf_counter() - start


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


urllib.request.install_opener(urllib.request.build_opener(NoRedirect))

_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * _UNIT[unit]


def wrk(url, duration, headers=None):
    cmd = ["wrk", "-t2", "-c16", f"-d{duration}s", "--timeout", "5s", "--latency", url]
    for name, value in (headers or {}).items():
        cmd[1:1] = ["-H", f"{name}: {value}"]
    out = subprocess.run(
        cmd, check=True, capture_output=True, text=True, timeout=duration + 30
    ).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    result["bad"] = int(bad.group(1)) if bad else 0
    result["socket_errors"] = errors.group(1).strip() if errors else ""
    return result


def drain(url, deadline=120):
    """Wait until the server is idle again: requests wrk abandoned may still be queued."""
    end = time.monotonic() + deadline
    fast = 0
    while time.monotonic() < end and fast < 3:
        fast = fast + 1 if fetch(url)[3] < 0.05 else 0
    if fast < 3:
        log(f"server still busy after {deadline}s")


def flush_cache():
    subprocess.run(["redis-cli", "-n", REDIS_DB, "FLUSHDB"], check=True, capture_output=True)


# --- databases ------------------------------------------------------------------------------
def prepare_sqlite(env, reuse):
    path = WORK / SQLITE_NAME
    env = {**env, "DATABASE_URL": f"sqlite:///{path}"}
    if reuse and path.exists():
        log(f"SQLite: reusing {path}")
        return migrated(env, "SQLite")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    generate(env, "SQLite")
    return env


def prepare_postgres(env, reuse):
    url = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{PG['name']}"
    env = {**env, "DATABASE_URL": url}
    conn = ["-h", PG["host"], "-p", PG["port"], "-U", PG["user"]]
    exists = subprocess.run(
        ["psql", *conn, "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{PG['name']}'"],  # noqa: S608 - a constant
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if reuse and exists:
        log(f"PostgreSQL: reusing database {PG['name']}")
        return migrated(env, "PostgreSQL")
    subprocess.run(["dropdb", *conn, "--if-exists", PG["name"]], check=True)
    subprocess.run(["createdb", *conn, PG["name"]], check=True)
    generate(env, "PostgreSQL")
    return env


# What autovacuum (PostgreSQL) or PRAGMA optimize (SQLite) does after a bulk load: give the
# planner statistics and, on PostgreSQL, mark the pages all-visible. Without the VACUUM (the
# benchmark server runs without autovacuum) no index-only scan is possible: every COUNT of a
# paginated list read the whole table (meetings: 2-4 ms instead of 0.5). On SQLite, VACUUM
# would rewrite the whole file, and nothing needs it.
AFTER_LOAD = (
    "from django.db import connection as c; "
    "c.cursor().execute('VACUUM ANALYZE' if c.vendor == 'postgresql' else 'ANALYZE')"
)


def migrated(env, label):
    """A reused database brought up to the code's migrations (a new index, say), then `env`."""
    log(f"{label}: migrate")
    run([PY, "manage.py", "migrate", "--no-input", "-v0"], env)
    run([PY, "manage.py", "shell", "-c", AFTER_LOAD], env)
    return env


def generate(env, label):
    log(f"{label}: migrate")
    run([PY, "manage.py", "migrate", "--no-input", "-v0"], env)
    log(f"{label}: python -m benchmarks.scale_data {' '.join(SCALE)}")
    start = time.monotonic()
    out = run(
        [PY, "-m", "benchmarks.scale_data", *SCALE, "--seed", "1"], env, capture_output=True
    ).stdout
    log(f"{label}: {out.strip().splitlines()[-1]} ({time.monotonic() - start:.0f}s)")
    run([PY, "manage.py", "shell", "-c", AFTER_LOAD], env)


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        # The results file itself is rewritten by every run: it is not a change to the code.
        [
            "git",
            "status",
            "--porcelain",
            "--untracked-files=no",
            "--",
            ".",
            ":!benchmarks/RESULTS.md",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    versions = subprocess.run(
        [PY, "-c", "import django, gunicorn, sqlite3, sys; print(sys.version.split()[0], "
         "django.get_version(), gunicorn.__version__, sqlite3.sqlite_version)"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    pg = subprocess.run(
        ["psql", "-h", PG["host"], "-U", PG["user"], "-tAc", "SHOW server_version"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "load": os.getloadavg(),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": versions[0],
        "django": versions[1],
        "gunicorn": versions[2],
        "sqlite": versions[3],
        "postgres": pg.split()[0] if pg else "not available",
    }


# --- one database ----------------------------------------------------------------------------
def rss_mb(arbiter):
    """{pid: resident MB} of the workers of the gunicorn whose pid is `arbiter` (read from
    /proc before it stops)."""
    children = Path(f"/proc/{arbiter}/task/{arbiter}/children")
    found = {}
    for pid in children.read_text().split() if children.exists() else []:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            kb = int(re.search(r"VmRSS:\s+(\d+)", status.read_text()).group(1))
            found[int(pid)] = kb / 1024
    return found


def audience_headers(audience, cookies):
    headers = dict(CLIENT_HEADERS)
    if audience != "anonymous":
        headers["Cookie"] = cookies[audience]
    return headers


def measure(label, base, page_label, path, headers, kind, args, audience="anonymous"):
    url = base + path
    if kind == "304":
        status, body, response_headers, _ = fetch(url, headers)
        headers = {**headers, "If-None-Match": response_headers.get("ETag", "")}
    status, body, _, cold = fetch(url, headers)  # first request after the flush
    warm = [fetch(url, headers)[3] for _ in range(3)]  # template caches, connections
    warm_ms = min(warm) * 1000
    log(
        f"{label}: {audience} {page_label} {path} -> {status}, {len(body)} bytes, "
        f"cold {cold * 1000:.0f} ms, warm {warm_ms:.0f} ms"
    )
    if warm_ms > TOO_SLOW_MS:
        # 16 connections on a page this slow only queue up work the workers finish
        # long after wrk gave up; report the single-request time instead.
        result = {
            "rps": 1000 / warm_ms,
            "p50": warm_ms,
            "p99": max(warm) * 1000,
            "requests": 3,
            "bad": 0,
            "socket_errors": "",
            "note": f"not load-tested: {warm_ms:.0f} ms per warm request",
        }
    else:
        result = wrk(url, args.duration, headers)
        drain(base + REFERENCE[1])
    return {
        "label": page_label,
        "audience": audience,
        "path": path,
        "status": status,
        "bytes": len(body),
        "cold_ms": cold * 1000,
        "kind": kind,
        **result,
    }


def kind_of(page_label, path, conditional):
    if page_label in conditional:
        return "304"
    if (page_label, path) == REFERENCE:
        return "reference"
    return "feed" if path.endswith(".ics") else "html"


def bench_database(label, env, args, setup):
    # --count: each page's queries on this full-scale database, next to the budget the tests
    # pin at 10 and 400 meetings, so RESULTS.md shows the counts hold at 10,000 too.
    pages = json.loads(
        run([PY, "-m", "benchmarks.pages", "--count"], env, capture_output=True, timeout=300).stdout
    )
    urls, conditional = pages["urls"], set(pages["conditional"])
    queries = {label: count for label, (_status, count) in pages.get("queries", {}).items()}
    budgets = pages.get("budgets", {})
    rows, ceiling_runs, rss = [], [], {}
    mwi = ceiling = None
    base = f"http://{HOST}:{MWI_PORT}"
    try:
        flush_cache()
        mwi = gunicorn("mwi.wsgi", MWI_PORT, env, args.workers, args.worker_class, args.threads)
        ceiling = gunicorn(
            "benchmarks.ceiling.app:application",
            CEILING_PORT,
            env,
            args.workers,
            args.worker_class,
            args.threads,
        )
        ceiling_url = f"http://{HOST}:{CEILING_PORT}/"
        fetch(ceiling_url)
        log(f"{label}: ceiling")
        ceiling_runs.append(wrk(ceiling_url, args.duration, CLIENT_HEADERS))
        for page_label, path in [*urls.items(), REFERENCE]:
            kind = kind_of(page_label, path, conditional)
            audiences = AUDIENCES if kind == "html" else ("anonymous",)
            for audience in audiences:
                headers = audience_headers(audience, setup["cookies"])
                row = measure(label, base, page_label, path, headers, kind, args, audience)
                row["queries"] = queries.get(page_label) if audience == "anonymous" else None
                row["budget"] = budgets.get(page_label)
                rows.append(row)
        admin = admin_requests(label, base, setup)
        log(f"{label}: ceiling again")
        ceiling_runs.append(wrk(ceiling_url, args.duration, CLIENT_HEADERS))
        rss["cached server (after the load)"] = rss_mb(mwi.pid)
    finally:
        stop(mwi)
        stop(ceiling)
    single, rss["uncached server"] = single_requests(label, env, urls, conditional)
    rendered = rendered_pages(label, env)
    cluster = two_servers(label, env, args, urls, setup, rss)
    ceiling_rps = sum(r["rps"] for r in ceiling_runs) / len(ceiling_runs)
    return {
        "label": label,
        "rows": rows,
        "ceiling": ceiling_runs,
        "ceiling_rps": ceiling_rps,
        "single": single,
        "rendered": rendered,
        "admin": admin,
        "cluster": cluster,
        "rss": rss,
    }


def _median_ms(url, headers, method="GET", data=None, runs=SINGLE_RUNS):
    times, status = [], None
    for _ in range(runs):
        request = urllib.request.Request(url, headers=headers, data=data, method=method)
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            error.read()
            status = error.code
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return status, times[len(times) // 2]


def rendered_pages(label, env):
    """Every public page of tests/pages.py at scale, rendered per request with the page cache
    left out but the values MWI computes once per write kept (python -m benchmarks.uncached
    --part public: in process, Django's test client, median of 9). [{page, url, median_ms,
    queries, kb, met}]"""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        run(
            [PY, "-m", "benchmarks.uncached", "--part", "public", "--repeat", "9",
             "--json", out.name],
            {k: v for k, v in env.items() if k != "REDIS_URL"},
            capture_output=True,
        )  # fmt: skip
        rows = json.loads(Path(out.name).read_text())["public"]
    log(f"{label}: {len(rows)} pages rendered per request, {sum(r['met'] for r in rows)} ≤ 15 ms")
    return rows


def admin_requests(label, base, setup):
    """Median of SINGLE_RUNS single requests per page of the lead's admin, as a superuser, on
    the server as deployed (`base`: Redis, so the values MWI computes once per write are kept;
    the admin is never served from the page cache), then the change form's save.
    [{label, path, status, ms, target}]"""
    from tests.cluster import form_fields

    admin = []
    lead = {"Cookie": setup["cookies"]["lead"]}
    change = f"/admin/meetings/meeting/{setup['admin_meeting']}/change/"
    plan = [
        ("index", "/admin/", "index"),
        ("meeting changelist", "/admin/meetings/meeting/", "changelist"),
        ("meeting change form (30 attendance, 10 materials)", change, "change form"),
        *[(f"autocomplete: {name}", url, "auto") for name, url in setup["autocompletes"]],
    ]
    for name, path, target in plan:
        fetch(base + path, lead)
        status, ms = _median_ms(base + path, lead)
        admin.append({"label": name, "path": path, "status": status, "ms": ms,
                      "target": ADMIN_TARGETS_MS[target]})  # fmt: skip
        log(f"{label}: admin {name} -> {status}, median {ms:.1f} ms")
    # Save: the change form as the browser submits it, unchanged; a fresh form each time
    # (the admin refuses a form older than the meeting's last save).
    times, statuses = [], set()
    for _ in range(SINGLE_RUNS):
        _, body, headers, _ = fetch(base + change, lead)
        page = body.decode()
        token = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "") or "")
        fields = [(k, v) for k, v in form_fields(page, "meeting_form")]
        post = {
            "Cookie": lead["Cookie"] + (f"; csrftoken={token[1]}" if token else ""),
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": base + change,
        }
        data = urllib.parse.urlencode(fields).encode()
        status, ms = _median_ms(base + change, post, "POST", data, runs=1)
        times.append(ms)
        statuses.add(status)
    times.sort()
    status = "/".join(map(str, sorted(statuses)))
    ms = times[len(times) // 2]
    admin.append({"label": "meeting save (same form)", "path": change, "status": status,
                  "ms": ms, "target": ADMIN_TARGETS_MS["save"]})  # fmt: skip
    log(f"{label}: admin save -> {status}, median {ms:.1f} ms")
    return admin


def single_requests(label, env, urls, conditional):
    """Median of SINGLE_RUNS single requests per public page with no page cache at all
    (PAGE_CACHE_SECONDS=0: neither whole pages nor the stack map's fragments are kept), on one
    sync worker. Returns (pages, rss)."""
    env = {**env, "PAGE_CACHE_SECONDS": "0"}
    base = f"http://{HOST}:{UNCACHED_PORT}"
    server = gunicorn("mwi.wsgi", UNCACHED_PORT, env, 1, "sync", 1)
    pages = []
    try:
        for page_label, path in urls.items():
            if page_label in conditional:
                continue
            fetch(base + path, CLIENT_HEADERS)  # this worker's first request of the page
            status, ms = _median_ms(base + path, CLIENT_HEADERS)
            pages.append({"label": page_label, "path": path, "status": status, "ms": ms})
            log(f"{label}: uncached {page_label} -> {status}, median {ms:.1f} ms")
        rss = rss_mb(server.pid)
    finally:
        stop(server)
    return pages, rss


def two_servers(label, env, args, urls, setup, rss):
    """Requests/s of one app server alone, then of two behind HAProxy (tests/cluster.py),
    for the meeting page, anonymous and signed in as a member."""
    from tests.cluster import Cluster

    flush_cache()
    results = []
    with Cluster(env, workers=args.workers, ports=CLUSTER_PORTS, python=PY) as cluster:
        for audience in ("anonymous", "member"):
            headers = audience_headers(audience, setup["cookies"])
            path = urls["meeting"]
            for name, base in (
                ("one server", cluster.servers[0]),
                ("two servers", cluster.balancer),
            ):
                for _ in range(3):
                    fetch(base + path, headers)
                result = wrk(base + path, args.duration, headers)
                drain(cluster.servers[0] + REFERENCE[1])
                results.append({"setup": name, "audience": audience, "path": path, **result})
                log(f"{label}: {name}, {audience}: {result['rps']:.0f} req/s")
        for name, pids in cluster.gunicorn_pids().items():
            rss[f"cluster server {name}"] = rss_mb(pids[0])
    return results


# --- report ----------------------------------------------------------------------------------
def pinned(row):
    """ "7 (7)": the queries counted at full scale, and the budget pages.py pins."""
    budget = row.get("budget")
    if row.get("queries") is None:
        return "—"
    mark = " over budget" if budget is not None and row["queries"] > budget else ""
    return f"{row['queries']} ({budget if budget is not None else '—'}){mark}"


def verdict(row, ceiling_rps):
    ratio = row["rps"] / ceiling_rps
    problems = []
    if row["kind"] == "reference":
        return ratio, "reference"
    wanted = NOT_MODIFIED_RATIO if row["kind"] == "304" else HTML_RATIO
    if row["kind"] in ("html", "304") and ratio < wanted:
        problems.append(f"ratio < {wanted:.0%}")
    if row["p99"] >= P99_MS:
        problems.append(f"p99 ≥ {P99_MS:.0f} ms")
    if row["bad"] or row["socket_errors"]:
        problems.append(f"{row['bad']} bad responses {row['socket_errors']}".strip())
    if row.get("note"):
        problems.append(row["note"])
    return ratio, "yes" if not problems else "no: " + ", ".join(problems)


def report(info, results, args, elapsed):
    lines = [
        "# Benchmark results",
        "",
        "Written by `benchmarks/run` (see the README's Performance section). Numbers are from",
        "one real run on the machine below; ratios compare each page's requests/s with the",
        "ceiling (a minimal Django page, no middleware, no database) served by the same",
        "gunicorn on the same machine at the same time, so they travel better than the raw",
        "numbers.",
        "",
        "## Machine and run",
        "",
        f"- CPU: {info['cpus']} × {info['cpu']}; memory {info['memory']}",
        f"- Commit: {info['commit']}; date: {info['date']}",
        f"- Python {info['python']}, Django {info['django']}, gunicorn {info['gunicorn']}, "
        f"SQLite {info['sqlite']}, PostgreSQL {info['postgres']}",
        f"- gunicorn: {args.workers} workers ({args.worker_class}"
        + (f", {args.threads} threads" if args.worker_class == "gthread" else "")
        + f"), DEBUG=0, Redis cache (db {REDIS_DB}), static files by WhiteNoise after "
        "collectstatic",
        "- Audiences: *anonymous*; *member*, signed in as a current member of the committee "
        "measured; *lead*, signed in as staff and superuser (benchmarks/audiences.py). The "
        "304 and the feed are measured for anonymous calendar clients only.",
        f"- Load: wrk, 2 threads, 16 connections, {args.duration} s per URL, on the same "
        "2 cores as the server (so the client's CPU is in every number, the ceiling's too)",
        f"- Data: `python -m benchmarks.scale_data {' '.join(SCALE)} --seed 1`, then ANALYZE "
        "(VACUUM ANALYZE on PostgreSQL)",
        f"- Targets: HTML ≥ {HTML_RATIO:.0%} of the ceiling, feed 304 ≥ "
        f"{NOT_MODIFIED_RATIO:.0%}, p99 < {P99_MS:.0f} ms; whole run took {elapsed / 60:.1f} min",
        "",
        "Columns: *cold* is the first request after the cache was emptied (one request, no "
        "load); req/s, p50 and p99 are under load with a warm cache. Every request says "
        "`Accept-Encoding: gzip`, as browsers and calendar clients do; KB is what travels. "
        "*queries (pinned)*: counted here for one anonymous request with an empty cache, and in "
        "brackets the budget the tests pin at 10 and 400 meetings (a feed 304 answered from the "
        "worker's own copy of the validators costs none).",
    ]
    for result in results:
        ceiling = result["ceiling_rps"]
        runs = ", ".join(f"{r['rps']:.0f}" for r in result["ceiling"])
        c0 = result["ceiling"][0]
        lines += [
            "",
            f"## {result['label']}",
            "",
            f"Ceiling: {ceiling:.0f} req/s (runs: {runs}), p50 {c0['p50']:.1f} ms, "
            f"p99 {c0['p99']:.1f} ms.",
            "",
            "| page | audience | URL | status | KB | queries (pinned) | cold ms | req/s "
            "| × ceiling | p50 ms | p99 ms | target met |",
            "|---|---|---|---|---:|---|---:|---:|---:|---:|---:|---|",
        ]
        for row in result["rows"]:
            ratio, ok = verdict(row, ceiling)
            lines.append(
                f"| {row['label']} | {row['audience']} | `{row['path']}` | {row['status']} | "
                f"{row['bytes'] / 1024:.1f} | {pinned(row)} | {row['cold_ms']:.0f} | "
                f"{row['rps']:.0f} | "
                f"{ratio:.2f} | {row['p50']:.1f} | {row['p99']:.1f} | {ok} |"
            )
        lines += extra_sections(result, info)
    lines += ["", "## Notes", "", *load_note(info["load"]), *(f"- {note}" for note in args.note)]
    RESULTS.write_text("\n".join(lines) + "\n")
    log(f"wrote {RESULTS.relative_to(ROOT)}")


def load_note(before):
    """The machine's load averages (1, 5, 15 min) before and after the run, as a note: a
    number taken while other work ran is not a number of MWI's."""
    after = os.getloadavg()
    return [
        f"- Load average (1, 5, 15 min) before the run: {', '.join(f'{x:.2f}' for x in before)};"
        f" after: {', '.join(f'{x:.2f}' for x in after)}. Above about 1 before the run, other"
        " work shared the cores and the raw numbers are low; the ratios to the ceiling,"
        " measured in the same minutes, travel better."
    ]


def _ok(ms, target):
    return "yes" if ms <= target else f"no (> {target:.0f} ms)"


def extra_sections(result, info):
    label = result["label"]
    lines = [
        "",
        f"### {label}: single requests with nothing kept",
        "",
        f"Median of {SINGLE_RUNS} requests after one warm-up, anonymous, one sync worker with "
        "nothing cached at all (`PAGE_CACHE_SECONDS=0`: no whole pages, no stack-map fragments, "
        "no values kept per write), over HTTP. "
        f"Target: at most {UNCACHED_TARGET_MS:.0f} ms.",
        "",
        "| page | URL | status | median ms | target met |",
        "|---|---|---|---:|---|",
    ]
    for row in result["single"]:
        lines.append(
            f"| {row['label']} | `{row['path']}` | {row['status']} | {row['ms']:.1f} | "
            f"{_ok(row['ms'], UNCACHED_TARGET_MS)} |"
        )
    lines += [
        "",
        f"### {label}: every public page rendered per request",
        "",
        "The page cache left out (every request renders), the values MWI computes once per "
        "write kept and warm (the insights charts, the stack map's fragments and downloads, "
        "the people directory's rows, the archive's years): `python -m benchmarks.uncached "
        "--part public`, in process with Django's test client, median of 9 requests after one "
        f"that is not counted. Target: at most {UNCACHED_TARGET_MS:.0f} ms.",
        "",
        "| page | URL | status | median ms | queries | KB | target met |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    for row in result["rendered"]:
        lines.append(
            f"| {row['page']} | `{row['url']}` | {row['status']} | {row['median_ms']:.1f} | "
            f"{row['queries']} | {row['kb']} | {_ok(row['median_ms'], UNCACHED_TARGET_MS)} |"
        )
    lines += [
        "",
        f"### {label}: the lead's admin",
        "",
        f"Median of {SINGLE_RUNS} single requests as a superuser, to the server measured above "
        "(after its load: Redis keeps the values MWI computes once per write, as deployed; the "
        "admin is never served from the page cache). The save posts the meeting's change form "
        "back unchanged (all 30 attendance and 10 material rows).",
        "",
        "| page | URL | status | median ms | target | met |",
        "|---|---|---|---:|---:|---|",
    ]
    for row in result["admin"]:
        lines.append(
            f"| {row['label']} | `{row['path']}` | {row['status']} | {row['ms']:.1f} | "
            f"{row['target']} | {_ok(row['ms'], row['target'])} |"
        )
    lines += [
        "",
        f"### {label}: one app server and two behind HAProxy",
        "",
        f"Each server: gunicorn with the workers above; HAProxy (round robin) in front of "
        f"two; both share this database, Redis and the page cache. All of it, and wrk, on "
        f"the same {info['cpus']} × {info['cpu']} cores: a second server adds no CPU here, "
        "so this shows that the balancer costs little and the servers share one cache, not "
        "that throughput scales (it would with a second machine).",
        "",
        "| set-up | audience | URL | req/s | p50 ms | p99 ms | bad |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for row in result["cluster"]:
        lines.append(
            f"| {row['setup']} | {row['audience']} | `{row['path']}` | {row['rps']:.0f} | "
            f"{row['p50']:.1f} | {row['p99']:.1f} | {row['bad']} |"
        )
    lines += ["", f"### {label}: worker memory after the run (RSS)", ""]
    for name, workers in result["rss"].items():
        sizes = ", ".join(f"{mb:.0f} MB" for mb in workers.values()) or "—"
        lines.append(f"- {name}: {sizes}")
    return lines


def main():
    parser = argparse.ArgumentParser(prog="benchmarks/run", description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--reuse-db", action="store_true", help="keep an existing scale database (faster reruns)"
    )
    parser.add_argument(
        "--note", action="append", default=[], help="a line for RESULTS.md's notes (repeatable)"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a quick check of the script itself: 200 meetings, 1 s per URL, own databases",
    )
    args = parser.parse_args()
    if args.smoke:
        global SCALE, SQLITE_NAME  # noqa: PLW0603 - one run's settings
        SCALE = ["--committees", "3", "--meetings", "200", "--people", "100", "--projects", "50"]
        SQLITE_NAME = "smoke.sqlite3"
        PG["name"] += "_smoke"
        args.duration = 1
    started = time.monotonic()
    if not shutil.which("wrk"):
        sys.exit("benchmarks/run needs wrk: apt-get install -y wrk")
    if subprocess.run(["redis-cli", "-h", HOST, "ping"], capture_output=True).returncode:
        sys.exit("benchmarks/run needs Redis on 127.0.0.1:6379")
    for port in (MWI_PORT, CEILING_PORT, UNCACHED_PORT, *CLUSTER_PORTS):
        if not port_free(port):
            sys.exit(f"port {port} is in use")
    WORK.mkdir(parents=True, exist_ok=True)
    info = machine()
    results = []
    with tempfile.TemporaryDirectory(prefix="mwi-static-") as static_root:
        env = base_env(static_root)
        log("collectstatic")
        run([PY, "manage.py", "collectstatic", "--no-input", "-v0"], env)
        plans = []
        if args.db in ("sqlite", "both"):
            plans.append(("SQLite", prepare_sqlite))
        if args.db in ("postgres", "both"):
            if subprocess.run(["pg_isready", "-h", PG["host"], "-q"]).returncode:
                log("PostgreSQL is not running on 127.0.0.1:5432: skipped")
            else:
                plans.append(("PostgreSQL", prepare_postgres))
        for label, prepare in plans:
            db_env = prepare(env, args.reuse_db)
            setup = json.loads(
                run([PY, "-m", "benchmarks.audiences"], db_env, capture_output=True).stdout
            )
            results.append(bench_database(label, db_env, args, setup))
    report(info, results, args, time.monotonic() - started)


if __name__ == "__main__":
    main()
