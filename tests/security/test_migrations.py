"""Migrations run back to an empty database and forward again, on SQLite and PostgreSQL."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OUR_APPS = ["participants", "meetings", "stackmap"]


def _tables():
    return set(connection.introspection.table_names())


@pytest.mark.django_db(transaction=True)
def test_migrations_run_back_to_zero_and_forward_from_empty():
    executor = MigrationExecutor(connection)
    apps_with_migrations = sorted(executor.loader.migrated_apps)
    try:
        # Our apps first, as a lead would roll back a release, then everything.
        for app in reversed(OUR_APPS):
            call_command("migrate", app, "zero", verbosity=0)
        assert not any(t.startswith(tuple(f"{a}_" for a in OUR_APPS)) for t in _tables())
        executor.loader.build_graph()
        executor.migrate([(app, None) for app in apps_with_migrations])
        assert _tables() <= {"django_migrations"}
    finally:
        call_command("migrate", verbosity=0)
    assert {"participants_person", "meetings_meeting", "meetings_historicalmeeting"} <= _tables()
    executor.loader.build_graph()
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
