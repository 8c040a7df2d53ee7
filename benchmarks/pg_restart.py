"""A PostgreSQL restart during traffic: no request made after it is back fails, no write is lost.

Usage: .venv/bin/python -m benchmarks.pg_restart [--seconds 6] [--write-results]

Loopback only and bounded (about a minute). It uses its own PostgreSQL cluster (15/mwifaults
on port 5499, created on first use with trust auth on 127.0.0.1) so restarting it disturbs no
one else's database. Two runs, each against a fresh database:

1. CONN_HEALTH_CHECKS on (production default): gunicorn (2 sync workers, persistent
   connections, production settings) serves readers (/, /people/) and a writer (the lead adding
   organizations through the admin, CSRF and all). Mid-way, `pg_ctlcluster restart`. Passes
   when every request *started after pg_isready answers again* succeeds, and every write that
   got its success redirect is in the database afterwards.
2. Control, DB_CONN_HEALTH_CHECKS=0: same traffic. Each worker's stale connection fails its
   first request after the restart, so this run must FAIL; it shows the check can fail.

Exit status 0 only when run 1 passes and run 2 fails. --write-results updates FAULTS.md.
"""

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
RESULTS = ROOT / "benchmarks" / "FAULTS.md"
PY = sys.executable
HOST, APP_PORT = "127.0.0.1", 8105
VERSION = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
CLUSTER, PG_PORT = "mwifaults", 5499
BASE = f"http://{HOST}:{APP_PORT}"


def sh(*command, check=True, env=None):
    return subprocess.run(command, check=check, capture_output=True, text=True, env=env)


def ensure_cluster():
    listing = sh("pg_lsclusters", "--no-header").stdout
    if not re.search(rf"^{VERSION}\s+{CLUSTER}\s", listing, re.M):
        sh("pg_createcluster", VERSION, CLUSTER, "-p", str(PG_PORT), "--",
           "--auth-host=trust", "--auth-local=trust")  # fmt: skip
    sh("pg_ctlcluster", "--skip-systemctl-redirect", VERSION, CLUSTER, "start", check=False)
    wait_ready()


def wait_ready(timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sh("pg_isready", "-h", HOST, "-p", str(PG_PORT), "-q", check=False).returncode == 0:
            return time.monotonic()
        time.sleep(0.05)
    raise SystemExit("PostgreSQL did not come back within 30 s")


def psql(sql, db="postgres"):
    return sh("psql", "-h", HOST, "-p", str(PG_PORT), "-U", "postgres", "-d", db, "-tAc", sql)


class Traffic:
    """Readers and one writer; every request is recorded as (start, end, kind, ok, detail)."""

    def __init__(self, password):
        self.records, self.committed, self.stop = [], [], threading.Event()
        self.lock = threading.Lock()
        self.password = password

    def _record(self, start, kind, ok, detail):
        with self.lock:
            self.records.append((start, time.monotonic(), kind, ok, detail))

    def reader(self, path):
        while not self.stop.is_set():
            start = time.monotonic()
            try:
                with urllib.request.urlopen(BASE + path, timeout=10) as response:
                    self._record(start, "read", response.status == 200, response.status)
            except urllib.error.HTTPError as error:
                self._record(start, "read", False, error.code)
            except OSError as error:
                self._record(start, "read", False, type(error).__name__)
            time.sleep(0.02)

    def _opener(self):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
        return opener, jar

    def _csrf(self, opener, jar, path):
        opener.open(BASE + path, timeout=10).read()
        return next(c.value for c in jar if c.name == "csrftoken")

    def sign_in(self):
        self.opener, self.jar = self._opener()
        token = self._csrf(self.opener, self.jar, "/admin/login/")
        data = {"username": "faults", "password": self.password, "csrfmiddlewaretoken": token}
        login = self.opener.open(BASE + "/admin/login/", urllib.parse.urlencode(data).encode())
        assert login.status == 302, "the writer could not sign in"
        self.n = 0

    def start(self):
        self.stop.clear()
        self.threads = [
            threading.Thread(target=self.reader, args=(p,)) for p in ["/", "/people/"] * 2
        ]
        self.threads.append(threading.Thread(target=self.writer))
        for thread in self.threads:
            thread.start()

    def halt(self):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def writer(self):
        opener, jar = self.opener, self.jar
        while not self.stop.is_set():
            self.n += 1
            n = self.n
            name = f"Faults org {n}"
            start = time.monotonic()
            try:
                token = next(c.value for c in jar if c.name == "csrftoken")
                body = urllib.parse.urlencode(
                    {
                        "name": name,
                        "slug": f"faults-org-{n}",
                        "kind": "company",
                        "url": "",
                        "csrfmiddlewaretoken": token,
                    }  # fmt: skip
                ).encode()
                response = opener.open(
                    BASE + "/admin/participants/organization/add/", body, timeout=10
                )
                ok = response.status == 302  # the admin redirects after a committed save
                if ok:
                    self.committed.append(name)
                self._record(start, "write", ok, response.status)
            except urllib.error.HTTPError as error:
                self._record(start, "write", False, error.code)
            except OSError as error:
                self._record(start, "write", False, type(error).__name__)
            time.sleep(0.05)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp


def restart():
    began = time.monotonic()
    sh("pg_ctlcluster", "--skip-systemctl-redirect", VERSION, CLUSTER, "restart")
    return began, wait_ready()


def run(health_checks, seconds):
    db = f"mwi_faults_{'on' if health_checks else 'off'}"
    psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{db}"')
    password = secrets.token_urlsafe(16)
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"postgres://postgres@{HOST}:{PG_PORT}/{db}",
        "CONN_MAX_AGE": "600",
        "DB_CONN_HEALTH_CHECKS": "1" if health_checks else "0",
        # Plain HTTP on loopback: no TLS redirect and cookies that work without HTTPS.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_MANIFEST": "0",
        "DJANGO_SUPERUSER_PASSWORD": password,
        "AXES_ENABLED": "1",
    }
    env.pop("REDIS_URL", None)
    sh(PY, "manage.py", "migrate", "--no-input", env=env)
    sh(PY, "manage.py", "loaddemo", env=env)
    sh(PY, "manage.py", "createsuperuser", "--no-input", "--username", "faults",
       "--email", "faults@example.org", env=env)  # fmt: skip
    WORK.mkdir(parents=True, exist_ok=True)
    log = open(WORK / f"gunicorn-{db}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "mwi.wsgi",
            "--workers",
            "2",
            "--bind",
            f"{HOST}:{APP_PORT}",
            "--timeout",
            "30",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(BASE + "/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        traffic = Traffic(password)
        traffic.sign_in()
        windows = []  # (restart began, server back) of each restart
        # 1. A quiet restart: the workers hold idle persistent connections through it.
        traffic.start()
        time.sleep(seconds / 2)
        traffic.halt()
        windows.append(restart())
        traffic.start()
        time.sleep(seconds / 2)
        # 2. A busy restart: requests in flight while the database goes away.
        windows.append(restart())
        time.sleep(seconds / 2)
        traffic.halt()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    stored = set(psql("SELECT name FROM participants_organization", db=db).stdout.split("\n"))
    records = traffic.records
    # A request that overlapped a restart (started before the server was back and was still
    # running when it went down) may fail; it is counted, not judged.
    during = [r for r in records if any(r[0] < b and r[1] >= a for a, b in windows)]
    after = [r for r in records if r[0] >= windows[0][1] and r not in during]
    result = {
        "health_checks": health_checks,
        "requests": len(records),
        "requests_after_back": len(after),
        "failed_after_back": [f"{r[2]} {r[4]}" for r in after if not r[3]],
        "failed_during_restart": sum(1 for r in during if not r[3]),
        "requests_during_restart": len(during),
        "restart_seconds": round(max(b - a for a, b in windows), 2),
        "writes_committed": len(traffic.committed),
        "writes_lost": sorted(set(traffic.committed) - stored),
    }
    result["passed"] = not result["failed_after_back"] and not result["writes_lost"]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--write-results", action="store_true")
    args = parser.parse_args()
    ensure_cluster()
    checked = run(True, args.seconds)
    control = run(False, args.seconds)
    print(json.dumps({"with_health_checks": checked, "control": control}, indent=2))
    good = checked["passed"] and not control["passed"]
    if args.write_results:
        write_results(checked, control, good)
    return 0 if good else 1


def _failures(result):
    return ", ".join(result["failed_after_back"]) or "none"


def write_results(checked, control, good):
    def row(name, r):
        return (
            f"| {name} | {r['requests']} | {r['restart_seconds']} s | "
            f"{r['failed_during_restart']}/{r['requests_during_restart']} | "
            f"{len(r['failed_after_back'])}/{r['requests_after_back']} | "
            f"{r['writes_committed']} | {len(r['writes_lost'])} | "
            f"{'pass' if r['passed'] else 'FAIL'} |"
        )

    text = RESULTS.read_text() if RESULTS.exists() else ""
    head = text.split("<!-- results -->")[0].rstrip() or "# Faults: PostgreSQL restart"
    RESULTS.write_text(
        f"{head}\n\n<!-- results -->\n"
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, PostgreSQL {VERSION}, gunicorn 2 sync "
        f"workers, CONN_MAX_AGE=600, 4 readers + 1 admin writer; verdict: "
        f"{'as expected' if good else 'UNEXPECTED'}.\n\n"
        "| run | requests | restart took | failed while restarting | failed after back | "
        "writes committed | writes lost | result |\n|---|---|---|---|---|---|---|---|\n"
        f"{row('CONN_HEALTH_CHECKS on', checked)}\n{row('control: health checks off', control)}\n\n"
        f"Control failures after the restart: {_failures(control)}.\n"
    )


if __name__ == "__main__":
    sys.exit(main())
