"""Stateless app servers: two gunicorn servers behind HAProxy (Debian's), sharing one
PostgreSQL database, Redis and S3 object storage (moto's server), act as one site.

- a write through one server shows through the other at once: pages (the anonymous page
  cache), the calendar feed and the stack map's cached fragments (the SVG);
- a session made on one server is signed in on the other;
- failed sign-ins count across both toward django-axes' lockout;
- an upload made through one server downloads through the other, with byte ranges.

Selected alone with `-m load_balancer`. The servers get a PostgreSQL database of their own
(whichever database the rest of the tests use), copied from a migrated template that is
made once per set of migrations. Data are made through the servers (the admin) or, before
they start, by one subprocess with the test factories. Sign-ins use the production password
hasher (about half a second each), which is most of this module's time.
"""

import contextlib
import hashlib
import os
import re
import secrets
import subprocess
import sys
import uuid
from urllib.parse import urljoin

import pytest
import requests
from django.db import connection

from tests import system_tools
from tests.cluster import ROOT, Cluster, add_inline_row, form_fields, free_port
from tests.object_storage import CREDENTIALS, create_bucket, s3_server  # noqa: F401 - fixture

pytestmark = [pytest.mark.load_balancer]

REDIS_URL = os.environ.get("MWI_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "correct horse battery"  # tests.factories.UserFactory's  # noqa: S105
LOCKOUT_AFTER = 2
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"

SETUP = """
import datetime as dt
import django
django.setup()
from django.utils import timezone
from tests.factories import (CommitteeFactory, MappingFactory, MeetingFactory,
    MembershipFactory, PersonFactory, UserFactory)
committee = CommitteeFactory(slug="lb", name="Load Balancing Committee", short_name="LBC")
UserFactory(username="lead", is_staff=True, is_superuser=True, password=None)
member = UserFactory(username="member", password=None)
MembershipFactory(committee=committee, person=PersonFactory(name="Mia Member", user=member))
UserFactory(username="locked", password=None)
meeting = MeetingFactory(committee=committee, title="Kickoff call",
    start=timezone.now() + dt.timedelta(days=7), end=timezone.now() + dt.timedelta(days=7, hours=1))
mapping = MappingFactory(project__name="Glidevault", project__slug="glidevault")
# The production hasher's 1.2M rounds cost most of a second per account; this stored hash
# names 1,000 rounds, which check_password honours (and upgrades on the first sign-in).
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
User.objects.update(password=PBKDF2PasswordHasher().encode(PASSWORD, "benchsalt", 1000))
print(meeting.pk, mapping.project.pk)
"""


def _pg():
    settings = connection.settings_dict if connection.vendor == "postgresql" else {}
    return {
        "host": settings.get("HOST") or "127.0.0.1",
        "port": str(settings.get("PORT") or 5432),
        "user": settings.get("USER") or "postgres",
        "password": settings.get("PASSWORD") or "",
    }


def _psql(pg, sql):
    env = {**os.environ, "PGPASSWORD": pg["password"]}
    command = ["psql", "-h", pg["host"], "-p", pg["port"], "-U", pg["user"], "-d", "postgres"]
    subprocess.run([*command, "-qtAc", sql], env=env, check=True, capture_output=True)  # noqa: S603


def _migrations_digest():
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def _template(pg, run):
    """The name of a migrated PostgreSQL database to copy, made once per set of migrations:
    migrated under a private name, then renamed (so a concurrent run never copies it
    half-made; the loser of a race drops its own)."""
    template = f"mwi_lb_template_{_migrations_digest()}"
    env = {**os.environ, "PGPASSWORD": pg["password"]}
    names = subprocess.run(  # noqa: S603 - fixed arguments
        ["psql", "-h", pg["host"], "-p", pg["port"], "-U", pg["user"], "-d", "postgres",
         "-tAc", "SELECT datname FROM pg_database WHERE datname LIKE 'mwi_lb_template_%'"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    if template in names:
        return template
    for old in names:  # templates of older migrations; one in use stays (the DROP fails)
        with contextlib.suppress(subprocess.CalledProcessError):
            _psql(pg, f'DROP DATABASE IF EXISTS "{old}"')
    private = f"mwi_lb_making_{uuid.uuid4().hex[:10]}"
    _psql(pg, f'CREATE DATABASE "{private}"')
    try:
        run(f"postgres://{pg['user']}:{pg['password']}@{pg['host']}:{pg['port']}/{private}")
        _psql(pg, f'ALTER DATABASE "{private}" RENAME TO "{template}"')
    except subprocess.CalledProcessError:
        _psql(pg, f'DROP DATABASE IF EXISTS "{private}" WITH (FORCE)')
    return template


@pytest.fixture(scope="module")
def database(request):
    """A fresh, migrated PostgreSQL database for the servers (a copy of a template made once
    per set of migrations: migrating takes 10-40 s, copying about one); dropped afterwards.
    Returns a function that makes its URL from an environment."""
    pg = _pg()
    ready = subprocess.run(["pg_isready", "-h", pg["host"], "-p", pg["port"], "-q"], check=False)  # noqa: S603, S607
    if ready.returncode:
        pytest.fail(f"The load-balancer tests need PostgreSQL on {pg['host']}:{pg['port']}.")
    name = f"mwi_lb_{uuid.uuid4().hex[:10]}"
    url = f"postgres://{pg['user']}:{pg['password']}@{pg['host']}:{pg['port']}/{name}"

    def migrate(target):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
        subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            env={**env, "DATABASE_URL": target, "SECRET_KEY": "migrating-only"},
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip

    _psql(pg, f'CREATE DATABASE "{name}" TEMPLATE "{_template(pg, migrate)}"')
    yield url
    _psql(pg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def site(database, s3_server):  # noqa: F811
    """The running cluster plus what the setup made: {"cluster", "meeting", "project"}."""
    system_tools.require("haproxy")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        pytest.fail(f"The load-balancer tests need Redis at {REDIS_URL} (MWI_TEST_REDIS_URL).")
    url = database
    prefix = f"mwi-lb-{uuid.uuid4().hex[:8]}"
    bucket = f"lb-{uuid.uuid4().hex[:8]}"
    create_bucket(s3_server, bucket)
    ports = [free_port() for _ in range(3)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    env.update(
        CREDENTIALS,
        DATABASE_URL=url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{ports[0]}",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        STATIC_MANIFEST="0",
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        PAGE_CACHE_SECONDS="60",
        AXES_ENABLED="1",
        AXES_FAILURE_LIMIT=str(LOCKOUT_AFTER),
        AWS_STORAGE_BUCKET_NAME=bucket,
        AWS_S3_ENDPOINT_URL=s3_server,
        LOG_LEVEL="ERROR",
        PYTHONDONTWRITEBYTECODE="1",
    )
    python = sys.executable

    env_with_settings = {**env, "DJANGO_SETTINGS_MODULE": "mwi.settings"}
    out = subprocess.run(  # noqa: S603 - fixed arguments
        [python, "-c", f"PASSWORD = {PASSWORD!r}\n{SETUP}"],
        env=env_with_settings,
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split()
    meeting, project = map(int, out[-2:])
    try:
        with Cluster(env, workers=1, ports=ports) as cluster:
            yield {
                "cluster": cluster,
                "meeting": meeting,
                "project": project,
                "storage": s3_server,
            }
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)


def get(url, **kwargs):
    return requests.get(url, timeout=60, **kwargs)


# --- a browser of sorts ----------------------------------------------------------------------
def sign_in(session, base, username, password=PASSWORD):
    session.get(f"{base}/accounts/login/")
    return session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
    )


def admin_save(session, base, path, form_id, changes, files=None, new_row=None):
    """Submit an admin change form as the browser would, with `changes` to its fields; with
    `new_row` (an inline's prefix), "{row}" in the names of changes and files is a new row."""
    page = session.get(base + path)
    assert page.status_code == 200, page.status_code
    fields, row = form_fields(page.text, form_id), ""
    if new_row:
        fields, row = add_inline_row(page.text, form_id, fields, new_row)
    changes = {k.format(row=row): v for k, v in changes.items()}
    files = {k.format(row=row): v for k, v in (files or {}).items()}
    fields = [(k, v) for k, v in fields if k not in changes]
    fields += list(changes.items())
    response = session.post(base + path, data=fields, files=files, allow_redirects=False)
    assert response.status_code == 302, re.findall(
        r'class="errorlist[^>]*>(.*?)</ul>', response.text
    )
    return response


@pytest.fixture(scope="module")
def lead(site):
    """A requests session signed in as the lead on server a."""
    session = requests.Session()
    assert sign_in(session, site["cluster"].servers[0], "lead").status_code == 302
    return session


# --- the tests -------------------------------------------------------------------------------
def test_the_balancer_takes_turns_between_the_servers(site):
    served = {get(site["cluster"].balancer + "/").headers["X-Served-By"] for _ in range(4)}
    assert served == {"a", "b"}


def test_a_write_through_one_server_shows_through_the_other_at_once(site, lead):
    a, b = site["cluster"].servers
    meeting, project = site["meeting"], site["project"]
    pages = ["/committees/lb/", "/meetings/", "/committees/lb/calendar.ics", "/stack/stack.svg"]
    for path in pages * 2:  # the second round comes from the caches
        response = get(b + path)
        assert response.status_code == 200, path
    assert "Kickoff call" in get(b + "/committees/lb/calendar.ics").text
    assert "Glidevault" in get(b + "/stack/stack.svg").text

    admin_save(
        lead, a, f"/admin/meetings/meeting/{meeting}/change/", "meeting_form",
        {"title": "Kickoff call moved"},
    )  # fmt: skip
    admin_save(
        lead, a, f"/admin/stackmap/project/{project}/change/", "project_form",
        {"name": "Glidevault Two"},
    )  # fmt: skip

    for base in (b, site["cluster"].balancer, a):
        assert "Kickoff call moved" in get(base + "/committees/lb/").text
        assert "Kickoff call moved" in get(base + "/meetings/").text
        assert "Kickoff call moved" in get(base + "/committees/lb/calendar.ics").text
        assert "Glidevault Two" in get(base + "/stack/stack.svg").text


def test_a_session_made_on_one_server_is_signed_in_on_the_other(site):
    a, b = site["cluster"].servers
    member = requests.Session()
    assert sign_in(member, a, "member").status_code == 302
    served = set()
    for base in (b, site["cluster"].balancer, site["cluster"].balancer):
        response = member.get(base + "/profile/", allow_redirects=False)
        assert response.status_code == 200, base
        assert "Mia Member" in response.text
        served.add(response.headers.get("X-Served-By"))
    assert served == {None, "a", "b"}  # b directly, then both through the balancer
    # Signing out on b ends the session on a as well.
    member.post(b + "/accounts/logout/", data={"csrfmiddlewaretoken": member.cookies["csrftoken"]})
    assert member.get(a + "/profile/", allow_redirects=False).status_code == 302


def test_failed_sign_ins_count_across_both_servers(site):
    a, b = site["cluster"].servers
    visitor = requests.Session()
    servers = [a, b] * LOCKOUT_AFTER
    for base in servers[: LOCKOUT_AFTER - 1]:
        response = sign_in(visitor, base, "locked", "wrong password")
        assert response.status_code == 200  # the form again, with its error
    # The failure that reaches the limit locks the account, on whichever server it lands...
    assert sign_in(visitor, servers[LOCKOUT_AFTER - 1], "locked", "wrong").status_code == 429
    # ... and the right password is refused on both from then on.
    for base in (a, b):
        assert sign_in(visitor, base, "locked").status_code == 429
    assert "sessionid" not in visitor.cookies


def test_an_upload_through_one_server_downloads_through_the_other_with_ranges(site, lead):
    a, b = site["cluster"].servers
    path = f"/admin/meetings/meeting/{site['meeting']}/change/"
    page = lead.get(a + path).text
    prefixes = [p for p in re.findall(r'name="([\w-]+)-__prefix__-file"', page) if "mat" in p]
    assert prefixes, "the meeting form has a materials inline with a file field"
    admin_save(
        lead, a, path, "meeting_form", {"{row}title": "Slides"},
        files={"{row}file": ("slides.pdf", PDF, "application/pdf")}, new_row=prefixes[0],
    )  # fmt: skip
    html = get(b + "/committees/lb/").text + lead.get(b + "/meetings/").text
    meeting_url = re.search(r'href="(/meetings/[\d-]+/)"', html)[1]
    download = re.search(r'href="(/meetings/files/material/\d+/)"', lead.get(b + meeting_url).text)
    assert download, "the meeting page links the uploaded slides"

    for base in (b, site["cluster"].balancer):
        response = get(base + download[1], allow_redirects=False)
        assert response.status_code == 302
        signed = urljoin(base, response.headers["Location"])
        assert signed.startswith(site["storage"] + "/"), signed  # a signed URL of the bucket
        assert "X-Amz-Signature=" in signed  # signature version 4
        part = get(signed, headers={"Range": "bytes=9-24"})
        assert part.status_code == 206
        assert part.headers["Content-Range"] == f"bytes 9-24/{len(PDF)}"
        assert part.content == PDF[9:25]
        assert get(signed).content == PDF
