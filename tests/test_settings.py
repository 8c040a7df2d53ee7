"""Settings read DATABASE_URL with dj-database-url and refuse what MWI cannot run on."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

PRINT_DB = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps(s.DATABASES['default'], default=str))"
)


def _settings_with(database_url):
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": database_url}
    env["DJANGO_SETTINGS_MODULE"] = "mwi.settings"
    return subprocess.run(
        [sys.executable, "-c", PRINT_DB],
        capture_output=True,
        text=True,
        check=False,
        cwd=settings.BASE_DIR,
        env=env,
    )


def test_a_postgres_url_gives_its_parts_options_and_health_checked_connections():
    result = _settings_with("postgres://mwi:p%40ss@db.example:5433/mwi%20x?sslmode=require")
    db = json.loads(result.stdout)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], str(db["PORT"]), db["NAME"]) == (
        "mwi",
        "p@ss",
        "db.example",
        "5433",
        "mwi x",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}
    assert (db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"]) == (60, True)


def test_a_sqlite_url_gives_the_file_with_the_waiting_writers_options(tmp_path):
    result = _settings_with(f"sqlite:///{tmp_path}/site.sqlite3")
    db = json.loads(result.stdout)
    assert db["NAME"] == f"{tmp_path}/site.sqlite3"
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.parametrize(
    ("url", "message"),
    [("mysql://u@h/db", "is not supported"), ("nosuch://h/db", "Scheme 'nosuch://' is unknown")],
)
def test_a_database_url_mwi_cannot_use_stops_the_start_with_its_name(url, message):
    result = _settings_with(url)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr and message in result.stderr
