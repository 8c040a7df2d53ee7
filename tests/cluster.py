"""Two MWI app servers behind a real load balancer, sharing one database, Redis and object
storage: what the load-balancer tests and `benchmarks/run` start.

    with Cluster(env, workers=1) as cluster:
        cluster.balancer  # "http://127.0.0.1:<port>": HAProxy, round robin over both servers
        cluster.servers   # ["http://127.0.0.1:<port>", ...]: each gunicorn directly

Each server is `gunicorn mwi.wsgi` (sync workers) with the same environment: DATABASE_URL,
REDIS_URL, SECRET_KEY and the AWS_* object-storage settings are what makes them one site.
HAProxy (Debian's haproxy, in /usr/sbin) runs in the foreground from a generated
configuration; it answers every request with `X-Served-By: a` or `b`, the server that made it,
so a caller can see that both take turns. Everything listens on 127.0.0.1 only.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
NAMES = "ab"


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def haproxy_path():
    return shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/sbin")


def wait_for(port, proc, deadline=60):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[:3]} exited with {proc.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {HOST}:{port} after {deadline}s")


def haproxy_config(port, servers, maxconn=512):
    lines = [
        "global",
        f"  maxconn {maxconn * 2}",
        "defaults",
        "  mode http",
        "  timeout connect 5s",
        "  timeout client 60s",
        "  timeout server 60s",
        "frontend web",
        f"  bind {HOST}:{port}",
        "  default_backend app",
        "backend app",
        "  balance roundrobin",
        "  option forwardfor",
        "  http-response set-header X-Served-By %[srv_name]",
    ]
    lines += [f"  server {name} {HOST}:{p} maxconn {maxconn}" for name, p in servers]
    return "\n".join(lines) + "\n"


class Cluster:
    """Start n gunicorn servers and HAProxy in front of them; stop them all on exit."""

    def __init__(self, env, *, servers=2, workers=1, ports=None, python=sys.executable):
        self.env, self.count, self.workers, self.python = env, servers, workers, python
        self.ports = list(ports) if ports else [free_port() for _ in range(servers + 1)]
        self.procs = []

    @property
    def balancer(self):
        return f"http://{HOST}:{self.ports[0]}"

    @property
    def servers(self):
        return [f"http://{HOST}:{port}" for port in self.ports[1 : self.count + 1]]

    def gunicorn_pids(self):
        """{server name: [pid of the arbiter, pids of its workers]}."""
        found = {}
        for name, proc in zip(NAMES, self.procs[: self.count], strict=False):
            children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
            workers = [int(p) for p in children.read_text().split()] if children.exists() else []
            found[name] = [proc.pid, *workers]
        return found

    def __enter__(self):
        self._dir = tempfile.TemporaryDirectory(prefix="mwi-cluster-")
        try:
            for port in self.ports[1 : self.count + 1]:
                self.procs.append(self._gunicorn(port))
            for port, proc in zip(self.ports[1:], self.procs, strict=False):
                wait_for(port, proc)
            config = Path(self._dir.name) / "haproxy.cfg"
            backends = list(zip(NAMES, self.ports[1 : self.count + 1], strict=False))
            config.write_text(haproxy_config(self.ports[0], backends))
            haproxy = subprocess.Popen(  # noqa: S603 - fixed arguments
                [haproxy_path(), "-db", "-f", str(config)],
                start_new_session=True,
                stdout=subprocess.DEVNULL,
            )
            self.procs.append(haproxy)
            wait_for(self.ports[0], haproxy)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _gunicorn(self, port):
        command = [
            self.python, "-m", "gunicorn", "mwi.wsgi",
            "--bind", f"{HOST}:{port}",
            "--workers", str(self.workers),
            "--log-level", "warning",
        ]  # fmt: skip
        return subprocess.Popen(command, env=self.env, cwd=ROOT, start_new_session=True)  # noqa: S603

    def __exit__(self, *exc):
        for proc in self.procs:
            if proc.poll() is None:
                # gunicorn: SIGINT is its quick shutdown (SIGTERM waits for idle workers).
                os.killpg(proc.pid, signal.SIGINT)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs = []
        self._dir.cleanup()


# --- forms, as a browser submits them ----------------------------------------------------------
class _Form(HTMLParser):
    """The fields of the first <form> with the given id: what a browser would submit."""

    def __init__(self, form_id, templates=False):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.templates = templates  # also the empty inline rows the admin's JavaScript copies
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside or ("name" in a and ("__prefix__" in a["name"]) != self.templates):
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self._select = [a["name"], None, None]  # name, first option, selected
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self._select[1] = value if self._select[1] is None else self._select[1]
            if "selected" in a:
                self.fields.append((self._select[0], value))
                self._select[2] = True
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            name, first, selected = self._select
            if not selected and first is not None:
                self.fields.append((name, first))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None


def form_fields(html, form_id, templates=False):
    parser = _Form(form_id, templates)
    parser.feed(html)
    return parser.fields


def add_inline_row(html, form_id, fields, prefix):
    """`fields` plus one new row of the inline `prefix`, as "Add another" makes it; returns
    (fields, the new row's field prefix)."""
    total = f"{prefix}-TOTAL_FORMS"
    index = int(dict(fields)[total])
    row = f"{prefix}-{index}-"
    template = [
        (name.replace(f"{prefix}-__prefix__-", row), value)
        for name, value in form_fields(html, form_id, templates=True)
        if name.startswith(f"{prefix}-__prefix__-")
    ]
    fields = [(k, str(index + 1) if k == total else v) for k, v in fields]
    return fields + template, row
