"""One invalidation module: a committed write replaces the versions of what it may change,
once per write and only on commit; pages and stack fragments read their versions from it."""

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from mwi.lib import invalidation
from stackmap.models import Project
from tests.factories import AttendanceFactory, MeetingFactory, PersonFactory

pytestmark = pytest.mark.usefixtures("page_cache")


@pytest.fixture
def versions():
    def read():
        return {name: invalidation.version(name) for name in ("pages", "stackmap")}

    return read


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def commit(write):
        with django_capture_on_commit_callbacks(execute=True):
            write()

    return commit


def changed(before, after):
    return {name for name in before if before[name] != after[name]}


def test_invalidation_a_meeting_write_replaces_pages_and_the_stack_maps_citations(
    committee, versions, committed
):
    # The stack map's pages cite source meetings (date, title, link): a moved meeting must not
    # leave a stale link there.
    before = versions()
    committed(lambda: MeetingFactory(committee=committee))
    assert changed(before, versions()) == {"pages", "stackmap"}


def test_invalidation_attendance_replaces_pages_not_the_stack_map(committee, versions, committed):
    meeting, person = MeetingFactory(committee=committee), PersonFactory()
    before = versions()
    committed(lambda: AttendanceFactory(meeting=meeting, person=person))
    assert changed(before, versions()) == {"pages"}


def test_invalidation_a_bulk_update_of_the_stack_map_replaces_both(db, versions, committed):
    Project.objects.create(name="Milvus", slug="milvus")
    before = versions()
    committed(lambda: Project.objects.update(description="Vector database"))
    assert changed(before, versions()) == {"pages", "stackmap"}


def test_invalidation_sign_in_tables_replace_nothing(db, versions, committed):
    before = versions()
    committed(
        lambda: Session.objects.create(
            session_key="k" * 32, session_data="x", expire_date=timezone.now()
        )
    )
    assert changed(before, versions()) == set()


def test_invalidation_a_rolled_back_write_replaces_nothing(
    committee, versions, django_capture_on_commit_callbacks
):
    before = versions()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                MeetingFactory(committee=committee)
                Project.objects.create(name="Feast", slug="feast")
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    assert callbacks == []
    assert changed(before, versions()) == set()


def test_invalidation_nothing_is_scheduled_while_the_cache_is_off(committee, settings):
    settings.PAGE_CACHE_SECONDS = 0
    before = invalidation.version("pages")
    MeetingFactory(committee=committee)
    assert invalidation.version("pages") == before


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "meetings_meeting" ("title") VALUES (%s)', "meetings_meeting"),
        ('INSERT OR IGNORE INTO "stackmap_project" ("name") VALUES (?)', "stackmap_project"),
        ('  UPDATE "stackmap_block" SET "name" = %s', "stackmap_block"),
        ('DELETE FROM "django_session" WHERE 1', "django_session"),
        ('REPLACE INTO "x" VALUES (1)', "x"),
        ('SELECT * FROM "meetings_meeting"', None),
        ("UPDATE", ""),
    ],
)
def test_invalidation_reads_the_table_a_statement_writes(sql, table):
    assert invalidation.written_table(sql) == table
