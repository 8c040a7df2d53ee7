"""benchmarks/run: MWI at foundation scale, served by gunicorn, measured with wrk against a ceiling.

For each database (SQLite file, then PostgreSQL database mwi_bench):
1. create it, migrate, python -m benchmarks.scale_data (20 committees, 10,000 meetings,
   2,000 people, 2,500 projects), ANALYZE;
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
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
PY = sys.executable
HOST = "127.0.0.1"
MWI_PORT, CEILING_PORT = 8107, 8108
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres", "name": "mwi_bench"}
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
        REDIS_URL="redis://127.0.0.1:6379/15",
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
    subprocess.run(["redis-cli", "-n", "15", "FLUSHDB"], check=True, capture_output=True)


# --- databases ------------------------------------------------------------------------------
def prepare_sqlite(env, reuse):
    path = WORK / "scale.sqlite3"
    env = {**env, "DATABASE_URL": f"sqlite:///{path}"}
    if reuse and path.exists():
        log(f"SQLite: reusing {path}")
        return env
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
        return env
    subprocess.run(["dropdb", *conn, "--if-exists", PG["name"]], check=True)
    subprocess.run(["createdb", *conn, PG["name"]], check=True)
    generate(env, "PostgreSQL")
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
    # What autovacuum (PostgreSQL) or PRAGMA optimize (SQLite) does after a bulk load: give
    # the planner statistics.
    run(
        [PY, "manage.py", "shell", "-c", "from django.db import connection as c; "
         "c.cursor().execute('ANALYZE')"],
        env,
    )  # fmt: skip


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
        ["git", "status", "--porcelain", "--untracked-files=no"],
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
def bench_database(label, env, args):
    # --count: each page's queries on this full-scale database, next to the budget the tests
    # pin at 10 and 400 meetings, so RESULTS.md shows the counts hold at 10,000 too.
    pages = json.loads(
        run([PY, "-m", "benchmarks.pages", "--count"], env, capture_output=True, timeout=300).stdout
    )
    urls, conditional = pages["urls"], set(pages["conditional"])
    queries = {label: count for label, (_status, count) in pages.get("queries", {}).items()}
    budgets = pages.get("budgets", {})
    rows, ceiling_runs = [], []
    mwi = ceiling = None
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
        targets = [*urls.items(), REFERENCE]
        for page_label, path in targets:
            url = f"http://{HOST}:{MWI_PORT}{path}"
            headers = dict(CLIENT_HEADERS)
            if page_label in conditional:
                status, body, response_headers, _ = fetch(url, headers)
                headers["If-None-Match"] = response_headers.get("ETag", "")
                status, body, _, cold = fetch(url, headers)
            else:
                status, body, _, cold = fetch(url, headers)  # first request after the flush
            warm = [fetch(url, headers)[3] for _ in range(3)]  # template caches, connections
            warm_ms = min(warm) * 1000
            log(
                f"{label}: {page_label} {path} -> {status}, {len(body)} bytes, "
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
                drain(f"http://{HOST}:{MWI_PORT}{REFERENCE[1]}")
            rows.append(
                {
                    "label": page_label,
                    "path": path,
                    "status": status,
                    "bytes": len(body),
                    "queries": queries.get(page_label),
                    "budget": budgets.get(page_label),
                    "cold_ms": cold * 1000,
                    "kind": "304"
                    if page_label in conditional
                    else "reference"
                    if (page_label, path) == REFERENCE
                    else "html"
                    if not path.endswith(".ics")
                    else "feed",
                    **result,
                }
            )
        log(f"{label}: ceiling again")
        ceiling_runs.append(wrk(ceiling_url, args.duration, CLIENT_HEADERS))
    finally:
        stop(mwi)
        stop(ceiling)
    ceiling_rps = sum(r["rps"] for r in ceiling_runs) / len(ceiling_runs)
    return {
        "label": label,
        "rows": rows,
        "ceiling": ceiling_runs,
        "ceiling_rps": ceiling_rps,
    }


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
        + "), DEBUG=0, Redis cache (db 15), static files by WhiteNoise after collectstatic",
        f"- Load: wrk, 2 threads, 16 connections, {args.duration} s per URL, on the same "
        "2 cores as the server (so the client's CPU is in every number, the ceiling's too)",
        f"- Data: `python -m benchmarks.scale_data {' '.join(SCALE)} --seed 1`, then ANALYZE",
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
            "| page | URL | status | KB | queries (pinned) | cold ms | req/s | × ceiling | p50 ms "
            "| p99 ms | target met |",
            "|---|---|---|---:|---|---:|---:|---:|---:|---:|---|",
        ]
        for row in result["rows"]:
            ratio, ok = verdict(row, ceiling)
            lines.append(
                f"| {row['label']} | `{row['path']}` | {row['status']} | "
                f"{row['bytes'] / 1024:.1f} | {pinned(row)} | {row['cold_ms']:.0f} | "
                f"{row['rps']:.0f} | "
                f"{ratio:.2f} | {row['p50']:.1f} | {row['p99']:.1f} | {ok} |"
            )
    RESULTS.write_text("\n".join(lines) + "\n")
    log(f"wrote {RESULTS.relative_to(ROOT)}")


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
    args = parser.parse_args()
    started = time.monotonic()
    if not shutil.which("wrk"):
        sys.exit("benchmarks/run needs wrk: apt-get install -y wrk")
    if subprocess.run(["redis-cli", "-h", HOST, "ping"], capture_output=True).returncode:
        sys.exit("benchmarks/run needs Redis on 127.0.0.1:6379")
    for port in (MWI_PORT, CEILING_PORT):
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
            results.append(bench_database(label, db_env, args))
    report(info, results, args, time.monotonic() - started)


if __name__ == "__main__":
    main()
