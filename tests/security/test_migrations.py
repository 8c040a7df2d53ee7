"""Our migrations run back to an empty schema and forward again, on SQLite and PostgreSQL.

Only our apps' migrations go back and forth: Django's and the libraries' own are theirs to
test, and some cannot go back (django_tasks_database 0013 is irreversible).
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Every app of ours with migrations (a new one is added here: the test below finds it).
OUR_APPS = ["participants", "meetings", "stackmap", "calls", "announcements", "api"]


def _tables():
    return set(connection.introspection.table_names())


def _ours(tables):
    return {t for t in tables if t.startswith(tuple(f"{app}_" for app in OUR_APPS))}


@pytest.mark.django_db(transaction=True)
def test_our_migrations_run_back_to_zero_and_forward_again():
    executor = MigrationExecutor(connection)
    local = {app for app in executor.loader.migrated_apps if (settings.BASE_DIR / app).is_dir()}
    assert local == set(OUR_APPS)
    try:
        # As a lead would roll back a release: every migration of ours reversed, in one plan.
        executor.migrate([(app, None) for app in OUR_APPS])
        assert _ours(_tables()) == set()
        assert "auth_user" in _tables()  # what is not ours stays
    finally:
        call_command("migrate", verbosity=0)
    assert {"participants_person", "meetings_meeting", "meetings_historicalmeeting"} <= _tables()
    executor.loader.build_graph()
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
