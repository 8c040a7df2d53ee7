"""Backups restore into a fresh database identical row by row; a damaged archive changes nothing."""

import io
import sqlite3
import tarfile
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from meetings.models import Material, Meeting
from tests.factories import MaterialFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def site_data(media):
    """A lead, a meeting with Markdown minutes, and an uploaded file: what every restore needs."""
    UserFactory(username="lead", is_staff=True)
    meeting = MeetingFactory(minutes="Minutes with **Markdown** and ünïcödé.")
    material = MaterialFactory(meeting=meeting, url="", title="Slides")
    material.file.save("slides.pdf", ContentFile(b"%PDF-1.4 slides"), save=True)
    return material


def _rows(cursor, table):
    cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from introspection)
    return sorted(cursor.fetchall(), key=repr)


def _snapshot(raw_connection, tables):
    cursor = raw_connection.cursor()
    return {table: _rows(cursor, table) for table in tables}


def _backup(tmp_path):
    archive = tmp_path / "backup.tar"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    return archive


@pytest.fixture
def fresh_database(tmp_path):
    """A URL of an empty database on the same server, and a way to connect to it."""
    if connection.vendor == "sqlite":
        path = tmp_path / "fresh.sqlite3"
        # Same type conversions as Django's own SQLite connection (registered by Django).
        types = sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
        connection.ensure_connection()
        yield (
            f"sqlite:///{path}",
            lambda: connection.connection,
            lambda: sqlite3.connect(path, detect_types=types),
        )
        return
    import psycopg2

    s = connection.settings_dict
    name = f"mwi_restore_{uuid.uuid4().hex[:8]}"
    params = {
        "host": s["HOST"],
        "port": s["PORT"] or 5432,
        "user": s["USER"],
        "password": s["PASSWORD"],
    }
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT'] or 5432}/{name}"
    opened = []

    def connect(dbname):
        opened.append(psycopg2.connect(dbname=dbname, **params))
        return opened[-1]

    # Both sides read with the same plain driver (Django's connection parses jsonb its own way).
    yield url, lambda: connect(s["NAME"]), lambda: connect(name)
    for conn in opened:
        conn.close()
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


@pytest.fixture
def whole_site(site_data):
    """The site data and the committee's real history and stack map (loaddemo): rows in
    nearly every table."""
    call_command("loaddemo", stdout=io.StringIO())
    return site_data


def test_a_backup_restores_into_a_fresh_database_identical_row_by_row(
    whole_site, tmp_path, fresh_database
):
    url, connect_source, connect_restored = fresh_database
    archive = _backup(tmp_path)
    call_command("restore", str(archive), into=url, stdout=io.StringIO())

    tables = connection.introspection.table_names()
    assert len(tables) > 40
    before = _snapshot(connect_source(), tables)
    after = _snapshot(connect_restored(), tables)
    assert sum(len(rows) for rows in before.values()) > 100
    for table in tables:
        assert after[table] == before[table], table


def test_a_restore_brings_back_deleted_rows_and_media(site_data, tmp_path, media):
    archive = _backup(tmp_path)
    stored = site_data.file.name
    Meeting.objects.all().delete()
    (media / stored).unlink()
    call_command("restore", str(archive), no_input=True, stdout=io.StringIO())
    assert Material.objects.get(pk=site_data.pk).file.name == stored
    assert (media / stored).read_bytes() == b"%PDF-1.4 slides"


def test_a_restore_leaves_no_page_cached_from_before_it(site_data, tmp_path, page_cache):
    archive = _backup(tmp_path)
    meeting = site_data.meeting
    before = meeting.minutes_html
    meeting.minutes = "Written after the backup."
    meeting.save()
    client = Client()
    assert "Written after the backup." in client.get(meeting.get_absolute_url()).text
    call_command("restore", str(archive), no_input=True, stdout=io.StringIO())
    page = client.get(meeting.get_absolute_url()).text
    assert "Written after the backup." not in page
    assert before in page


def _rewrite(archive, tmp_path, change):
    """A copy of the archive with one member's bytes changed by `change`."""
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            member, data = change(member, data)
            if member is not None:
                member.size = len(data)
                target.addfile(member, io.BytesIO(data))
    return damaged


def _flip_media_byte(member, data):
    if member.name.startswith("media/"):
        data = bytes([data[0] ^ 1]) + data[1:]
    return member, data


def _traversal(member, data):
    if member.name.startswith("media/"):
        member.name = "media/../../outside.pdf"
    return member, data


def _drop_manifest(member, data):
    return (None, data) if member.name == "manifest.json" else (member, data)


@pytest.mark.parametrize(
    "damage,message",
    [
        (_flip_media_byte, "does not match its checksum"),
        (_traversal, "is not a plain file inside the archive"),
        (_drop_manifest, "is not an MWI backup"),
    ],
)
def test_a_damaged_archive_is_refused_and_changes_nothing(
    site_data, tmp_path, media, damage, message
):
    archive = _rewrite(_backup(tmp_path), tmp_path, damage)
    Meeting.objects.all().delete()
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive), no_input=True)
    assert not Meeting.objects.exists()
    assert not (tmp_path / "outside.pdf").exists()


def test_a_truncated_archive_is_refused(site_data, tmp_path):
    archive = _backup(tmp_path)
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match="truncated|not a readable|missing|corrupt"):
        call_command("restore", str(truncated), no_input=True)
    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", str(tmp_path / "nothing.tar"), no_input=True)


def test_check_only_verifies(site_data, tmp_path):
    out = io.StringIO()
    call_command("restore", str(_backup(tmp_path)), check=True, stdout=out)
    assert "is intact" in out.getvalue()
